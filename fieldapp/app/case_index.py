"""The case list's in-memory index: every case's filter and sort columns, so a keystroke costs milliseconds.

``CaseIndex.filter()`` answers exactly what :func:`fieldapp.app.cases.query_case_ids` answers for the
same CaseFilter (a test holds them to it); the SQL query serves the first screenful while the index
is being built.
"""

from __future__ import annotations

import copy
import datetime as dt
from itertools import compress, repeat
from operator import contains, eq, ge, le
from typing import Any

from sqlalchemy import String, and_, func, select, text, type_coerce
from sqlalchemy.orm import Session

from fieldapp.app.cases import (
    ATTENTION_RANK,
    DPD_BANDS,
    FOLLOW_UP_STATES,
    QUERY_CACHE_KIB,
    SORT_KEYS,
    WORK_STATES,
    CaseFilter,
    FollowUp,
    _now_of,
    day_bounds_at,
    is_visited,
    read_follow_ups,
    utc,
)
from fieldapp.store.models import Case, Visit

# ------------------------------------------------------------------------------------ in-memory index
# Passed where an order is laid out that no clock can move (all but "status" and "follow_up").
_NO_CLOCK = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class CaseIndex:
    """The columns the case list filters and sorts by, for every case, held in memory.

    Built in one sequential read of the table (a worker, ~0.2 s for 50,000 cases); afterwards a
    keystroke filters in a few milliseconds with no database round trip. Immutable once built
    (a new one replaces it after a sync), so worker threads may read it concurrently.
    ``filter()`` answers exactly what ``query_case_ids()`` answers for the same CaseFilter.
    The plan, promise and follow-up facts (``read_follow_ups``) are read in the same build, in one
    query; they are dates, judged against the clock at each filter (a follow-up falls due at the
    debtor's midnight without anything being read again).
    """

    def __init__(self, rows: list[tuple[Any, ...]], visited_at: dict[int, dt.datetime] | None = None) -> None:
        # one list per column: id, search_text, dpd, total_due, name, address, city, district,
        # appointment_at, last_contact_at, status, has_flags
        self.ids = [r[0] for r in rows]
        self.texts = [r[1] or "" for r in rows]
        self.dpd = [r[2] or 0 for r in rows]
        self.total_due = [r[3] or 0 for r in rows]
        self.names = [r[4] or "" for r in rows]
        self.addresses = [r[5] or "" for r in rows]
        self.cities = [r[6] or "" for r in rows]
        self.districts = [r[7] or "" for r in rows]
        self.appointments = [utc(r[8]) for r in rows]
        self.last_contacts = [utc(r[9]) for r in rows]
        # appointments as POSIX seconds (-inf when none): cheap comparisons in the filters
        self.appointment_ts = [a.timestamp() if a is not None else float("-inf") for a in self.appointments]
        self.statuses = [r[10] or "open" for r in rows]
        self.flagged = [bool(r[11]) for r in rows]
        # the newest contact is a completed visit that kept the appointment (does not move with the clock)
        visits = visited_at or {}
        self.visited = [is_visited(utc(visits.get(r[0])), last, appointment)
                        for r, last, appointment in zip(rows, self.last_contacts, self.appointments, strict=True)]
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._texts_in_order: dict[tuple[str, bool], list[str]] = {}
        self.follow_ups: dict[int, FollowUp] = {}
        self._follow_up_at: dict[int, FollowUp] = {}

    def set_follow_ups(self, follow_ups: dict[int, FollowUp]) -> None:
        """Take the plan and follow-up facts (read_follow_ups), keyed by case id (only while building)."""
        position = {case_id: i for i, case_id in enumerate(self.ids)} if follow_ups else {}
        self.follow_ups = follow_ups
        self._follow_up_at = {position[c]: f for c, f in follow_ups.items() if c in position}

    def with_follow_ups(self, follow_ups: dict[int, FollowUp]) -> CaseIndex:
        """A copy with other plan and follow-up facts (after a sync or a saved plan); the case columns
        and laid-out orders are shared, which is safe because neither changes once built."""
        index = copy.copy(self)
        index.set_follow_ups(follow_ups)
        return index

    def follow_up(self, case_id: int) -> FollowUp | None:
        return self.follow_ups.get(case_id)

    def attention(self, now: dt.datetime) -> dict[int, str]:
        """Row position → BROKEN or FOLLOW_UP_DUE at ``now`` (positions needing neither are absent)."""
        out: dict[int, str] = {}
        for i, follow_up in self._follow_up_at.items():
            kind = follow_up.judge(now)[0]
            if kind:
                out[i] = kind
        return out

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, session: Session) -> CaseIndex:
        session.execute(text(f"PRAGMA cache_size = -{QUERY_CACHE_KIB}"))
        stmt = select(
            Case.id, Case.search_text, Case.dpd, Case.total_due, Case.debtor_name, Case.address, Case.city,
            Case.district, Case.appointment_at, Case.last_contact_at, Case.status,
            and_(Case.flags.is_not(None), type_coerce(Case.flags, String) != "[]"),
        )
        visited = select(Visit.case_id, func.max(Visit.ended_at)).where(Visit.state == "complete").group_by(
            Visit.case_id)
        index = cls([tuple(r) for r in session.execute(stmt)], {r[0]: r[1] for r in session.execute(visited)})
        index.set_follow_ups(read_follow_ups(session))
        # Lay out the default order (highest DPD first) now, in the background, not on the first keystroke.
        order = index._order("dpd", True, _NO_CLOCK)  # the dpd order does not move with the clock
        index._texts_in_order[("dpd", True)] = [index.texts[i] for i in order]
        return index

    def state(self, i: int, now: dt.datetime) -> str:
        if self.statuses[i] == "closed":
            return "closed"
        if self.visited[i]:
            return "visited"
        appointment = self.appointments[i]
        if appointment is not None and appointment >= now:
            return "appointment"
        return "contacted" if self.last_contacts[i] is not None else "new"

    def _in_state(self, positions: list[int], state: str, now: float) -> list[int]:
        """``state()`` for many rows at once, without a method call per row."""
        closed, ts, contacted = self.statuses, self.appointment_ts, self.last_contacts
        if state == "closed":
            return [i for i in positions if closed[i] == "closed"]
        positions = [i for i in positions if closed[i] != "closed"]
        visited = self.visited
        if state == "visited":
            return [i for i in positions if visited[i]]
        positions = [i for i in positions if not visited[i]]
        if state == "appointment":
            return [i for i in positions if ts[i] >= now]
        positions = [i for i in positions if ts[i] < now]
        if state == "contacted":
            return [i for i in positions if contacted[i] is not None]
        return [i for i in positions if contacted[i] is None]

    def _order(self, key: str, descending: bool, now: dt.datetime) -> list[int]:
        """Row positions in list order (cached per key, except status which moves with the clock)."""
        cached = self._orders.get((key, descending))
        if cached is not None:
            return cached
        n = len(self.ids)
        ids = self.ids
        if key == "follow_up":  # moves with the clock: laid out from the id order each time
            by_id = self._order("id", False, now)
            attention = self.attention(now)
            groups: list[list[int]] = [[], [], []]
            for i in sorted(attention, key=ids.__getitem__):
                groups[ATTENTION_RANK[attention[i]]].append(i)
            groups[2] = [i for i in by_id if i not in attention]
            return [i for group in (reversed(groups) if descending else groups) for i in group]
        if key == "id":
            order = sorted(range(n), key=lambda i: ids[i])
            self._orders[(key, descending)] = order
            return order
        if key in ("appointment", "last_contact"):
            values = self.appointments if key == "appointment" else self.last_contacts
            present = [i for i in range(n) if values[i] is not None]
            absent = [i for i in range(n) if values[i] is None]
            present.sort(key=lambda i: (values[i], ids[i]) if not descending else (-values[i].timestamp(), ids[i]))
            absent.sort(key=lambda i: ids[i])
            order = present + absent  # empty dates last either way, as in SQL
        else:
            if key == "status":
                rank = {state: r for r, state in enumerate(WORK_STATES)}
                column: list[Any] = [rank[self.state(i, now)] for i in range(n)]
            else:
                column = {"name": self.names, "address": self.addresses, "total_due": self.total_due}.get(
                    key, self.dpd)
            # ties broken by ascending id, as in SQL: sort by id, then stably by the column
            order = sorted(range(n), key=lambda i: ids[i])
            order.sort(key=lambda i: column[i], reverse=descending)
        if key != "status":
            self._orders[(key, descending)] = order
        return order

    def filter(self, flt: CaseFilter) -> list[int]:
        """Ids of the cases matching ``flt``, in the requested order."""
        return self.ids_at(self.positions(flt))

    def ids_at(self, positions: list[int]) -> list[int]:
        return list(map(self.ids.__getitem__, positions))

    def positions(self, flt: CaseFilter, within: list[int] | None = None) -> list[int]:
        """Row positions matching ``flt`` in list order; ``within`` narrows an earlier answer.

        Pass ``within`` only when it answered a filter this one narrows (see ``narrows``).
        """
        now = _now_of(flt)
        words = flt.text.lower().split()
        if within is not None:
            positions = within
        else:
            key = (flt.sort_key if flt.sort_key in SORT_KEYS else "dpd", flt.descending)
            positions = self._order(*key, now)
            if words:  # the first word over the whole list: the texts already laid out in list order
                texts = self._texts_in_order.get(key) or [self.texts[i] for i in positions]
                if key[0] not in ("status", "follow_up"):
                    self._texts_in_order[key] = texts
                positions = _keep(positions, map(contains, texts, repeat(words.pop(0))))
        # The loops below run in C (map/compress over the column lists): a keystroke over 50,000
        # cases costs a few milliseconds, not tens.
        for word in words:
            positions = _keep(positions, map(contains, map(self.texts.__getitem__, positions), repeat(word)))
        if flt.city:
            positions = _keep(positions, map(eq, map(self.cities.__getitem__, positions), repeat(flt.city)))
        if flt.district:
            positions = _keep(positions, map(eq, map(self.districts.__getitem__, positions), repeat(flt.district)))
        if flt.dpd_band in DPD_BANDS:
            low, high = DPD_BANDS[flt.dpd_band]
            positions = _keep(positions, map(le, repeat(low), map(self.dpd.__getitem__, positions)))
            if high is not None:
                positions = _keep(positions, map(ge, repeat(high), map(self.dpd.__getitem__, positions)))
        if flt.appointment_today:
            start, end = day_bounds_at(now, flt.zone)
            low, high = start.timestamp(), end.timestamp()
            ts = self.appointment_ts
            positions = [i for i in positions if low <= ts[i] < high]
        if flt.state == "flagged":
            positions = _keep(positions, map(self.flagged.__getitem__, positions))
        elif flt.state in WORK_STATES:
            positions = self._in_state(positions, flt.state, now.timestamp())
        elif flt.state in FOLLOW_UP_STATES:
            wanted = {i for i, kind in self.attention(now).items() if kind == flt.state}
            positions = [i for i in positions if i in wanted]
        return positions


def _keep(positions: list[int], mask: Any) -> list[int]:
    return list(compress(positions, mask))


def narrows(new: CaseFilter, old: CaseFilter) -> bool:
    """Whether every case matching ``new`` also matches ``old`` (typing on at the end of the search)."""
    same = (new.state, new.dpd_band, new.appointment_today, new.city, new.district, new.sort_key, new.descending) == (
        old.state, old.dpd_band, old.appointment_today, old.city, old.district, old.sort_key, old.descending)
    return same and new.sort_key not in ("status", "follow_up") and new.text.lower().startswith(old.text.lower())

def build_index(store: Any) -> CaseIndex:
    """The whole table's filter columns, read once (a worker: ~0.2 s for 50,000 cases)."""
    with store.session() as session:
        return CaseIndex.build(session)
