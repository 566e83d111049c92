"""The collector's cases: what the case list, Today, the detail pane and the Outbox read (no Qt).

Filtering and sorting happen in SQL so the list stays fast at 50,000 cases: the list asks for the
matching ids (on a worker) and fetches the rows it shows in small blocks; once built, the in-memory
index of fieldapp.app.case_index answers each keystroke. Times are stored in UTC and read back aware; ``utc()`` also accepts naive values as UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, case, func, or_, select, text, type_coerce
from sqlalchemy.orm import Session

from fieldapp.core.clock import CollectorDay, debtor_today
from fieldapp.store.models import Case, ContactAttempt, OutboxEntry, Visit

# Days-past-due bands offered as filters: key → (lowest, highest or None).
DPD_BANDS: dict[str, tuple[int, int | None]] = {
    "1-30": (1, 30),
    "31-60": (31, 60),
    "61-90": (61, 90),
    "91-180": (91, 180),
    "180+": (181, None),
}

# Work states derived for the Status column and filter, in the order they sort. "visited": the newest
# contact is a completed visit, made no earlier than 12 hours before the case's appointment (it kept it).
WORK_STATES = ("new", "contacted", "visited", "appointment", "closed")
KEPT_WITHIN = dt.timedelta(hours=12)

# Columns the case list can sort by.
SORT_KEYS = ("name", "address", "total_due", "dpd", "appointment", "status", "follow_up", "last_contact")

# Filters on plans and follow-ups (CaseFilter.state): a broken plan or promise, an overdue
# instalment or a plan the lead rejected; a follow-up or promised payment due today or earlier.
BROKEN = "broken"
FOLLOW_UP_DUE = "follow_up_due"
FOLLOW_UP_STATES = (BROKEN, FOLLOW_UP_DUE)

# Sort order of the Follow-up column: what needs the collector most comes first.
ATTENTION_RANK = {BROKEN: 0, FOLLOW_UP_DUE: 1, "": 2}


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """Aware UTC datetime; a naive one (as SQLite returns them) is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _bind(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime for comparisons in SQL (the store's column type stores UTC)."""
    return value.astimezone(dt.UTC)


def day_bounds_at(now: dt.datetime, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive), as aware UTC, of the collector's day in ``zone`` containing ``now``."""
    return CollectorDay.at(now, zone).bounds()


@dataclass(frozen=True)
class CaseFilter:
    """What the collector asked the case list for. Empty fields do not filter."""

    text: str = ""
    state: str = ""  # one of WORK_STATES, "flagged", or one of FOLLOW_UP_STATES
    dpd_band: str = ""  # a DPD_BANDS key
    appointment_today: bool = False
    city: str = ""
    district: str = ""
    sort_key: str = "dpd"
    descending: bool = True
    # The moment "today" and "appointment set" are judged against, and the collector's working zone
    # that says which day it is ("appointment today"). Both come from the app's CollectorDay.
    now: dt.datetime | None = None
    zone: dt.tzinfo = dt.UTC


# ------------------------------------------------------------------------------- plans and follow-ups
# Plan statuses whose unpaid instalments still count (a rejected, completed or replaced plan does not).
_PAYING_STATUSES = ("signed", "pending_approval", "approved", "active", "kept", "broken")

# One pass over plans, promises and visits: per case the newest plan (with its earliest unpaid
# instalment and whether the server marked one overdue), the newest promise and the newest visit's
# follow-up date, with the case's time zone. Window functions keep it one statement, not one per case.
_FOLLOW_UP_SQL = text("""
SELECT f.case_id, f.kind, f.status, f.day, f.marked, f.made_at, c.timezone, c.status
FROM (
    SELECT p.case_id AS case_id, 'plan' AS kind, p.status AS status,
           (SELECT MIN(i.due_on) FROM plan_instalments i
             WHERE i.plan_id = p.id AND i.status != 'paid' AND i.paid_minor < i.amount_minor) AS day,
           (SELECT COUNT(*) FROM plan_instalments i WHERE i.plan_id = p.id AND i.status = 'overdue') AS marked,
           p.created_at AS made_at
      FROM (SELECT id, case_id, status, created_at,
                   ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY created_at DESC, id DESC) AS n
              FROM plans) AS p
     WHERE p.n = 1
    UNION ALL
    SELECT case_id, 'promise', status, due_on, 0, created_at
      FROM (SELECT case_id, status, due_on, created_at,
                   ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY created_at DESC, id DESC) AS n
              FROM promises) AS r
     WHERE r.n = 1
    UNION ALL
    SELECT case_id, 'visit', state, follow_up_on, 0, started_at
      FROM (SELECT case_id, state, json_extract(payload, '$.follow_up_on') AS follow_up_on, started_at,
                   ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY started_at DESC, id DESC) AS n
              FROM visits) AS v
     WHERE v.n = 1 AND v.follow_up_on IS NOT NULL AND v.follow_up_on != ''
) AS f
JOIN cases AS c ON c.id = f.case_id
""")


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class FollowUp:
    """What a case's plans, promises and visits ask of the collector (dates, judged against a clock).

    Plain dates, not verdicts: whether something is due depends on the debtor's day, which moves
    with the clock; ``judge(now)`` decides. Safe to pass between threads and to compare.
    """

    timezone: str = "Asia/Shanghai"
    plan_status: str = ""  # the newest plan's status
    unpaid_from: dt.date | None = None  # the newest plan's earliest unpaid instalment, if it still counts
    marked_overdue: bool = False  # the server marked an instalment of the newest plan overdue
    promise_status: str = ""  # the newest promise's (unless a plan was signed after it)
    promise_on: dt.date | None = None
    visit_on: dt.date | None = None  # the newest visit's follow-up date

    def judge(self, now: dt.datetime) -> tuple[str, str, dt.date | None]:
        """(BROKEN | FOLLOW_UP_DUE | "", the reason, the date it is about) at ``now``, in the debtor's day.

        Reasons: plan_broken, plan_rejected, instalment_overdue, promise_broken; promise_due, visit_due;
        with no attention needed, the next one ahead: promise_ahead or visit_ahead (kind "").
        """
        today = debtor_today(self.timezone, now)
        if self.plan_status == "broken":
            return BROKEN, "plan_broken", self.unpaid_from
        if self.plan_status == "rejected":
            return BROKEN, "plan_rejected", None
        if self.marked_overdue or (self.unpaid_from is not None and self.unpaid_from < today):
            return BROKEN, "instalment_overdue", self.unpaid_from
        if self.promise_status == "broken":
            return BROKEN, "promise_broken", self.promise_on
        due = [(day, reason) for day, reason in ((self.promise_on if self.promise_status == "pending" else None,
                                                  "promise_due"), (self.visit_on, "visit_due"))
               if day is not None and day <= today]
        if due:
            day, reason = min(due)
            return FOLLOW_UP_DUE, reason, day
        ahead = [(day, reason) for day, reason in ((self.promise_on if self.promise_status == "pending" else None,
                                                    "promise_ahead"), (self.visit_on, "visit_ahead"))
                 if day is not None and day > today]
        if ahead:
            day, reason = min(ahead)
            return "", reason, day
        return "", "", None


def read_follow_ups(session: Session) -> dict[int, FollowUp]:
    """Every open case's plan, promise and follow-up facts in one query (cases with none are absent)."""
    seen: dict[int, dict[str, Any]] = {}
    for case_id, kind, status, day, marked, made_at, tz_name, case_status in session.execute(_FOLLOW_UP_SQL):
        if case_status == "closed":
            continue  # paid off or closed by the server: nothing left to follow up
        facts = seen.setdefault(int(case_id), {"timezone": tz_name or "Asia/Shanghai"})
        facts[kind] = (status or "", _day(day), bool(marked), str(made_at or ""))
    out: dict[int, FollowUp] = {}
    for case_id, facts in seen.items():
        values: dict[str, Any] = {"timezone": facts["timezone"]}
        plan = facts.get("plan")
        if plan is not None:
            status, day, marked, _ = plan
            values["plan_status"] = status
            if status in _PAYING_STATUSES:
                values["unpaid_from"], values["marked_overdue"] = day, marked
        promise = facts.get("promise")
        # a plan signed after a promise replaces it; a promise made while a plan runs does not
        if promise is not None and (plan is None or promise[3] >= plan[3]):
            values["promise_status"], values["promise_on"] = promise[0], promise[1]
        visit = facts.get("visit")
        if visit is not None:
            values["visit_on"] = visit[1]
        follow_up = FollowUp(**values)
        if follow_up != FollowUp(timezone=follow_up.timezone):
            out[case_id] = follow_up
    return out


def attention_ids(follow_ups: dict[int, FollowUp], now: dt.datetime) -> dict[int, str]:
    """Case id → BROKEN or FOLLOW_UP_DUE at ``now`` (cases needing neither are absent)."""
    out: dict[int, str] = {}
    for case_id, follow_up in follow_ups.items():
        kind = follow_up.judge(now)[0]
        if kind:
            out[case_id] = kind
    return out


def _visited_expr() -> Any:
    """SQL for ``visited`` (see WORK_STATES); the device's store is SQLite, hence julianday."""
    visited_at = (select(func.max(Visit.ended_at)).where(Visit.case_id == Case.id, Visit.state == "complete")
                  .correlate(Case).scalar_subquery())
    return and_(visited_at.is_not(None),
                or_(Case.last_contact_at.is_(None), visited_at >= Case.last_contact_at),
                or_(Case.appointment_at.is_(None),
                    func.julianday(Case.appointment_at) < func.julianday(visited_at) + KEPT_WITHIN / dt.timedelta(days=1)))


def is_visited(visited_at: dt.datetime | None, last_contact_at: dt.datetime | None,
               appointment_at: dt.datetime | None) -> bool:
    """``visited`` in Python, exactly as ``_visited_expr`` says it in SQL."""
    return (visited_at is not None and (last_contact_at is None or visited_at >= last_contact_at)
            and (appointment_at is None or appointment_at < visited_at + KEPT_WITHIN))


def _state_expr(now: dt.datetime) -> Any:
    return case(
        (Case.status == "closed", "closed"),
        (_visited_expr(), "visited"),
        (Case.appointment_at >= _bind(now), "appointment"),
        (Case.last_contact_at.is_not(None), "contacted"),
        else_="new",
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(flt: CaseFilter, now: dt.datetime, attention: dict[int, str] | None = None) -> list[Any]:
    conds: list[Any] = []
    for word in flt.text.lower().split():
        conds.append(Case.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    if flt.state == "flagged":
        conds.append(and_(Case.flags.is_not(None), type_coerce(Case.flags, String) != "[]"))
    elif flt.state in WORK_STATES:
        conds.append(_state_expr(now) == flt.state)
    elif flt.state in FOLLOW_UP_STATES:
        conds.append(Case.id.in_([i for i, kind in (attention or {}).items() if kind == flt.state]))
    if flt.dpd_band in DPD_BANDS:
        low, high = DPD_BANDS[flt.dpd_band]
        conds.append(Case.dpd >= low)
        if high is not None:
            conds.append(Case.dpd <= high)
    if flt.appointment_today:
        start, end = day_bounds_at(now, flt.zone)
        conds.append(and_(Case.appointment_at >= _bind(start), Case.appointment_at < _bind(end)))
    if flt.city:
        conds.append(Case.city == flt.city)
    if flt.district:
        conds.append(Case.district == flt.district)
    return conds


def _order(flt: CaseFilter, now: dt.datetime, *, use_index: bool = False,
           attention: dict[int, str] | None = None) -> list[Any]:
    if flt.sort_key == "follow_up":
        ranks = {rank: [i for i, kind in (attention or {}).items() if ATTENTION_RANK[kind] == rank]
                 for rank in (0, 1)}
        column = case((Case.id.in_(ranks[0]), 0), (Case.id.in_(ranks[1]), 1), else_=2)
        return [column.desc() if flt.descending else column.asc(), Case.id]
    column = {
        "name": Case.debtor_name,
        "address": Case.address,
        "total_due": Case.total_due,
        "dpd": Case.dpd,
        "appointment": Case.appointment_at,
        "status": case({state: i for i, state in enumerate(WORK_STATES)}, value=_state_expr(now), else_=0),
        "last_contact": Case.last_contact_at,
    }.get(flt.sort_key, Case.dpd)
    if flt.sort_key in ("total_due", "dpd") and not use_index:
        # "+ 0" keeps SQLite from walking an index in this order and fetching every row by id
        # (random page reads, each decrypted): for the whole list a sequential scan and a sort is
        # many times faster. For the first few rows (``limit``) the index is the faster way.
        column = column + 0
    if flt.sort_key in ("appointment", "last_contact"):
        # empty dates last whichever way the list is sorted
        return [column.is_(None), column.desc() if flt.descending else column.asc(), Case.id]
    return [column.desc() if flt.descending else column.asc(), Case.id]


# Page cache for the list's queries (KiB, negative as SQLite wants it). The cases table of 50,000
# cases is about 25 MB; once its pages are decrypted in this cache a filter is a fast scan.
QUERY_CACHE_KIB = 32 * 1024


def _now_of(flt: CaseFilter) -> dt.datetime:
    if flt.now is None:
        raise ValueError("a CaseFilter is judged at a given moment: set its now (CollectorDay.now())")
    return flt.now


def query_case_ids(session: Session, flt: CaseFilter, *, limit: int | None = None) -> list[int]:
    """Ids of the cases matching ``flt``, in the requested order (only the first ``limit`` if given)."""
    now = _now_of(flt)
    session.execute(text(f"PRAGMA cache_size = -{QUERY_CACHE_KIB}"))
    attention = None
    if flt.state in FOLLOW_UP_STATES or flt.sort_key == "follow_up":
        attention = attention_ids(read_follow_ups(session), now)
    stmt = select(Case.id).where(*_conditions(flt, now, attention)).order_by(
        *_order(flt, now, use_index=limit is not None, attention=attention))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [row[0] for row in session.execute(stmt)]



@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    debtor_name: str
    address: str
    city: str
    district: str
    total_due: int  # minor units
    currency: str
    dpd: int
    appointment_at: dt.datetime | None
    timezone: str
    state: str
    last_contact_at: dt.datetime | None
    flags: tuple[str, ...] = ()


def fetch_rows(session: Session, ids: Sequence[int], now: dt.datetime) -> dict[int, CaseRow]:
    """The list rows for ``ids`` at ``now`` (missing ids are absent: the case left since the query)."""
    if not ids:
        return {}
    stmt = select(
        Case.id, Case.debtor_name, Case.address, Case.city, Case.district, Case.total_due, Case.currency,
        Case.dpd, Case.appointment_at, Case.timezone, _state_expr(now), Case.last_contact_at, Case.flags,
    ).where(Case.id.in_(list(ids)))
    rows: dict[int, CaseRow] = {}
    for r in session.execute(stmt):
        rows[r[0]] = CaseRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], utc(r[8]), r[9] or "Asia/Shanghai",
                             r[10], utc(r[11]), tuple(r[12] or ()))
    return rows


def cities(session: Session) -> list[str]:
    return [c for c in session.scalars(select(Case.city).distinct().order_by(Case.city)) if c]


def districts(session: Session, city: str = "") -> list[str]:
    stmt = select(Case.district).distinct().order_by(Case.district)
    if city:
        stmt = stmt.where(Case.city == city)
    return [d for d in session.scalars(stmt) if d]


@dataclass(frozen=True)
class Appointment:
    """One line of the Today view."""

    case_id: int
    at: dt.datetime
    timezone: str
    debtor_name: str
    address: str
    district: str
    city: str
    phone: str


def todays_appointments(session: Session, day: CollectorDay) -> list[Appointment]:
    """The appointments of the collector's today (in their working zone), in time order."""
    start, end = day.bounds()
    stmt = (
        select(Case)
        .where(Case.appointment_at >= _bind(start), Case.appointment_at < _bind(end))
        .order_by(Case.appointment_at, Case.id)
    )
    return [
        Appointment(c.id, utc(c.appointment_at), c.timezone or "Asia/Shanghai", c.debtor_name, c.address,  # type: ignore[arg-type]
                    c.district, c.city, c.phone)
        for c in session.scalars(stmt)
    ]


@dataclass
class CaseDetail:
    """Everything the detail pane shows for one case (plain values, safe to pass between threads)."""

    case: dict[str, Any]
    contacts: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    pending_contacts: set[str] = field(default_factory=set)


def load_case_detail(session: Session, case_id: int) -> CaseDetail | None:
    """The case, its contact attempts (newest first) and visits; None when the case is gone."""
    c = session.get(Case, case_id)
    if c is None:
        return None
    data = {col.name: getattr(c, col.key) for col in Case.__table__.columns}  # type: ignore[attr-defined]
    for key in ("appointment_at", "last_contact_at"):
        data[key] = utc(data[key])
    contacts = [
        {
            "id": a.id, "channel": a.channel, "attempted_at": utc(a.attempted_at), "outcome": a.outcome,
            "appointment_at": utc(a.appointment_at), "note": a.note, "username": a.username,
            "flagged": a.flagged,
        }
        for a in session.scalars(
            select(ContactAttempt).where(ContactAttempt.case_id == case_id).order_by(ContactAttempt.attempted_at.desc())
        )
    ]
    visits = [
        {"id": v.id, "started_at": utc(v.started_at), "ended_at": utc(v.ended_at), "outcome": v.outcome,
         "state": v.state}
        for v in session.scalars(select(Visit).where(Visit.case_id == case_id).order_by(Visit.started_at.desc()))
    ]
    pending = set(session.scalars(select(OutboxEntry.id).where(OutboxEntry.case_id == case_id)))
    return CaseDetail(data, contacts, visits, pending)


@dataclass(frozen=True)
class OutboxRow:
    """One record waiting for (or refused by) the server."""

    id: str
    kind: str
    case_id: int | None
    debtor_name: str
    created_at: dt.datetime
    state: str  # pending | rejected | conflict
    reason: str
    attempts: int


def outbox_rows(session: Session) -> list[OutboxRow]:
    """Rejected and conflicting records first (they need a person), then pending, oldest first."""
    stmt = (
        select(OutboxEntry, Case.debtor_name)
        .join(Case, Case.id == OutboxEntry.case_id, isouter=True)
        .order_by((OutboxEntry.state == "pending").asc(), OutboxEntry.seq)
    )
    return [
        OutboxRow(e.id, e.kind, e.case_id, name or "", utc(e.created_at), e.state, e.reason, e.attempts)  # type: ignore[arg-type]
        for e, name in session.execute(stmt)
    ]


def zone_label(tz_name: str, at: dt.datetime) -> str:
    """``"UTC+8"`` style label of ``tz_name``'s offset at ``at``."""
    offset = at.astimezone(ZoneInfo(tz_name)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def differs_from_local(tz_name: str, at: dt.datetime, zone: dt.tzinfo) -> bool:
    """Whether the debtor's zone shows another wall-clock time at ``at`` than the collector's ``zone``."""
    return CollectorDay.at(at, zone).shows_other_time(tz_name)


# ------------------------------------------------------------------------- for the app's screens (Tasks)
def case_detail(store: Any, case_id: int) -> CaseDetail | None:
    """The detail pane's case, contact attempts and visits; None when the case left this laptop."""
    with store.session() as session:
        return load_case_detail(session, case_id)


def filter_choices(store: Any, city: str) -> tuple[list[str], list[str]]:
    """The cities, and the districts of ``city`` (all of them for ""), the filters offer."""
    with store.session() as session:
        return cities(session), districts(session, city)


def todays_route(store: Any, day: CollectorDay) -> list[Appointment]:
    """The appointments of the collector's today, in time order (Today, and today's notices)."""
    with store.session() as session:
        return todays_appointments(session, day)


def outbox(store: Any) -> list[OutboxRow]:
    """What waits for the server and what it refused, those needing a person first."""
    with store.session() as session:
        return outbox_rows(session)


def query_ids(store: Any, flt: CaseFilter, limit: int | None = None) -> list[int]:
    """The list from SQL, before the in-memory index is ready (its first screenful: ``limit``)."""
    with store.session() as session:
        return query_case_ids(session, flt, limit=limit)


def follow_up_facts(store: Any) -> dict[int, FollowUp]:
    """The plan, promise and follow-up facts of every case (one query)."""
    with store.session() as session:
        return read_follow_ups(session)


class RowReader:
    """Reads case-list rows by id on the calling thread, keeping one session between reads.

    The case list reads a block of rows by primary key on the GUI thread on purpose (the view needs
    them now; it takes a few milliseconds). Each read ends its transaction, so the next one sees
    what a sync changed. ``close()`` before the store is closed.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self._session: Session | None = None

    def rows(self, ids: Sequence[int], now: dt.datetime) -> dict[int, CaseRow]:
        if self._session is None:
            self._session = self._store.session()
        try:
            return fetch_rows(self._session, ids, now)
        finally:
            self._session.rollback()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
