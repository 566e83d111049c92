"""A clock a collector cannot wind back: server time learned at the last sync plus monotonic time.

A night-window check is only as good as the time it reads (PRODUCT.md §6). The device's wall clock
can be set to anything; ``time.monotonic()`` cannot be changed by the user and keeps counting
while the app runs. So after a sync the trusted time is ``server_time + (monotonic_now -
monotonic_at_sync)``. Before any sync, or when the monotonic reading is no longer comparable (the
machine rebooted), the clock falls back to the device clock corrected by the last known skew and
says so (``source``), so the record can carry it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UTC = dt.timezone.utc
DEFAULT_THRESHOLD_SECONDS = 300.0

SOURCE_SERVER = "server"  # server time at the last sync + monotonic elapsed
SOURCE_DEVICE_ADJUSTED = "device_adjusted"  # device clock corrected by the skew seen at the last sync
SOURCE_DEVICE = "device"  # never synced: the device clock as it is


def _device_now() -> dt.datetime:
    return dt.datetime.now(UTC)


@dataclass(frozen=True)
class ClockReading:
    """One trusted reading with how it was obtained; put it on visit and contact records."""

    utc: dt.datetime
    source: str
    device_skew_seconds: float | None
    device_clock_off: bool

    def to_dict(self) -> dict[str, Any]:
        return {"utc": self.utc.isoformat(), "source": self.source,
                "device_skew_seconds": self.device_skew_seconds, "device_clock_off": self.device_clock_off}


class TrustedClock:
    """Trusted UTC time for rule checks and records.

    ``monotonic`` and ``device_now`` are injectable for tests; in the app use the defaults. Call
    ``learn(server_time)`` whenever a sync response carries the server's time.
    """

    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic,
                 device_now: Callable[[], dt.datetime] = _device_now) -> None:
        self._monotonic = monotonic
        self._device_now = device_now
        self._server_at_sync: dt.datetime | None = None
        self._mono_at_sync: float | None = None
        self._skew_at_sync: float | None = None  # device minus server, seconds, at the sync

    def learn(self, server_time: dt.datetime) -> None:
        """Remember the server's time (from a sync response) against the monotonic clock now."""
        if server_time.tzinfo is None or server_time.utcoffset() is None:
            raise ValueError("server time must be timezone-aware")
        self._server_at_sync = server_time.astimezone(UTC)
        self._mono_at_sync = self._monotonic()
        self._skew_at_sync = (self._device_now() - self._server_at_sync).total_seconds()

    @property
    def synced(self) -> bool:
        return self._server_at_sync is not None

    @property
    def source(self) -> str:
        if self._server_at_sync is None:
            return SOURCE_DEVICE
        if self._mono_at_sync is None or self._monotonic() < self._mono_at_sync:
            return SOURCE_DEVICE_ADJUSTED  # monotonic went backwards: a reboot since the sync
        return SOURCE_SERVER

    def now(self) -> dt.datetime:
        """The trusted time, timezone-aware UTC."""
        source = self.source
        if source == SOURCE_SERVER:
            assert self._server_at_sync is not None and self._mono_at_sync is not None
            return self._server_at_sync + dt.timedelta(seconds=self._monotonic() - self._mono_at_sync)
        device = self._device_now().astimezone(UTC)
        if source == SOURCE_DEVICE_ADJUSTED and self._skew_at_sync is not None:
            return device - dt.timedelta(seconds=self._skew_at_sync)
        return device

    def device_skew_seconds(self) -> float | None:
        """Device clock minus trusted time in seconds (positive: the device runs ahead); None before a sync."""
        if self.source != SOURCE_SERVER:
            return self._skew_at_sync if self.synced else None
        return (self._device_now().astimezone(UTC) - self.now()).total_seconds()

    def is_device_clock_off(self, threshold: float = DEFAULT_THRESHOLD_SECONDS) -> bool:
        """True if the device clock disagrees with trusted time by more than ``threshold`` seconds."""
        skew = self.device_skew_seconds()
        return skew is not None and abs(skew) > threshold

    def reading(self, threshold: float = DEFAULT_THRESHOLD_SECONDS) -> ClockReading:
        return ClockReading(self.now(), self.source, self.device_skew_seconds(), self.is_device_clock_off(threshold))

    # The monotonic clock counts from boot on Linux, Windows and macOS, so a saved reading is still
    # comparable after an app restart within the same boot; a smaller reading means a reboot.
    def to_dict(self) -> dict[str, Any]:
        return {
            "server_at_sync": self._server_at_sync.isoformat() if self._server_at_sync else None,
            "monotonic_at_sync": self._mono_at_sync,
            "skew_at_sync": self._skew_at_sync,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Take back what ``to_dict`` saved (e.g. at start-up), if nothing newer was learnt."""
        if self._server_at_sync is not None or not state.get("server_at_sync"):
            return
        self._server_at_sync = dt.datetime.fromisoformat(state["server_at_sync"]).astimezone(UTC)
        self._mono_at_sync = state.get("monotonic_at_sync")
        self._skew_at_sync = state.get("skew_at_sync")


__all__ = ("ClockReading", "TrustedClock", "SOURCE_DEVICE", "SOURCE_DEVICE_ADJUSTED", "SOURCE_SERVER")
