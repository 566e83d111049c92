"""Plain messages: error dialog with "copy details", translated error sentences, settings, the command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fieldapp.app.settings import (
    SERVER_URL_ENV,
    UiSettings,
    preset_server_url,
    settings_path,
)
from fieldapp.ui.dialogs import ErrorDialog, SettingsDialog
from fieldapp.ui.messages import describe_error

pytestmark = pytest.mark.gui


def test_error_dialog_hides_the_traceback_and_copies_it(qtbot: Any, styled_app: Any) -> None:
    details = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: boom'
    dialog = ErrorDialog(None, "The server had a problem.", details)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message_label.text() == "The server had a problem."
    assert "Traceback" not in dialog.message_label.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details
    assert dialog.copy_button.text() == "Copied"


def test_errors_are_described_plainly_and_in_chinese(styled_app: Any) -> None:
    from fieldapp.store.db import WrongSecret
    from fieldapp.sync.client import DeviceRevoked, EnrollmentFailed, ServerUnreachable
    from fieldapp.ui import i18n

    assert describe_error(WrongSecret())[0].startswith("That PIN or password is not right")
    assert describe_error(EnrollmentFailed("enrollment failed: code used")) [1] is True
    assert "cannot be reached" in describe_error(ServerUnreachable())[0]
    message, _ = describe_error(KeyError("x"), "Traceback …")
    assert "unexpected" in message and "KeyError" not in message
    try:
        i18n.install(styled_app, "zh_CN")
        assert describe_error(DeviceRevoked())[0].startswith("此电脑已被 IT 部门停用")
    finally:
        i18n.install(styled_app, "en")


def test_settings_file_round_trip_and_damage(tmp_path: Path) -> None:
    assert UiSettings.load() == UiSettings()
    UiSettings(language="zh_CN", idle_lock_minutes=7, server_url="https://fa.example.cn").save()
    loaded = UiSettings.load()
    assert (loaded.language, loaded.idle_lock_minutes, loaded.server_url) == ("zh_CN", 7, "https://fa.example.cn")
    settings_path().write_text("{not json", encoding="utf-8")
    assert UiSettings.load() == UiSettings()
    settings_path().write_text('{"language": "fr", "idle_lock_minutes": "soon", "extra": 1}', encoding="utf-8")
    odd = UiSettings.load()
    assert odd.language == "" and odd.idle_lock_minutes == 10


def test_server_url_preset_order(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = UiSettings(server_url="https://from-file.example")
    assert preset_server_url(settings) == "https://from-file.example"
    monkeypatch.setenv(SERVER_URL_ENV, "https://from-env.example")
    assert preset_server_url(settings) == "https://from-env.example"
    assert preset_server_url(settings, "https://explicit.example") == "https://explicit.example"


def test_settings_dialog_sets_the_idle_lock(qtbot: Any, styled_app: Any) -> None:
    dialog = SettingsDialog(None, 10)
    qtbot.addWidget(dialog)
    dialog.idle_minutes.setValue(3)
    assert dialog.idle_minutes.value() == 3 and dialog.idle_minutes.suffix() == " min"


def test_gui_command_is_registered_without_importing_qt_in_the_cli() -> None:
    from fieldapp.cli import build_parser

    args = build_parser().parse_args(["gui", "--server", "https://fa.example.cn"])
    assert args.server == "https://fa.example.cn" and args.handler.__name__ == "_run_gui"
