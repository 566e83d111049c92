"""app.contacts without Qt: a contact that happened is kept; one against the rules is flagged, not lost."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from client_fixtures import case_record
from sqlalchemy import select

from fieldapp.app.contacts import (
    ContactAttemptInput,
    JustificationRequired,
    broken_rules,
    log_contact,
    review_attempt,
)
from fieldapp.app.visits import load_visit_context
from fieldapp.store import repo
from fieldapp.store.models import ContactAttempt, OutboxEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def store(device_store: Any) -> Any:
    with device_store.session() as session:
        repo.apply_case(session, case_record(1))
        session.commit()
    return device_store


def call(at: dt.datetime, outcome: str = "connected", note: str = "") -> ContactAttemptInput:
    return ContactAttemptInput(channel="call", attempted_at=at.astimezone(dt.UTC), outcome=outcome,
                               appointment_at=None, note=note)


def attempt(store: Any, attempt_id: str) -> ContactAttempt:
    with store.session() as session:
        row = session.get(ContactAttempt, attempt_id)
        assert row is not None
        session.expunge(row)
        return row


def test_a_daytime_call_is_logged_and_queued_unflagged(store: Any) -> None:
    attempt_id = log_contact(store, 1, call(dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)), "zhangwei")
    row = attempt(store, attempt_id)
    assert not row.flagged and row.username == "zhangwei"
    with store.session() as session:
        kinds = session.scalars(select(OutboxEntry.kind)).all()
    assert "contact_attempt" in kinds


def test_a_night_call_is_logged_only_with_an_explanation_and_names_the_rule(store: Any) -> None:
    night = dt.datetime(2026, 11, 25, 22, 40, tzinfo=SHANGHAI)
    with pytest.raises(JustificationRequired) as refused:
        log_contact(store, 1, call(night, note="talked about the plan"), "zhangwei")  # a note is not a reason
    assert refused.value.verdict.rule_id == "CN1"  # the hours
    with store.session() as session:
        assert session.scalars(select(ContactAttempt)).all() == []  # nothing half-logged
    why = "the debtor called back from work at 22:40 and asked to talk now"
    attempt_id = log_contact(store, 1, replace(call(night, note="talked about the plan"), justification=why),
                             "zhangwei")
    row = attempt(store, attempt_id)
    assert row.flagged and row.justification == why and row.note == "talked about the plan"
    with store.session() as session:
        payload = session.scalar(select(OutboxEntry.payload).where(OutboxEntry.id == attempt_id))
    assert payload["broken_rules"] == ["CN1"] and payload["flagged"] is True and payload["justification"] == why


def test_a_fourth_connected_call_in_a_day_needs_its_reason_too(store: Any) -> None:
    calls = [call(dt.datetime(2026, 11, 25, 9 + h, 0, tzinfo=SHANGHAI)) for h in range(4)]
    ids = [log_contact(store, 1, c, "zhangwei") for c in calls[:3]]
    with pytest.raises(JustificationRequired) as refused:
        log_contact(store, 1, calls[3], "zhangwei")
    assert refused.value.verdict.rule_id == "CN2"  # three connected calls a day
    ids.append(log_contact(store, 1, replace(calls[3], justification="the debtor asked me to call back"),
                           "zhangwei"))
    flags = [attempt(store, i).flagged for i in ids]
    assert flags == [False, False, False, True]


def test_review_attempt_judges_the_attempt_at_its_own_time(store: Any) -> None:
    context = load_visit_context(store, 1)
    assert review_attempt(context, call(dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))).allowed
    night = review_attempt(context, call(dt.datetime(2026, 11, 25, 23, 0, tzinfo=SHANGHAI)))
    assert not night.allowed and broken_rules(night)[0] == "CN1"
    letter = ContactAttemptInput(channel="letter", attempted_at=dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC),
                                 outcome="sms_sent", appointment_at=None, note="")
    assert review_attempt(context, letter).allowed  # letters are not checked


def test_the_protocol_refuses_a_broken_rule_without_an_explanation() -> None:
    from pydantic import ValidationError

    from fieldapp import protocol

    with pytest.raises(ValidationError, match="explanation"):
        protocol.ContactAttemptPayload(channel="call", attempted_at=dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC),
                                       outcome="connected", flagged=True, broken_rules=["CN2"], justification=" ")
    with pytest.raises(ValidationError):
        protocol.ContactAttemptPayload(channel="call", attempted_at=dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC),
                                       outcome="connected", broken_rules=["CN2; DROP"], justification="x")
