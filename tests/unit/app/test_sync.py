"""app.sync against a real server: one sync, and the purge of the work on a case the server closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from fieldapp.app import retention
from fieldapp.app.contacts import ContactAttemptInput, log_contact
from fieldapp.app.sync import run_sync
from fieldapp.core.clock import device_now
from fieldapp.store.models import AuditEventRow, Case, ContactAttempt


def test_a_closed_cases_old_work_leaves_the_laptop_once_the_server_has_it(enroll_store: Any) -> None:
    device = enroll_store("liu", cases=2)
    store = device.store
    first = run_sync(store, None, {})
    assert first.cases_received == 2
    with store.session() as session:
        ids = {c.account_ref: c.id for c in session.scalars(select(Case))}
    old = device_now() - dt.timedelta(days=40)  # older than every pack's 30-day purge delay
    for ref in ids:  # at whatever hour the test runs, the old call may need its reason: give one
        log_contact(store, ids[ref], ContactAttemptInput("call", old, "no_answer", None, "",
                                                          justification="logged late from the paper diary"),
                    "liu")
    events: list[Any] = []
    pushed = run_sync(store, events.append, {})
    assert pushed.pushed >= 2 and events  # the adapter's events are heard
    closed = sorted(ids)[0]
    device.admin("close", closed)
    run_sync(store, None, {})
    with store.session() as session:
        remaining = {c.account_ref for c in session.scalars(select(Case))}
        assert remaining == {sorted(ids)[1]}
        calls = dict(session.execute(select(ContactAttempt.case_id, func.count()).group_by(ContactAttempt.case_id)).all())
        assert calls == {ids[sorted(ids)[1]]: 1}  # the closed case's call is gone, the open one's kept
        purged = [e.detail for e in session.scalars(select(AuditEventRow)) if e.action == retention.AUDIT_PURGED]
        assert [p["case_id"] for p in purged] == [ids[closed]]
