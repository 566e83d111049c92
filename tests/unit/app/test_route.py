"""app.route without Qt: today's appointments with where each stands, the next one, and the Cases status after a visit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from client_fixtures import case_record

from fieldapp.app import route, visits
from fieldapp.app.case_index import CaseIndex
from fieldapp.app.cases import CaseFilter, fetch_rows, query_case_ids
from fieldapp.core.clock import CollectorDay
from fieldapp.store import repo
from fieldapp.store.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed afternoon in Beijing: the route is judged at 14:00 on 2026-12-04, whatever the machine's clock.
NOW = dt.datetime(2026, 12, 4, 14, 0, tzinfo=SHANGHAI)


def visit_id(case_id: int | str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"route-visit-{case_id}"))


def local(hour: int, minute: int = 0, *, days: int = 0) -> dt.datetime:
    return (NOW.replace(hour=hour, minute=minute) + dt.timedelta(days=days)).astimezone(dt.UTC)


@pytest.fixture
def day() -> CollectorDay:
    return CollectorDay.at(NOW, SHANGHAI)


@pytest.fixture
def store(device_store: Any) -> Any:
    appointments = {1: local(9), 2: local(10), 3: local(13, 30), 4: local(15), 5: local(16), 6: local(10, days=1),
                    7: local(17)}
    with device_store.session() as session:
        for case_id, at in appointments.items():
            repo.apply_case(session, case_record(case_id, account_ref=f"R-{case_id}", appointment_at=at))
        session.commit()
    finish(device_store, 1, local(9, 5), local(9, 40), "promise_to_pay")
    visits.save_draft(device_store, visit_id(3), 3, local(13, 35), {"revision": 1}, [])
    finish(device_store, 7, local(10, days=-1), local(10, 30, days=-1), "not_at_home")  # yesterday's
    return device_store


def finish(store: Any, case_id: int, started: dt.datetime, ended: dt.datetime, outcome: str, *, key: str = "") -> None:
    record = {"outcome": outcome, "script_id": "cn-home-visit", "script_version": "1.1.0", "script_hash": "x",
              "attachments": [], "flagged": False}
    visits.complete_visit(store, visit_id(case_id) if not key else visit_id(f"{case_id}-{key}"), case_id, started, {}, record, ended, [])


def test_each_stop_says_where_it_stands_and_the_visit_in_progress_is_next(store: Any, day: CollectorDay) -> None:
    stops = route.todays_route(store, day)
    assert [s.case_id for s in stops] == [1, 2, 3, 4, 5, 7]  # time order; tomorrow's is not on today's route
    assert [s.state for s in stops] == [route.DONE, route.MISSED, route.IN_PROGRESS, route.TO_DO, route.TO_DO,
                                        route.TO_DO]
    assert stops[0].outcome == "promise_to_pay" and stops[0].visit_id == visit_id(1)
    assert [s.case_id for s in stops if s.is_next] == [3]
    assert route.progress(stops) == route.RouteProgress(total=6, done=1, in_progress=1, missed=1)
    assert route.progress(stops).to_do == 3


def test_without_a_visit_in_progress_the_first_stop_to_do_is_next(store: Any, day: CollectorDay) -> None:
    finish(store, 3, local(13, 35), local(13, 55), "plan_signed")
    stops = route.todays_route(store, day)
    assert [s.case_id for s in stops if s.is_next] == [4]
    assert stops[2].state == route.DONE and stops[2].outcome == "plan_signed"
    # an appointment is missed only once its time is an hour gone
    just_late = route.todays_route(store, CollectorDay.at(local(15, 59), SHANGHAI))
    assert [s.state for s in just_late][3:5] == [route.TO_DO, route.TO_DO]
    late = route.todays_route(store, CollectorDay.at(local(16, 1), SHANGHAI))
    assert late[3].state == route.MISSED and [s.case_id for s in late if s.is_next] == [5]


def test_a_day_with_everything_done_has_no_next_stop(store: Any, day: CollectorDay) -> None:
    for case_id in (2, 3, 4, 5, 7):
        finish(store, case_id, local(13, 40), local(13, 50), "not_at_home", key="again")
    stops = route.todays_route(store, day)
    assert {s.state for s in stops} == {route.DONE} and not any(s.is_next for s in stops)


def test_a_completed_visit_makes_the_case_visited_in_sql_and_in_the_index(store: Any) -> None:
    now = NOW.astimezone(dt.UTC)
    with store.session() as s:
        rows = fetch_rows(s, [1, 3, 4, 7], now)
        index = CaseIndex.build(s)
        assert {i: r.state for i, r in rows.items()} == {1: "visited", 3: "new", 4: "appointment",
                                                         7: "appointment"}
        assert rows[1].last_contact_at == local(9, 40)  # a visit is a contact
        for state in ("visited", "appointment", "new", "contacted"):
            flt = CaseFilter(state=state, now=now, zone=SHANGHAI)
            assert index.filter(flt) == query_case_ids(s, flt), state
        assert index.filter(CaseFilter(state="visited", now=now, zone=SHANGHAI)) == [1]
    # a call logged after the visit is the newest contact: the case is "contacted" again
    with store.session() as s:
        case = s.get(Case, 1)
        case.last_contact_at = local(11)
        s.commit()
        assert fetch_rows(s, [1], now)[1].state == "contacted"
