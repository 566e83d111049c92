"""A clock a collector cannot wind back: server time learned at the last sync plus monotonic time.

A night-window check is only as good as the time it reads (PRODUCT.md §6). The device's wall clock
can be set to anything; ``time.monotonic()`` cannot be changed by the user and keeps counting
while the app runs. So after a sync the trusted time is ``server_time + (monotonic_now -
monotonic_at_sync)``. Before any sync, or when the monotonic reading is no longer comparable (the
machine rebooted), the clock falls back to the device clock corrected by the last known skew and
says so (``source``), so the record can carry it.

What "today" is depends on a place, not on the laptop: a collector's day runs in the working time
zone their team publishes (``CollectorDay``), whatever zone the laptop's clock is set to. The
laptop's own zone is only the fallback before the server has said (``laptop_zone``), and this module
is the only place that reads it or the wall clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
DEFAULT_THRESHOLD_SECONDS = 300.0

SOURCE_SERVER = "server"  # server time at the last sync + monotonic elapsed
SOURCE_DEVICE_ADJUSTED = "device_adjusted"  # device clock corrected by the skew seen at the last sync
SOURCE_DEVICE = "device"  # never synced: the device clock as it is


def device_now() -> dt.datetime:
    """The device's wall clock, aware UTC: the one place the client reads it (anyone can set it)."""
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
                 device_now: Callable[[], dt.datetime] = device_now) -> None:
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


# ------------------------------------------------------------------------------ the collector's day
def laptop_zone() -> dt.tzinfo:
    """The zone this computer is set to (``TZ`` first), by IANA name where it can be found.

    Only a fallback: the collector's day runs in the team's published zone (``CollectorDay``).
    """
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:  # noqa: BLE001 - no zone name to be had: the current offset is still right today
        return dt.datetime.now(UTC).astimezone().tzinfo or UTC


def known_zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone ``name``, or None when it is empty or no zone of that name exists."""
    if not name or len(name) > 64 or "\x00" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_named(name: str | None, fallback: dt.tzinfo = UTC) -> dt.tzinfo:
    """The IANA zone ``name``; ``fallback`` when it is empty or unknown."""
    return known_zone(name) or fallback


def zone_name(zone: dt.tzinfo) -> str:
    """An IANA name for ``zone`` where it has one (``Asia/Shanghai``), else its label (``UTC+05:45``)."""
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    return str(zone)


def debtor_today(tz_name: str, now: dt.datetime) -> dt.date:
    """The date at ``now`` where the debtor lives (China's date for an unknown zone: the importer
    refuses unknown zones, and the product's home market is the safest guess)."""
    return now.astimezone(known_zone(tz_name) or ZoneInfo("Asia/Shanghai")).date()


class CollectorDay:
    """The collector's day: trusted "now" read in the collector's working time zone.

    Every "today", "tomorrow", "due today or earlier" and "today's route" in the app asks this one
    object, so a laptop whose clock is set to UTC shows a Beijing collector's Beijing day. ``now`` is
    a callable giving aware UTC (``TrustedClock.now`` in the app, a fixed instant in tests). ``zone``
    is the one attribute that changes (the workspace sets it when a sync brings another team zone);
    a worker reads it once per job, so a job sees one zone throughout.
    """

    def __init__(self, now: Callable[[], dt.datetime], zone: dt.tzinfo) -> None:
        self._now = now
        self.zone = zone

    @classmethod
    def at(cls, instant: dt.datetime, zone: dt.tzinfo) -> CollectorDay:
        """A day frozen at ``instant`` (reports, tests)."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("the instant must be timezone-aware")
        fixed = instant.astimezone(UTC)
        return cls(lambda: fixed, zone)

    @property
    def zone_name(self) -> str:
        return zone_name(self.zone)

    def now(self) -> dt.datetime:
        """Trusted now, aware UTC."""
        return self._now().astimezone(UTC)

    def local(self, at: dt.datetime | None = None) -> dt.datetime:
        """``at`` (default now) on the collector's wall clock."""
        return (at if at is not None else self.now()).astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local().date()

    def date_of(self, at: dt.datetime) -> dt.date:
        """The collector's date at the instant ``at``."""
        return at.astimezone(self.zone).date()

    def bounds(self, day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
        """Start and end (exclusive) of ``day`` (default today) in the collector's zone, as aware UTC.

        A day across a DST change is 23 or 25 hours long: both ends are local midnights.
        """
        day = day if day is not None else self.today()
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def days_from_today(self, day: dt.date) -> int:
        """0 for today, 1 for tomorrow, -1 for yesterday …"""
        return (day - self.today()).days

    def shows_other_time(self, zone: dt.tzinfo | str, at: dt.datetime | None = None) -> bool:
        """Whether a clock in ``zone`` (a debtor's) shows another time than the collector's at ``at``.

        An unknown zone name counts as different, so it is named rather than hidden.
        """
        if isinstance(zone, str):
            try:
                zone = ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                return True
        at = at if at is not None else self.now()
        return at.astimezone(zone).utcoffset() != at.astimezone(self.zone).utcoffset()

    def __repr__(self) -> str:
        return f"CollectorDay({self.zone_name}, now={self.now().isoformat()})"


__all__ = ("ClockReading", "CollectorDay", "TrustedClock", "device_now", "known_zone", "laptop_zone", "zone_name", "zone_named", "SOURCE_DEVICE", "SOURCE_DEVICE_ADJUSTED", "SOURCE_SERVER")
