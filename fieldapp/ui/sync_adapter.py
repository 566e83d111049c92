"""The one adapter between the sync client's plain events and Qt: signals, automatic sync, online state.

Automatic sync: when ``QNetworkInformation`` has a backend, a change to "online" triggers a probe;
in any case a light periodic ``/hello`` probe runs while offline, and a sync runs every few minutes
while online and right after coming back online. ``sync_now()`` syncs at once.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from fieldapp.app import sync
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

# How the GUI's client retries: few and short, so "offline" shows within seconds.
CLIENT_OPTIONS: dict[str, Any] = {"timeout": (3, 30), "max_attempts": 3, "backoff_base": 0.25,
                                  "backoff_max": 2.0, "max_total_wait": 5.0}
PROBE_OPTIONS: dict[str, Any] = {"timeout": (3, 5), "max_attempts": 1}


class SyncAdapter(QObject):
    """Runs syncs for one unlocked store and reports them as signals on the GUI thread."""

    started = Signal()
    # phase ("push" | "pull" | "attachments"), done, total (or None when unknown)
    progress = Signal(str, int, object)
    # the SyncReport
    finished = Signal(object)
    # the exception and its traceback text (DeviceRevoked comes through ``revoked`` instead)
    failed = Signal(object, str)
    online_changed = Signal(bool)
    busy_changed = Signal(bool)
    # the server revoked this device; the store has already been wiped
    revoked = Signal()

    def __init__(self, store: Any, parent: QObject | None = None, *, use_network_information: bool = True,
                 probe_interval_ms: int = 30_000, sync_interval_ms: int = 5 * 60_000,
                 client_options: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._options = {**CLIENT_OPTIONS, **(client_options or {})}
        self._probe_options = {**self._options, **PROBE_OPTIONS}
        self.online: bool | None = None
        self.busy = False
        self._again = False
        self._stopped = False
        # The client calls on_event on the syncing thread; events wait here (deque.append is
        # thread-safe) and the GUI thread drains them, so no Python object crosses threads in a signal.
        self._events: deque[Any] = deque()
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(50)
        self._drain_timer.timeout.connect(self._drain)
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(probe_interval_ms)
        self._probe_timer.timeout.connect(self._probe)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(sync_interval_ms)
        self._sync_timer.timeout.connect(self.sync_now)
        self._network: Any = None
        if use_network_information:
            self._watch_network()

    # -- control
    def start(self) -> None:
        """Begin automatic syncing: one sync now, then the timers."""
        self._probe_timer.start()
        self._sync_timer.start()
        self.sync_now()

    def stop(self) -> None:
        """Stop timers and ignore results still on their way (before the store is closed)."""
        self._stopped = True
        self._probe_timer.stop()
        self._sync_timer.stop()
        self._drain_timer.stop()

    @Slot()
    def sync_now(self) -> None:
        """Sync at once; if a sync is running, run another right after it."""
        if self._stopped:
            return
        if self.busy:
            self._again = True
            return
        self._set_busy(True)
        self._drain_timer.start()
        Task(self, sync.run_sync, self._store, self._events.append, self._options).on_done(self._done).on_error(
            self._failed).start()

    # -- results (GUI thread)
    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    @Slot()
    def _drain(self) -> None:
        while self._events:
            event = self._events.popleft()
            if self._stopped:
                continue
            if isinstance(event, sync.SyncStarted):
                self.started.emit()
            elif isinstance(event, sync.SyncProgress):
                self.progress.emit(event.phase, int(event.done), event.total)

    def _done(self, report: Any) -> None:
        self._drain()
        self._drain_timer.stop()
        self._set_busy(False)
        if self._stopped:
            return
        self._set_online(True)
        self.finished.emit(report)
        self._maybe_again()

    def _failed(self, exc: BaseException, details: str) -> None:
        self._drain()
        self._drain_timer.stop()
        self._set_busy(False)
        if self._stopped:
            return
        if isinstance(exc, sync.DeviceRevoked):
            self.stop()
            self.revoked.emit()
            return
        if isinstance(exc, sync.ServerUnreachable):
            self._set_online(False)
        elif not isinstance(exc, (sync.SyncError, sync.StoreError)):
            log.error("sync failed unexpectedly:\n%s", details)
        self.failed.emit(exc, details)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.sync_now()

    # -- online detection
    @Slot()
    def _probe(self) -> None:
        if self._stopped or self.busy or self.online:
            return  # while online, the periodic sync itself tells us when the server goes away
        Task(self, sync.hello, self._store, self._probe_options).on_done(self._probe_ok).on_error(
            self._probe_failed).start()

    def _probe_ok(self, _hello_answer: Any) -> None:
        if self._stopped:
            return
        was_online = self.online
        self._set_online(True)
        if not was_online:
            self.sync_now()  # back online: send what waited

    def _probe_failed(self, exc: BaseException, details: str) -> None:
        if self._stopped:
            return
        if isinstance(exc, sync.DeviceRevoked):
            self.stop()
            self.revoked.emit()
        elif isinstance(exc, sync.ServerUnreachable):
            self._set_online(False)
        else:
            log.info("probe failed: %s", exc)

    def probe_now(self) -> None:
        """Check the server at once (tests, and after the network came back)."""
        self._probe()

    def _watch_network(self) -> None:
        """Use the platform's network reachability where a backend loads; the probe covers the rest."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
                return
            info = QNetworkInformation.instance()
        except Exception as exc:  # noqa: BLE001 - optional: the probe still works without it
            log.info("no network information backend: %s", exc)
            return
        if info is None:
            return
        self._network = info
        info.reachabilityChanged.connect(self._reachability_changed)

    @Slot(object)
    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._set_online(False)
        elif reachability in (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site,
                              QNetworkInformation.Reachability.Local):
            self._probe()
