"""app.visits without Qt: a visit completed from its session is stored and queued with what it promised."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from client_fixtures import case_record
from sqlalchemy import select

from fieldapp.app import visits as service
from fieldapp.app.cases import follow_up_facts
from fieldapp.core.clock import debtor_today
from fieldapp.core.visit import VisitSession
from fieldapp.store import repo
from fieldapp.store.models import OutboxEntry, PromiseRow, Visit

CN_TO_PROMISE = {"identity": "verified", "recording": "agree", "entry": "at_door", "notice": "refused",
                 "response": "promise", "outcome": "promise_to_pay"}


@pytest.fixture
def store(device_store: Any) -> Any:
    with device_store.session() as session:
        repo.apply_case(session, case_record(1))
        session.commit()
    return device_store


def walk(session: VisitSession, answers: dict[str, Any], at: dt.datetime, limits: Any) -> None:
    session.check_in(at)
    while session.current_step is not None:
        step = session.current_step
        if step.id in answers:
            session.answer(step.id, answers[step.id], at)
        problem = session.advance(at, limits=limits)
        assert problem is None, (step.id, problem)


def complete(store: Any, session: VisitSession, started: dt.datetime, ended: dt.datetime) -> str:
    state = session.state()
    record = service.visit_payload(session.runner, state, started_at=started, ended_at=ended, utc_offset_minutes=480)
    return service.complete_visit(store, session.visit_id, 1, started, state, record.model_dump(mode="json"), ended,
                                  session.take_events())


def test_a_promise_given_in_the_script_is_stored_and_queued_once(store: Any, now: dt.datetime) -> None:
    context = service.load_visit_context(store, 1)
    assert context is not None and context.script is not None
    due = debtor_today("Asia/Shanghai", now) + dt.timedelta(days=7)
    session = VisitSession.start(service.new_visit_id(), context.script, policy=context.pack.visit_policy(),
                                 clock={}, device_clock_off=False)
    walk(session, {**CN_TO_PROMISE, "promise_date": due.isoformat(), "promise_amount": "3,000元",
                   "follow_up": due.isoformat()}, now, context.promise_limits(now))
    visit_id = complete(store, session, now, now + dt.timedelta(minutes=20))
    complete(store, session, now, now + dt.timedelta(minutes=21))  # a second finish changes nothing
    with store.session() as s:
        promises = s.scalars(select(PromiseRow).where(PromiseRow.case_id == 1)).all()
        kinds = [e.kind for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.state == "complete" and visit.outcome == "promise_to_pay"
    assert [(p.due_on, p.amount_minor, p.status) for p in promises] == [(due, 300_000, "pending")]
    assert kinds.count("promise") == 1 and kinds.count("visit") == 1
    assert follow_up_facts(store)[1].promise_on == due  # the case list's follow-up column sees it


def test_a_promise_beyond_the_balance_stops_at_its_step(store: Any, now: dt.datetime) -> None:
    context = service.load_visit_context(store, 1)
    assert context is not None and context.script is not None
    limits = context.promise_limits(now)
    assert limits.balance_minor == 1_005_000 and limits.today == debtor_today("Asia/Shanghai", now)
    problem = limits.problem({"due_on": limits.today.isoformat(), "amount": "10,050.01"})
    assert problem is not None and "10,050.00" in problem["en"]
    assert limits.problem({"due_on": (limits.today - dt.timedelta(days=1)).isoformat()}) is not None
    assert limits.problem({"due_on": limits.today.isoformat(), "amount": "10050"}) is None


@pytest.mark.parametrize("base, language, said", [
    ("https://verify.lender.example.cn", "zh-CN", "https://verify.lender.example.cn/v"),
    ("http://127.0.0.1:54012", "zh-CN", "通告函上印的网址"),
    ("http://localhost:8000/", "en", "the address printed on the letter"),
    ("http://192.168.1.20", "en", "the address printed on the letter"),
])
def test_the_script_reads_aloud_only_a_site_the_debtor_can_reach(base: str, language: str, said: str) -> None:
    assert service.spoken_site(base, language) == said
