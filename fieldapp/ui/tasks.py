"""The one helper for slow work: run a function off the GUI thread and call back on it.

Usage::

    Task(parent, fetch_cases, store, query).on_done(show).on_error(complain).start()

``fn`` runs on a ``QThreadPool`` thread. It must not touch any widget; it gets what it needs as
arguments (a store, a filter) and opens its own session or client. The callbacks run on the GUI
thread, delivered by queued signals, and only while ``parent`` is alive: a task whose parent was
destroyed drops its result quietly.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

#: Tasks started and not yet delivered; tests wait on this reaching zero.
_running: set[Task] = set()


def running_count() -> int:
    """How many tasks are started and not yet delivered (for tests and a busy indicator)."""
    return len(_running)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, the GUI thread receives (queued)."""

    done = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, relay: _Relay, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = relay
        self._fn = fn
        self._args = args
        self._kwargs = kwargs

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(*self._args, **self._kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            self._emit(self._relay.failed, exc, traceback.format_exc())
        else:
            self._emit(self._relay.done, result)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the parent widget (and with it the task) is gone: nobody to tell
            log.debug("background task finished after its parent was destroyed")


class Task(QObject):
    """One background job with GUI-thread callbacks. Build it, chain ``on_done``/``on_error``, ``start()``."""

    def __init__(self, parent: QObject, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._done_cb: Callable[[Any], None] | None = None
        self._error_cb: Callable[[BaseException, str], None] | None = None
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver_done)
        self._relay.failed.connect(self._deliver_error)
        self.destroyed.connect(lambda *_: _running.discard(self))

    def on_done(self, callback: Callable[[Any], None]) -> Task:
        """``callback(result)`` runs on the GUI thread when ``fn`` returned."""
        self._done_cb = callback
        return self

    def on_error(self, callback: Callable[[BaseException, str], None]) -> Task:
        """``callback(exc, traceback_text)`` runs on the GUI thread when ``fn`` raised.

        Without one, the error is logged with its traceback (never silently dropped).
        """
        self._error_cb = callback
        return self

    def start(self, pool: QThreadPool | None = None) -> Task:
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self._relay, self._fn, self._args, self._kwargs))
        return self

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        try:
            if self._done_cb is not None:
                self._done_cb(result)
        finally:
            self._finish()

    @Slot(object, str)
    def _deliver_error(self, exc: BaseException, details: str) -> None:
        try:
            if self._error_cb is not None:
                self._error_cb(exc, details)
            else:
                log.error("background task %s failed:\n%s", getattr(self._fn, "__name__", self._fn), details)
        finally:
            self._finish()

    def _finish(self) -> None:
        _running.discard(self)
        self.deleteLater()
