"""The device's own facts (who it is, the trusted clock, the team's working zone)."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.core.clock import CollectorDay, TrustedClock, known_zone, laptop_zone
from fieldapp.store.models import Meta

#: Meta keys written at enrollment and sync (the same names fieldapp.sync.client uses).
META_DEVICE_ID = "device_id"
META_USERNAME = "username"
#: TrustedClock.to_dict() as JSON, saved after each sync that heard the server's time.
META_TRUSTED_CLOCK = "trusted_clock"
#: The team's working time zone as the server last published it (absent: the laptop's own zone).
META_WORK_ZONE = "work_zone"


def meta_value(session: Session, key: str) -> str | None:
    return session.scalar(select(Meta.value).where(Meta.key == key))


def trusted_clock(session: Session, **clock_options: Any) -> TrustedClock:
    """A fieldapp.core.clock.TrustedClock primed with the server time learned at the last sync.

    Before any sync it reads the device clock (``source == "device"``); after a reboot since the
    sync, the device clock corrected by the skew seen then. ``clock_options`` go to TrustedClock
    (``monotonic``, ``device_now``) for tests.
    """
    import json

    clock = TrustedClock(**clock_options)
    raw = meta_value(session, META_TRUSTED_CLOCK)
    if raw:
        try:
            clock.restore(json.loads(raw))
        except (ValueError, TypeError, KeyError):
            pass  # an unreadable saved state: as if never synced, which the reading says
    return clock


def set_work_zone(session: Session, name: str | None) -> None:
    """Remember the working zone the server published (None or an unknown name: the laptop's own)."""
    row = session.get(Meta, META_WORK_ZONE)
    if known_zone(name) is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Meta(key=META_WORK_ZONE, value=name))
    else:
        row.value = name  # type: ignore[assignment]


def work_zone(session: Session) -> dt.tzinfo:
    """The collector's working zone: the team's as published by the server, else the laptop's."""
    return known_zone(meta_value(session, META_WORK_ZONE)) or laptop_zone()


def collector_day(session: Session, clock: TrustedClock | None = None) -> CollectorDay:
    """The collector's day: ``clock`` (default this store's trusted clock) in the working zone."""
    clock = clock if clock is not None else trusted_clock(session)
    return CollectorDay(clock.now, work_zone(session))
