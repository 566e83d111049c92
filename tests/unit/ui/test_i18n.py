"""Translations: complete, compiled from their sources, current with the code, and switchable."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from fieldapp.ui import i18n

pytestmark = pytest.mark.gui

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _messages(ts: Path) -> list[tuple[str, str, str, str]]:
    """(context, source, translation, type) for every message in a .ts file."""
    rows = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            rows.append((name, message.findtext("source") or "", (translation.text or "") if translation is not None
                         else "", translation.get("type", "") if translation is not None else "missing"))
    return rows


def test_there_is_a_chinese_translation() -> None:
    assert [p.name for p in i18n.ts_files()] == ["fieldapp_zh_CN.ts"]


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.name)
def test_every_string_is_translated_with_its_placeholders(ts: Path) -> None:
    messages = _messages(ts)
    assert len(messages) > 150
    unfinished = [(c, s) for c, s, t, kind in messages if kind in ("unfinished", "missing") or not t.strip()]
    assert not unfinished, f"untranslated in {ts.name}: {unfinished[:10]}"
    for context, source, translation, _ in messages:
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), (context, source)
        if re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", source)) and source != "FieldApp — {name}":
            # a real translation, not the English left in place (product names and codes aside)
            assert re.search(r"[\u4e00-\u9fff]", translation), (context, source, translation)


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.name)
def test_committed_qm_is_the_compile_of_its_ts(ts: Path, tmp_path: Path) -> None:
    qm = ts.with_suffix(".qm")
    assert qm.exists(), f"{qm.name} is missing: run python -m fieldapp.ui.i18n --compile"
    fresh = tmp_path / qm.name
    i18n.compile_ts(ts, fresh)
    assert fresh.read_bytes() == qm.read_bytes(), (
        f"{qm.name} is stale or differs from its .ts: run python -m fieldapp.ui.i18n --compile")


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.name)
def test_ts_holds_exactly_the_strings_of_the_code(ts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / ts.name
    shutil.copy(ts, copy)
    monkeypatch.setattr(i18n, "TS_DIR", tmp_path)
    i18n.update_ts()
    committed = {(c, s) for c, s, _, _ in _messages(ts)}
    current = {(c, s) for c, s, _, _ in _messages(copy)}
    assert current == committed, (
        f"the code's strings changed (new: {sorted(current - committed)[:5]}, gone: {sorted(committed - current)[:5]}); "
        "run python -m fieldapp.ui.i18n --update, translate, then --compile")


@pytest.mark.parametrize("ts", i18n.ts_files(), ids=lambda p: p.name)
def test_every_literal_passed_to_tr_reaches_the_translators(ts: Path) -> None:
    """lupdate does not look inside f-strings: a ``self.tr('…')`` there stays English on a Chinese screen."""
    sources = {s for _c, s, _t, _k in _messages(ts)}
    literal = re.compile(r"""\btr\((?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]""")
    lost = []
    for path in sorted((Path(i18n.__file__).parent).rglob("*.py")):
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            if text not in sources:
                lost.append((path.name, text))
    assert not lost, lost


def test_switching_language_rebuilds_the_window_and_is_remembered(
        qtbot: Any, styled_app: Any, filled_store: Any) -> None:
    from fieldapp.app.settings import UiSettings
    from fieldapp.ui.app import AppController

    controller = AppController(styled_app, UiSettings(language="en"),
                               adapter_options={"use_network_information": False})
    try:
        controller.store = filled_store
        with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
            controller.open_workspace()
        assert controller.window.rail.item(1).text() == "Cases"
        with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
            controller.set_language("zh_CN")
        window = controller.window
        assert window.rail.item(0).text() == "今日" and window.rail.item(1).text() == "案件"
        assert UiSettings.load().language == "zh_CN"
        qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 120)
        assert window.cases_page.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "姓名"
        assert window.cases_page.count_label.text() == "120 个案件"
    finally:
        controller.store = None
        controller.shutdown()
        controller.access.close()
        i18n.install(styled_app, "en")
