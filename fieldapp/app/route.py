"""Today's route: each appointment of the collector's day with where it stands, and the next one to go to.

A stop is *to do* until a visit to its case starts today; *in progress* while that visit is a draft;
*done* (with the visit's outcome) once it is complete; *missed* when its time passed by more than
``MISSED_AFTER`` with no visit. The next stop is the visit in progress, else the first one still
to do, in time order. Everything is judged at the collector's trusted clock (``CollectorDay``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.app.cases import Appointment, todays_appointments, utc
from fieldapp.core.clock import CollectorDay
from fieldapp.store.models import Visit

TO_DO = "to_do"
IN_PROGRESS = "in_progress"
DONE = "done"
MISSED = "missed"

# An appointment whose time passed this long ago with no visit is missed (it can still be visited).
MISSED_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class RouteStop:
    """One appointment of today's route and where it stands."""

    appointment: Appointment
    state: str  # TO_DO | IN_PROGRESS | DONE | MISSED
    outcome: str = ""  # the visit's outcome code when DONE
    visit_id: str = ""
    is_next: bool = False

    @property
    def case_id(self) -> int:
        return self.appointment.case_id


def _state(appointment: Appointment, visit: Visit | None, now: dt.datetime) -> tuple[str, str, str]:
    if visit is not None:
        if visit.state == "complete":
            return DONE, visit.outcome or "", visit.id
        return IN_PROGRESS, "", visit.id
    if appointment.at + MISSED_AFTER < now:
        return MISSED, "", ""
    return TO_DO, "", ""


def route_stops(session: Session, day: CollectorDay) -> list[RouteStop]:
    """Today's appointments in time order, each with its state; the next one marked."""
    appointments = todays_appointments(session, day)
    if not appointments:
        return []
    start, end = day.bounds()
    now = day.now()
    newest: dict[int, Visit] = {}
    stmt = (select(Visit).where(Visit.case_id.in_([a.case_id for a in appointments]))
            .order_by(Visit.started_at, Visit.id))
    for visit in session.scalars(stmt):
        started = utc(visit.started_at)
        if started is not None and start <= started < end:
            newest[visit.case_id] = visit  # ascending: the last one read is the newest
    judged = [(a, *_state(a, newest.get(a.case_id), now)) for a in appointments]
    states = [state for _a, state, _o, _v in judged]
    next_at = states.index(IN_PROGRESS) if IN_PROGRESS in states else (
        states.index(TO_DO) if TO_DO in states else -1)
    return [RouteStop(a, state, outcome, visit_id, i == next_at)
            for i, (a, state, outcome, visit_id) in enumerate(judged)]


def todays_route(store: Any, day: CollectorDay) -> list[RouteStop]:
    """``route_stops`` in its own session (a worker thread)."""
    with store.session() as session:
        return route_stops(session, day)


@dataclass(frozen=True)
class RouteProgress:
    """How far the day has come: counts per state."""

    total: int
    done: int
    in_progress: int
    missed: int

    @property
    def to_do(self) -> int:
        return self.total - self.done - self.in_progress - self.missed


def progress(stops: list[RouteStop]) -> RouteProgress:
    states = [s.state for s in stops]
    return RouteProgress(len(stops), states.count(DONE), states.count(IN_PROGRESS), states.count(MISSED))
