"""app.outbox without Qt: a visit's audit events fold into the visit's line; refused records stay on their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldapp.app import outbox
from fieldapp.app.cases import OutboxRow

T0 = dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC)


def row(n: int, kind: str, case_id: int | None, state: str = "pending", reason: str = "") -> OutboxRow:
    return OutboxRow(f"r{n}", kind, case_id, f"债务人{case_id}" if case_id else "", T0 + dt.timedelta(minutes=n),
                     state, reason, 0)


def test_a_visits_audit_events_ride_on_the_visit_line() -> None:
    rows = [row(1, "audit_event", 1), row(2, "audit_event", 1), row(3, "visit", 1), row(4, "audit_event", 1),
            row(5, "contact_attempt", 2)]
    items = outbox.fold(rows)
    assert [(i.kind, i.case_id, i.audit_events) for i in items] == [("visit", 1, 3), ("contact_attempt", 2, 0)]
    assert set(items[0].record_ids) == {"r1", "r2", "r3", "r4"}  # nothing dropped: every record is accounted for


def test_audit_events_with_no_record_of_the_person_become_one_trail_line_per_case() -> None:
    rows = [row(1, "audit_event", 3), row(2, "audit_event", 3), row(3, "audit_event", None), row(4, "plan", 4)]
    items = outbox.fold(rows)
    assert [(i.kind, i.case_id, i.audit_events) for i in items] == [("audit_event", 3, 2), ("audit_event", None, 1),
                                                                    ("plan", 4, 0)]
    assert sum(len(i.record_ids) for i in items) == len(rows)


def test_refused_records_are_never_folded_and_come_first() -> None:
    rows = [row(1, "audit_event", 1, "rejected", "broken chain"), row(2, "visit", 1, "conflict", "case changed"),
            row(3, "audit_event", 1), row(4, "notice", 1)]
    items = outbox.fold(rows)
    assert [(i.kind, i.state, i.audit_events) for i in items] == [
        ("audit_event", "rejected", 1), ("visit", "conflict", 0), ("notice", "pending", 1)]
    assert items[0].reason == "broken chain"


def test_a_completed_visit_in_a_real_store_is_one_line(device_store: Any) -> None:
    from client_fixtures import case_record

    from fieldapp.app import visits
    from fieldapp.store import repo

    with device_store.session() as session:
        repo.apply_case(session, case_record(1))
        session.commit()
    visits.audit(device_store, "rule_check", {"action": "start_visit"}, case_id=1, at=T0)
    record = {"outcome": "not_at_home", "script_id": "cn-home-visit", "script_version": "1.1.0", "script_hash": "x",
              "attachments": [], "flagged": False}
    visits.complete_visit(device_store, "0b0e7f3c-7a49-4a53-9d0c-2f1b7d7b9a01", 1, T0, {}, record,
                          T0 + dt.timedelta(minutes=30), [("step", {"id": "identity"}, T0 + dt.timedelta(minutes=1))])
    items = outbox.outbox_items(device_store)
    assert [(i.kind, i.case_id) for i in items] == [("visit", 1)]
    assert items[0].audit_events >= 3 and items[0].debtor_name == "王小明1"
