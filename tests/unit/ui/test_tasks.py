"""The background-work helper: results and errors arrive on the GUI thread; dead parents are safe."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject

from fieldapp.ui.tasks import Task, running_count

pytestmark = pytest.mark.gui


def test_result_arrives_on_the_gui_thread(qtbot: Any) -> None:
    parent = QObject()
    seen: dict[str, Any] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    def done(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    Task(parent, work, 2, 3).on_done(done).start()
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 5
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    qtbot.waitUntil(lambda: running_count() == 0)


def test_errors_arrive_with_their_traceback(qtbot: Any) -> None:
    parent = QObject()
    errors: list[tuple[BaseException, str]] = []

    def boom() -> None:
        raise ValueError("nope")

    Task(parent, boom).on_error(lambda exc, details: errors.append((exc, details))).start()
    qtbot.waitUntil(lambda: bool(errors))
    exc, details = errors[0]
    assert isinstance(exc, ValueError) and "boom" in details


def test_a_task_whose_parent_died_drops_its_result(qtbot: Any) -> None:
    parent = QObject()
    gate = threading.Event()
    called: list[Any] = []
    Task(parent, gate.wait, 5).on_done(called.append).start()
    parent.deleteLater()
    qtbot.wait(20)
    gate.set()
    qtbot.waitUntil(lambda: running_count() == 0)
    qtbot.wait(50)
    assert called == []


def test_a_failure_with_no_error_handler_is_told_to_the_person(qtbot: Any, caplog: Any) -> None:
    """A call site that forgot on_error still says what happened, in words, with "Copy details"."""
    from PySide6.QtWidgets import QApplication, QPushButton

    from fieldapp.ui.dialogs import ErrorDialog

    window = QPushButton("a window")
    qtbot.addWidget(window)
    window.show()

    def save_visit() -> None:
        raise OSError(28, "No space left on device")

    Task(window, save_visit).start()

    def shown() -> Any:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=5000)
    dialog = shown()
    assert dialog.parent() is window
    assert "Traceback" not in dialog.message_label.text() and dialog.message_label.text()
    assert "save_visit" in dialog.details and dialog.copy_button.isVisible()
    assert "save_visit" in caplog.text  # and the traceback is in the log
    dialog.close()
