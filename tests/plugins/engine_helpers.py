"""Shared helpers for the engine tests (no Qt, no store)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


def local(zone: str, *args: int) -> dt.datetime:
    """An aware datetime at the given wall time in ``zone``."""
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


class FakeMonotonic:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


class FakeDeviceClock:
    """A device wall clock the "user" can set to anything."""

    def __init__(self, now: dt.datetime) -> None:
        self.value = now

    def __call__(self) -> dt.datetime:
        return self.value
