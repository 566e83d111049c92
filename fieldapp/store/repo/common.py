"""What every part of the repository shares."""

from __future__ import annotations

import datetime as dt

from fieldapp.core.clock import device_now


def now_utc() -> dt.datetime:
    """The device's own clock, for bookkeeping times only (rules read the trusted clock)."""
    return device_now()


def require_aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value
