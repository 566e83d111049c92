"""How the suite is laid out (qutebrowser's way): ``tests/unit/`` mirrors ``fieldapp/`` module for module.

``tests/unit/<package path>/test_<module>[_<aspect>].py`` tests ``fieldapp/<package path>/<module>``;
``tests/e2e`` drives whole lives through real processes, ``tests/bench`` measures, ``tests/project``
holds the house rules. A module without a test file of its own is listed below with where it is
exercised, so a new module comes with its tests or says why not, and the list can only shrink.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "fieldapp"
UNIT = ROOT / "tests" / "unit"

#: pytest-qt's fixtures (tests/conftest.py marks their users; this checks it did)
QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}

#: Modules exercised only through the tests of the modules that call them (module: where).
TESTED_THROUGH = {
    "app/access": "ui/test_app (enrol, unlock, recover through the access window)",
    "app/case_index": "ui/test_models",
    "app/cases": "ui/test_models, ui/test_cases_page_follow_ups",
    "app/device": "ui/test_main_window, ui/test_app",
    "app/issuers": "ui/notices/test_dialog (the issuer file of notice render)",
    "app/plans": "ui/plans/test_editor, ui/plans/test_editor_sync",
    "app/sample_data": "ui/test_main_window, ui/test_models",
    "app/settings": "ui/test_app, ui/test_i18n",
    "cli/errors": "cli/test_admin, cli/test_device",
    "cli/gui": "ui/test_app_run",
    "cli/notices": "cli/test_device, core/test_notices_templates (forms check)",
    "cli/serve": "every test that starts a `fieldapp server` process",
    "cli/server": "cli/test_admin",
    "core/atomic": "core/test_canonical",
    "core/commands": "cli/test_admin",
    "core/forms": "core/test_formcheck, core/test_scripts",
    "core/holidays": "core/plans/test_policy, core/test_notices_dates",
    "demo": "e2e/test_e2e_demo",
    "documents/notice_values": "documents/test_notice_pdf, sync/test_client_notices",
    "paths": "every test (the fieldapp_home fixture)",
    "protocol": "server/test_api, sync/test_client",
    "server/errors": "server/test_api",
    "server/security": "server/test_api (enrolment, tokens)",
    "server/services/audit_chains": "store/repo/test_audit_and_forms, sync/test_client_audit_forms",
    "server/services/cases": "server/services/test_pull, e2e/test_e2e_lifecycle",
    "server/services/devices": "server/test_api (every bad or revoked credential)",
    "server/services/enrolment": "server/test_api, sync/test_enrolment_escrow",
    "server/services/forms": "sync/test_client_audit_forms",
    "server/services/push": "server/test_api, sync/test_client",
    "server/services/users": "cli/test_admin",
    "store/models": "store/test_db, store/test_repo",
    "store/work": "store/repo/test_audit_and_forms (two writers cannot fork the chain)",
    "sync/events": "sync/test_client, ui/test_sync_adapter",
    "ui/access": "ui/test_app",
    "ui/detail": "ui/test_main_window, ui/test_cases_page_follow_ups",
    "ui/labels": "ui/test_main_window, ui/visit/test_wizard",
    "ui/messages": "ui/test_dialogs",
    "ui/plans/agreement_dialog": "ui/plans/test_editor",
    "ui/plans/schedule_model": "ui/plans/test_editor",
    "ui/plans/signature": "ui/plans/test_editor",
    "ui/plans/summary": "ui/plans/test_editor",
    "ui/plans/widgets": "ui/plans/test_editor",
    "ui/style": "ui/test_screenshots",
    "ui/visit/answers": "ui/visit/test_wizard",
    "ui/visit/launcher": "ui/visit/test_wizard",
    "ui/widgets": "ui/test_main_window",
}


def _modules() -> set[str]:
    return {p.relative_to(PACKAGE).with_suffix("").as_posix() for p in PACKAGE.rglob("*.py")
            if "migrations" not in p.parts and p.name not in ("__init__.py", "__main__.py")}


def _module_of(test_file: Path) -> str | None:
    """The module a unit test file is named after (the longest module name its name starts with)."""
    rel = test_file.relative_to(UNIT)
    package = PACKAGE.joinpath(*rel.parts[:-1])
    if not package.is_dir():
        return None
    name = rel.stem.removeprefix("test_")
    names = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    names |= {d.name for d in package.iterdir() if (d / "__init__.py").is_file()}
    hits = [n for n in names if name == n or name.startswith(n + "_")]
    return (package / max(hits, key=len)).relative_to(PACKAGE).as_posix() if hits else None


def test_every_unit_test_file_is_named_after_a_module() -> None:
    stray = [str(t.relative_to(ROOT)) for t in UNIT.rglob("test_*.py") if _module_of(t) is None]
    assert not stray, f"name these tests/unit/<package>/test_<module>[_<aspect>].py: {stray}"


def test_every_module_has_its_tests_or_says_where_they_are() -> None:
    tested = {m for t in UNIT.rglob("test_*.py") if (m := _module_of(t))}
    covered = {m for m in _modules() if m in tested or any(m.startswith(t + "/") for t in tested)}
    without = _modules() - covered
    assert without - set(TESTED_THROUGH) == set(), "give these a test file (or a TESTED_THROUGH line)"
    assert set(TESTED_THROUGH) - without == set(), "these have tests of their own now, or are gone: drop them"


def test_the_mapping_finds_a_module_and_refuses_a_stray(tmp_path: Path) -> None:
    assert _module_of(UNIT / "core" / "plans" / "test_policy.py") == "core/plans/policy"
    assert _module_of(UNIT / "core" / "test_rules_time_windows.py") == "core/rules"
    assert _module_of(UNIT / "store" / "test_repo.py") == "store/repo"
    assert _module_of(UNIT / "core" / "test_nothing_of_that_name.py") is None
    assert _module_of(UNIT / "nowhere" / "test_x.py") is None


def test_every_test_using_qt_is_marked_gui(request: Any) -> None:
    items = request.session.items
    qt = [item for item in items if QT_FIXTURES & set(getattr(item, "fixturenames", ()))]
    unmarked = [item.nodeid for item in qt if item.get_closest_marker("gui") is None]
    assert not unmarked, f"drive Qt but are not marked gui: {unmarked[:5]}"
    # and the marker is not handed out to tests that never touch Qt
    assert request.node.get_closest_marker("gui") is None


def test_test_file_names_are_unique() -> None:
    """pytest imports test files by their name (rootdir/prepend mode): two of one name cannot both run.
    Add an aspect to the second: tests/unit/server/services/test_issuers_publishing.py."""
    seen: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
