"""``run_gui`` end to end: the unlock screen with demo credentials, the workspace, quitting."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fieldapp.ui.access import UnlockWidget
from fieldapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_run_gui_unlocks_shows_the_workspace_and_quits(qapp: Any, fast_kdf: None, fieldapp_home: Any,
                                                       now: Any) -> None:
    from fieldapp.app.sample_data import fill_store
    from fieldapp.store.db import DeviceStore
    from fieldapp.ui.app import run_gui

    store = DeviceStore.create("pin-2468")
    fill_store(store, 30, now=now, appointments=3)
    store.close()
    seen: dict[str, Any] = {}

    def find(kind: type) -> Any:
        return next((w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, kind)), None)

    def unlock() -> None:
        access = next(w for w in QApplication.topLevelWidgets()
                      if w.objectName() == "accessWindow" and w.isVisible())
        widget = access.centralWidget()
        assert isinstance(widget, UnlockWidget)
        seen["credentials"] = widget.credentials.text()
        QTest.keyClicks(widget.secret, "pin-2468")
        QTest.mouseClick(widget.unlock_button, Qt.MouseButton.LeftButton)
        poll(0)

    def poll(tries: int) -> None:
        window = find(MainWindow)
        if window is not None and window.cases_page.model.rowCount() == 30:
            seen["title"] = window.windowTitle()
            window.close()  # the last window: the app quits
            return
        if tries > 300:
            QApplication.quit()
            return
        QTimer.singleShot(20, lambda: poll(tries + 1))

    QTimer.singleShot(0, unlock)
    handlers = list(logging.getLogger().handlers)
    try:
        status = run_gui(["fieldapp"], server_url_preset="http://127.0.0.1:9",
                         demo_credentials={"username": "zhangwei", "pin": "pin-2468"})
    finally:
        for handler in logging.getLogger().handlers:
            if handler not in handlers:
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert status == 0
    assert "pin-2468" in seen["credentials"]
    assert seen.get("title", "").startswith("FieldApp")
    assert (fieldapp_home / "logs" / "fieldapp-gui.log").exists()
