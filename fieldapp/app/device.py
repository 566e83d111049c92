"""This laptop: what the status bar shows, and what its clock and working day are read from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldapp.core.clock import CollectorDay, TrustedClock
from fieldapp.store import repo


def status(store: Any) -> dict[str, Any]:
    """Counts of cases and records waiting or refused, the last sync, the device clock's skew."""
    with store.session() as session:
        result: dict[str, Any] = dict(repo.counts(session))
    meta = store.meta()
    result["last_sync"] = meta.get("last_sync")
    result["clock_skew_seconds"] = meta.get("clock_skew_seconds")
    return result


def day_source(store: Any) -> tuple[TrustedClock, dt.tzinfo]:
    """The store's trusted clock and the collector's working zone (both change with a sync): a
    CollectorDay is built from them. A few settings rows: cheap enough for the GUI thread at start-up."""
    with store.session() as session:
        return repo.trusted_clock(session), repo.work_zone(session)


def collector_day(store: Any) -> CollectorDay:
    """The collector's day as this store knows it (its trusted clock, the team's zone), for one job."""
    with store.session() as session:
        return repo.collector_day(session)


def identity(store: Any) -> dict[str, str]:
    """Who this laptop belongs to, as enrolled: username, display name, team (empty when unknown)."""
    meta = store.meta()
    username = meta.get("username", "")
    return {"username": username, "display_name": meta.get("display_name") or username, "team": meta.get("team", "")}
