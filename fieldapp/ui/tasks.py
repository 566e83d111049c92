"""The one helper for slow work: run a function off the GUI thread and call back on it.

Usage::

    Task(parent, fetch_cases, store, query).on_done(show).on_error(complain).start()

``fn`` runs on a ``QThreadPool`` thread. It must not touch any widget; it gets what it needs as
arguments (a store, a filter) and opens its own session or client. The callbacks run on the GUI
thread, and only while ``parent`` is alive: a task whose parent was destroyed drops its result.

How: the worker never holds a Qt object. It leaves its outcome in a plain dict and emits one
application-wide dispatcher's signal with the task number only; the dispatcher lives on the GUI
thread, so the signal is queued there, and it looks the task and its outcome up. No QObject is
created or deleted per task, and no Python object crosses threads inside a Qt signal: PySide6 6.12
miscounts references of objects (None, True, False, …) queued across threads, which ends in a crash
after a few thousand signals.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)


class _Dispatcher(QObject):
    """Created on the GUI thread; receives every task's outcome there (a queued connection)."""

    ready = Signal(int)  # the task number; its outcome waits in ``outcomes``

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.tasks: dict[int, Task] = {}
        # task number → (ok, result or exception, traceback text); written by workers
        self.outcomes: dict[int, tuple[bool, Any, str]] = {}
        self.ready.connect(self._deliver)

    @Slot(int)
    def _deliver(self, number: int) -> None:
        task = self.tasks.pop(number, None)
        ok, value, details = self.outcomes.pop(number, (False, RuntimeError("task outcome lost"), ""))
        if task is not None:
            task._deliver(ok, value, details)


_dispatcher: _Dispatcher | None = None
_numbers = itertools.count(1)


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


def running_count() -> int:
    """How many tasks are started and not yet delivered (for tests and a busy indicator)."""
    return len(_dispatcher.tasks) if _dispatcher is not None and shiboken6.isValid(_dispatcher) else 0


class _Runnable(QRunnable):
    def __init__(self, dispatcher: _Dispatcher, number: int, fn: Callable[..., Any], args: tuple,
                 kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._outcomes = dispatcher.outcomes
        self._signal = dispatcher.ready
        self._number = number
        self._fn = fn
        self._args = args
        self._kwargs = kwargs

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(*self._args, **self._kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            outcome = (False, exc, traceback.format_exc())
        else:
            outcome = (True, result, "")
        finally:
            self._fn = self._args = self._kwargs = None  # type: ignore[assignment]
        self._outcomes[self._number] = outcome  # a dict store is atomic under the GIL
        try:
            self._signal.emit(self._number)
        except RuntimeError:  # the application is shutting down
            log.debug("background task finished after the application closed")


class Task:
    """One background job with GUI-thread callbacks. Build it, chain ``on_done``/``on_error``, ``start()``."""

    def __init__(self, parent: QObject, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._parent = parent
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._done_cb: Callable[[Any], None] | None = None
        self._error_cb: Callable[[BaseException, str], None] | None = None

    def on_done(self, callback: Callable[[Any], None]) -> Task:
        """``callback(result)`` runs on the GUI thread when ``fn`` returned."""
        self._done_cb = callback
        return self

    def on_error(self, callback: Callable[[BaseException, str], None]) -> Task:
        """``callback(exc, traceback_text)`` runs on the GUI thread when ``fn`` raised.

        Without one, the person is told in plain words (an error dialog over ``parent`` with "Copy
        details"), and the traceback goes to the log: an error is never only a log line.
        """
        self._error_cb = callback
        return self

    def start(self, pool: QThreadPool | None = None) -> Task:
        """Queue the job; must be called on the GUI thread."""
        dispatcher = _get_dispatcher()
        number = next(_numbers)
        dispatcher.tasks[number] = self
        runnable = _Runnable(dispatcher, number, self._fn, self._args, self._kwargs)
        (pool or QThreadPool.globalInstance()).start(runnable)
        return self

    def _deliver(self, ok: bool, value: Any, details: str) -> None:
        if not shiboken6.isValid(self._parent):
            if not ok:
                log.info("background task failed after its window closed: %s", value)
            return
        if ok:
            if self._done_cb is not None:
                self._done_cb(value)
        elif self._error_cb is not None:
            self._error_cb(value, details)
        else:
            self._report(value, details)

    def _report(self, exc: BaseException, details: str) -> None:
        from PySide6.QtWidgets import QWidget

        from fieldapp.ui.dialogs import report_error
        from fieldapp.ui.messages import describe_error

        log.error("background task %s failed:\n%s", getattr(self._fn, "__name__", self._fn), details)
        parent = self._parent
        while parent is not None and not isinstance(parent, QWidget):
            parent = parent.parent()
        window = parent.window() if isinstance(parent, QWidget) else None
        report_error(window, describe_error(exc, details)[0], details)
