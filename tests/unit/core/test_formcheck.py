"""``fieldapp forms check``: the bundled forms are clean; each kind of problem is reported on its line."""

from __future__ import annotations

import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from fieldapp.cli import main
from fieldapp.core.formcheck import KINDS, check_dir
from fieldapp.core.forms import bundled_forms, parse_yaml


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """A private copy of the bundled forms to break."""
    with as_file(bundled_forms()) as source:
        target = tmp_path / "forms"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, marker: str, nth: int = 1) -> int:
    """1-based line of the nth line containing ``marker``."""
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert len(hits) >= nth, f"{marker!r} not found in {path.name}"
    return hits[nth - 1]


def problems_in(root: Path, name: str) -> list[tuple[int, str]]:
    problems, _ = check_dir(root)
    return [(p.line, p.message) for p in problems if Path(p.file).name == name]


def assert_reported(root: Path, name: str, line: int, fragment: str) -> None:
    found = problems_in(root, name)
    assert any(ln == line and fragment in msg for ln, msg in found), found


def test_bundled_forms_are_clean() -> None:
    problems, count = check_dir()
    assert problems == []
    assert count >= 8  # four scripts and four rule packs at least


def test_cli_clean_and_broken(forms: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "check"]) == 0
    assert main(["forms", "check", str(forms)]) == 0
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "    next: recording\n", "    next: recordin\n")
    capsys.readouterr()
    assert main(["forms", "check", str(forms)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{script}:{line_of(script, 'next: recordin')}: next step 'recordin' does not exist"]
    assert main(["forms", "check", str(forms / "nowhere")]) == 2


def test_every_kind_has_a_schema_file() -> None:
    for kind in KINDS.values():
        assert (bundled_forms() / "schemas" / f"{kind.schema}.schema.json").is_file()


# ------------------------------------------------------------------ scripts
def test_missing_next_target(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "      no_answer: outcome_absent\n", "      no_answer: outcome_gone\n")
    assert_reported(forms, script.name, line_of(script, "no_answer: outcome_gone"), "'outcome_gone' does not exist")


def test_unreachable_step_and_required_step(forms: Path) -> None:
    script = forms / "scripts" / "cn-third-party.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text + """
  - id: orphan
    kind: say
    text: {zh-CN: 孤儿, en: orphan}

  - id: lost_required
    kind: say
    required: true
    text: {zh-CN: 必须, en: required}
""", encoding="utf-8")
    assert_reported(forms, script.name, line_of(script, "id: orphan"), "step 'orphan' is unreachable")
    assert_reported(forms, script.name, line_of(script, "id: lost_required"), "required step 'lost_required' is unreachable")


def test_disclosure_reachable_before_identity(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "      unverified: close_unverified\n", "      unverified: purpose\n")
    assert_reported(forms, script.name, line_of(script, "- id: purpose"),
                    "discloses the debt but can be reached before the identity check: identity → purpose")


def test_disclosure_reachable_without_recording_consent(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "      decline: no_recording\n", "      decline: entry\n")
    assert_reported(forms, script.name, line_of(script, "- id: purpose"), "needs recording consent")
    # no_recording is now unreachable too
    assert_reported(forms, script.name, line_of(script, "- id: no_recording"), "unreachable")


def test_disclosure_step_must_require_recording_where_the_pack_asks(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    text = script.read_text(encoding="utf-8")
    start = text.index("  - id: amount")
    block = text[start:].replace("    requires_recording: true\n", "", 1)
    script.write_text(text[:start] + block, encoding="utf-8")
    assert_reported(forms, script.name, line_of(script, "discloses_debt: true", 2),
                    "mark step 'amount' requires_recording")


def test_duplicate_step_id(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "  - id: promise_amount\n", "  - id: promise_date\n")
    assert_reported(forms, script.name, line_of(script, "- id: promise_date", 2), "step id 'promise_date' is used twice")


def test_missing_language(forms: Path) -> None:
    script = forms / "scripts" / "us-home-visit.yaml"
    edit(script, '      en: "Thank you for your time. If you have any questions, please call {creditor_phone}. Goodbye."\n',
         "")
    closing_text = line_of(script, "- id: closing") + 4
    assert_reported(forms, script.name, closing_text, "'en' is missing")


def test_blank_language(forms: Path) -> None:
    script = forms / "scripts" / "cn-third-party.yaml"
    edit(script, '      en: "Thank you, and sorry for the trouble. Goodbye."\n', '      en: "  "\n')
    assert_reported(forms, script.name, line_of(script, 'en: "  "'), "does not match")


def test_unknown_key_is_reported_on_its_own_line(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "  - id: closing\n    kind: say\n", "  - id: closing\n    kind: say\n    colour: red\n")
    assert_reported(forms, script.name, line_of(script, "colour: red"), "unknown key 'colour'")


def test_yaml_syntax_error(forms: Path) -> None:
    script = forms / "scripts" / "us-third-party.yaml"
    edit(script, "  - id: tp_close\n", "  - id: tp_close\n   broken: [\n")
    found = problems_in(forms, script.name)
    assert len(found) == 1 and "YAML syntax error" in found[0][1]
    assert abs(found[0][0] - line_of(script, "broken: [")) <= 1


def test_duplicate_yaml_key(forms: Path) -> None:
    script = forms / "scripts" / "cn-third-party.yaml"
    edit(script, "  - id: tp_close\n    kind: say\n", "  - id: tp_close\n    kind: say\n    kind: ask  # twice\n")
    assert_reported(forms, script.name, line_of(script, "# twice"), "duplicate key 'steps[7].kind'")


def test_third_party_script_must_not_disclose(forms: Path) -> None:
    script = forms / "scripts" / "cn-third-party.yaml"
    edit(script, "      zh-CN: 谢谢您，打扰了，再见。\n", "      zh-CN: 谢谢您，您家人欠款{total_due}，再见。\n")
    assert_reported(forms, script.name, line_of(script, "{total_due}"), "shows an amount")


def test_unknown_placeholder(forms: Path) -> None:
    script = forms / "scripts" / "us-third-party.yaml"
    edit(script, '      en: "Thank you. Goodbye."\n', '      en: "Thank you, {neighbour}. Goodbye."\n')
    assert_reported(forms, script.name, line_of(script, "{neighbour}"), "unknown placeholder {neighbour}")


def test_unknown_switch_target(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "        switch_to: cn-third-party\n", "        switch_to: cn-neighbour\n")
    assert_reported(forms, script.name, line_of(script, "switch_to: cn-neighbour"), "'cn-neighbour', which does not exist")


def test_us_collector_disclosure_must_come_first(forms: Path) -> None:
    script = forms / "scripts" / "us-home-visit.yaml"
    edit(script, "      verified: collector_disclosure\n", "      verified: recording\n")
    found = problems_in(forms, script.name)
    assert any(ln == line_of(script, "- id: identify") and "debt-collector disclosure first" in m for ln, m in found)


def test_unknown_outcome_and_branch_without_answer(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "      - value: paid_on_spot\n", "      - value: paid_later\n")
    assert_reported(forms, script.name, line_of(script, "value: paid_later"), "'paid_later' is not a visit outcome")


def test_branch_key_that_is_not_an_answer(forms: Path) -> None:
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "      agree: entry\n", "      agreed: entry\n")
    found = problems_in(forms, script.name)
    assert (line_of(script, "agreed: entry"), "branch 'agreed' is not one of the step's answers") in found
    assert any("answer 'agree' of step 'recording' leads nowhere" in m for _, m in found)


def test_path_without_outcome(forms: Path) -> None:
    script = forms / "scripts" / "cn-third-party.yaml"
    edit(script, "    next: tp_outcome\n", "")
    found = problems_in(forms, script.name)
    assert any(ln == line_of(script, "- id: tp_close") and "ends without an outcome" in m for ln, m in found), found


def test_duplicate_script_id_across_files(forms: Path) -> None:
    copy = forms / "scripts" / "cn-home-visit-copy.yaml"
    shutil.copy(forms / "scripts" / "cn-home-visit.yaml", copy)
    found = problems_in(forms, copy.name) + problems_in(forms, "cn-home-visit.yaml")
    assert any("is used twice" in m for _, m in found)


def test_unknown_kind(forms: Path) -> None:
    (forms / "scripts" / "odd.yaml").write_text("kind: poem\nid: x\n", encoding="utf-8")
    assert_reported(forms, "odd.yaml", 1, "unknown kind 'poem'")


# ------------------------------------------------------------------ rule packs and overrides
def test_rule_pack_problems(forms: Path) -> None:
    pack = forms / "rules" / "cn.yaml"
    edit(pack, "  - id: CN2\n", "  - id: CN1\n")
    edit(pack, '    end: "22:00"\n', '    end: "07:00"\n')
    edit(pack, "该债务人今天已接通 {count} 次电话", "该债务人今天已接通 {calls} 次电话")
    edit(pack, "    max: 3\n", "    max: 3\n    days: 2\n")
    assert_reported(forms, pack.name, line_of(pack, "- id: CN1", 2), "rule id 'CN1' is used twice")
    assert_reported(forms, pack.name, line_of(pack, 'start: "08:00"'), "must start before it ends")
    assert_reported(forms, pack.name, line_of(pack, "{calls}"), "placeholder {calls} is not known")
    assert_reported(forms, pack.name, line_of(pack, "days: 2"), "'days' does not apply to a daily_limit rule")


def test_rule_pack_schema_problems(forms: Path) -> None:
    pack = forms / "rules" / "us.yaml"
    edit(pack, '    start: "08:00"\n', '    start: "8am"\n')
    edit(pack, "    severity: soft\n    applies_to: [contact_third_party, call, sms]\n",
         "    severity: gentle\n    applies_to: [contact_third_party, call, sms]\n")
    assert_reported(forms, pack.name, line_of(pack, 'start: "8am"'), "does not match")
    assert_reported(forms, pack.name, line_of(pack, "severity: gentle"), "is not one of")


def test_override_that_loosens_is_reported_on_the_setting(forms: Path) -> None:
    policy = forms / "rules" / "acme-cn.yaml"
    policy.write_text("""kind: rule_override
id: acme
jurisdiction: CN
version: "1"
title: {zh-CN: 某贷款方政策, en: ACME policy}
rules:
  - id: CN2
    max: 2
  - id: CN1
    start: "07:30"
  - id: CN-P1
    flags: [attorney]
  - id: CN-ACME1
    type: min_interval
    severity: hard
    applies_to: [start_visit]
    days: 14
    reason: {zh-CN: 两周内不再上门, en: No second visit within two weeks}
  - id: CN-ACME2
    type: min_interval
    severity: hard
    applies_to: [start_visit]
""", encoding="utf-8")
    found = problems_in(forms, policy.name)
    assert any(ln == line_of(policy, 'start: "07:30"') and "would loosen" in m for ln, m in found), found
    assert any(ln == line_of(policy, "flags: [attorney]") and "would loosen" in m for ln, m in found), found
    assert any(ln == line_of(policy, "- id: CN-ACME2") and "'reason' is a required property" in m for ln, m in found)
    assert not any(ln in (line_of(policy, "max: 2"), line_of(policy, "days: 14")) for ln, _ in found), found
    assert len(found) == 4  # CN-ACME2 also lacks "days"


def test_a_clean_override_passes(forms: Path) -> None:
    (forms / "rules" / "acme-us.yaml").write_text("""kind: rule_override
id: acme
jurisdiction: US
version: "1"
title: {zh-CN: 某贷款方政策, en: ACME policy}
rules:
  - id: US1
    start: "09:00"
    end: "20:00"
""", encoding="utf-8")
    assert check_dir(forms)[0] == []


def test_scripts_must_work_under_the_lender_policy_of_the_folder(forms: Path) -> None:
    # a US lender that asks for recording before any disclosure: the US script lets the consumer
    # decline recording and carry on, so it no longer fits and must be changed with the policy
    (forms / "rules" / "acme-us.yaml").write_text("""kind: rule_override
id: acme
jurisdiction: US
version: "1"
title: {zh-CN: 某贷款方政策, en: ACME policy}
rules:
  - id: US5
    recording_before_disclosure: true
""", encoding="utf-8")
    script = forms / "scripts" / "us-home-visit.yaml"
    found = problems_in(forms, script.name)
    assert (line_of(script, "- id: amount"), "step 'amount' needs recording consent but can be reached without it: "
            "identify → collector_disclosure → recording → entry → amount") in found
    assert problems_in(forms, "acme-us.yaml") == []


def test_yaml_12_scalars_keep_times_and_yes_no_as_text() -> None:
    doc = parse_yaml('a: 22:00\nb: yes\nc: no\nd: 2026-01-01\ne: 08\nf: true\ng: 3\n')
    assert doc.data == {"a": "22:00", "b": "yes", "c": "no", "d": "2026-01-01", "e": "08", "f": True, "g": 3}
    assert doc.line_of(("g",)) == 7


def test_a_new_kind_plugs_in_with_its_schema(forms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from fieldapp.core import formcheck

    schemas = forms / "schemas"
    (schemas / "notice_template.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://fieldapp.invalid/schemas/notice_template.schema.json",
        "type": "object", "required": ["kind", "id"], "additionalProperties": False,
        "properties": {"kind": {"const": "notice_template"}, "id": {"type": "string"}},
    }), encoding="utf-8")
    (forms / "notices").mkdir(exist_ok=True)
    (forms / "notices" / "cn-notice.yaml").write_text("kind: notice_template\nid: cn\nbody: x\n", encoding="utf-8")

    # bundled_forms() pointing at the copy, as if the schema had shipped
    monkeypatch.setattr(formcheck, "bundled_forms", lambda: forms)
    monkeypatch.setattr("fieldapp.core.forms.bundled_forms", lambda: forms)
    monkeypatch.setattr(formcheck, "_VALIDATORS", {})
    monkeypatch.setattr(formcheck, "KINDS", dict(formcheck.KINDS))
    assert_reported(forms, "cn-notice.yaml", 3, "unknown key 'body'")


def test_step_roles_are_checked(forms: Path) -> None:
    """The visit reads the delivery, the follow-up and the person at the door by role: each role's
    step must be of the kind it needs, and every answer of a delivery step names its delivery."""
    script = forms / "scripts" / "cn-home-visit.yaml"
    edit(script, "        delivery: refused\n", "")
    edit(script, "    role: follow_up\n    capture: date\n", "    role: follow_up\n    capture: text\n")
    found = problems_in(forms, "cn-home-visit.yaml")
    messages = [m for _, m in found]
    assert "answer 'refused' of the delivery step must say how the notice went (delivery: …)" in messages
    assert "a follow_up step must be a capture step capturing a date" in messages
    third = forms / "scripts" / "cn-third-party.yaml"
    edit(third, "    role: delivery\n    only_if: sealed_envelope_allowed\n", "    only_if: sealed_envelope_allowed\n")
    assert (line_of(third, "delivery: sealed_envelope"), "only a step with role: delivery names a delivery") in \
        problems_in(forms, "cn-third-party.yaml")


@pytest.mark.parametrize(("pack", "old", "new", "fragment"), [
    ("cn.yaml", 'end: "22:00"', 'end: "23:00"', "looser than the law's '22:00' (CN1"),
    ("cn.yaml", "server_retention_days: 1825", "server_retention_days: 365", "looser than the law's 1825 (CN6"),
    ("us.yaml", 'end: "21:00"', 'end: "21:30"', "looser than the law's '21:00' (US1"),
    ("us.yaml", "server_retention_days: 1095", "server_retention_days: 1000", "(US8"),
    ("in.yaml", 'end: "19:00"', 'end: "20:00"', "looser than the law's '19:00' (IN1"),
])
def test_a_rule_pack_looser_than_the_law_is_refused_on_the_setting(forms: Path, pack: str, old: str, new: str,
                                                                   fragment: str) -> None:
    path = forms / "rules" / pack
    edit(path, old, new)
    assert_reported(forms, pack, line_of(path, new), fragment)


def test_a_stricter_rule_pack_passes_and_every_pack_sets_its_retention(forms: Path) -> None:
    from fieldapp.core.forms import bundled_rule_pack_data
    from fieldapp.core.rules import RulePack

    edit(forms / "rules" / "cn.yaml", "server_retention_days: 1825", "server_retention_days: 2555")
    edit(forms / "rules" / "cn.yaml", "device_purge_days: 30", "device_purge_days: 7")
    assert problems_in(forms, "cn.yaml") == []
    retention = {j: RulePack.from_dict(data).retention() for j, data in bundled_rule_pack_data().items()}
    assert set(retention) == {"CN", "US", "IN", "UK"}
    assert retention["CN"].server_retention_days == 1825 and retention["US"].server_retention_days == 1095
    assert all(r.device_purge_days >= 1 for r in retention.values())
    text = (forms / "rules" / "uk.yaml").read_text(encoding="utf-8")
    start = text.index("    type: retention\n")
    (forms / "rules" / "uk.yaml").write_text(text[:start] + "    type: sealed_envelope\n    allowed: false\n"
                                             + text[start + len("    type: retention\n"):], encoding="utf-8")
    assert any("no retention rule" in message for _line, message in problems_in(forms, "uk.yaml"))
