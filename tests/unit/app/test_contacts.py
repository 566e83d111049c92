"""app.contacts without Qt: a contact that happened is kept; one against the rules is flagged, not lost."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from client_fixtures import case_record
from sqlalchemy import select

from fieldapp.app.contacts import ContactAttemptInput, log_contact
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


def test_a_night_call_is_kept_but_flagged_with_the_note_as_justification(store: Any) -> None:
    night = dt.datetime(2026, 11, 25, 22, 40, tzinfo=SHANGHAI)
    attempt_id = log_contact(store, 1, call(night, note="the debtor called back and asked to talk"), "zhangwei")
    row = attempt(store, attempt_id)
    assert row.flagged and row.justification == "the debtor called back and asked to talk"


def test_a_fourth_connected_call_in_a_day_is_flagged(store: Any) -> None:
    ids = [log_contact(store, 1, call(dt.datetime(2026, 11, 25, 9 + h, 0, tzinfo=SHANGHAI)), "zhangwei")
           for h in range(4)]
    flags = [attempt(store, i).flagged for i in ids]
    assert flags[:3] == [False, False, False] and flags[3] is True
