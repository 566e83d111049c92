"""Render the real app's screens to PNG (README screenshots, and the GUI test that looks at them).

Runs offscreen on an unlocked store; nothing is synced. Used by ``packaging/screenshots.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.ui import i18n
from fieldapp.ui.access import EnrollmentWidget, UnlockWidget
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.sync_adapter import SyncAdapter
from fieldapp.ui.tasks import running_count

SIZE = (1360, 820)


def settle(condition: Callable[[], bool] = lambda: True, timeout_ms: int = 10_000) -> None:
    """Process events until background tasks are done and ``condition`` holds (or the timeout)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
        if running_count() == 0 and condition():
            break
    QCoreApplication.processEvents()


def _save(widget: QWidget, path: Path) -> Path:
    settle()
    widget.grab().save(str(path))
    return path


def render(store: Any, out_dir: Path, language: str, *, demo_credentials: dict[str, str] | None = None) -> list[Path]:
    """Save ``<language>-cases.png``, ``-contact.png``, ``-today.png``, ``-outbox.png``, ``-enroll.png``, ``-unlock.png``."""
    app = QApplication.instance()
    assert app is not None, "create the QApplication (fieldapp.ui.app.make_application) first"
    i18n.install(app, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    adapter = SyncAdapter(store, use_network_information=False)
    window = MainWindow(store, adapter, language=language)
    adapter.setParent(window)
    window.resize(*SIZE)
    window.show()
    window.start(autosync=False)
    window._online_changed(True)  # as after a successful sync: what a collector normally sees
    page = window.cases_page
    settle(lambda: page.model.settled() and page.city.count() > 1)
    # a flagged case with a contact history makes the most telling detail pane
    row = next((r for r in range(min(page.model.rowCount(), 40))
                if page.model.case_row(r) and page.model.case_row(r).state == "appointment"), 0)
    page.view.selectRow(row)
    settle(lambda: page.detail.detail is not None)
    shots.append(_save(window, out_dir / f"{language}-cases.png"))

    page.log_contact()
    dialog = page.contact_dialog
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("appointment"))
    dialog.note.setPlainText("债务人同意明天上午在家面谈" if language == "zh_CN" else "Agreed to meet at home tomorrow")
    dialog.adjustSize()
    shots.append(_save(dialog, out_dir / f"{language}-contact.png"))
    dialog.reject()

    window.show_page("today")
    settle(lambda: window.today_page.model.rowCount() > 0)
    shots.append(_save(window, out_dir / f"{language}-today.png"))
    window.show_page("outbox")
    settle(lambda: window.outbox_page.model.rowCount() > 0)
    shots.append(_save(window, out_dir / f"{language}-outbox.png"))
    window.shutdown()
    window.close()
    window.deleteLater()

    enroll = EnrollmentWidget(lambda *args, **kwargs: None, server_url="https://fieldapp.example.cn")
    enroll.resize(*SIZE)
    enroll.code.setText("7KQ4-M2XD")
    enroll.username.setText("zhangwei")
    enroll.password.setText("password")
    enroll.show()
    shots.append(_save(enroll, out_dir / f"{language}-enroll.png"))
    enroll.close()
    enroll.deleteLater()

    unlock = UnlockWidget(lambda secret: None, demo_credentials=demo_credentials)
    unlock.resize(*SIZE)
    unlock.show()
    shots.append(_save(unlock, out_dir / f"{language}-unlock.png"))
    unlock.close()
    unlock.deleteLater()
    settle()
    return shots
