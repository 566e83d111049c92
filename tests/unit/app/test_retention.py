"""app.retention: the acknowledged work on a case that left the laptop is deleted after the pack's delay, not before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from client_fixtures import case_record
from sqlalchemy import delete, func, select

from fieldapp.app import retention, visits
from fieldapp.app.contacts import ContactAttemptInput, log_contact
from fieldapp.store import repo
from fieldapp.store.models import Attachment, AuditEventRow, ContactAttempt, OutboxEntry, Visit

WORK = dt.datetime(2026, 10, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing, two months before "now"
VISIT_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"


def work_on(store: Any, case_id: int, tmp_path: Any) -> str:
    log_contact(store, case_id, ContactAttemptInput("call", WORK, "connected", None, "约好上门"), "zhangwei")
    photo = tmp_path / f"door-{case_id}.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of the door " + bytes([case_id]))
    evidence = visits.add_evidence(store, str(photo), "image/jpeg")
    record = {"outcome": "not_at_home", "script_id": "cn-home-visit", "script_version": "1.1.0", "script_hash": "x",
              "attachments": [evidence["sha256"]], "flagged": False}
    visit_id = VISIT_ID[:-1] + str(case_id)
    visits.complete_visit(store, visit_id, case_id, WORK + dt.timedelta(hours=2), {"attachments": [evidence]},
                          record, WORK + dt.timedelta(hours=3), [])
    return str(evidence["sha256"])


def acknowledge_all(store: Any, *, confirm_attachments: bool = True) -> None:
    """What a sync does once the server took every record (and, with its hash, every attachment)."""
    with store.session() as session:
        session.execute(delete(OutboxEntry))
        if confirm_attachments:
            for row in session.scalars(select(Attachment)):
                row.confirmed = True
        session.commit()


@pytest.fixture
def store(device_store: Any, tmp_path: Any) -> Any:
    with device_store.session() as session:
        for case_id in (1, 2):
            repo.apply_case(session, case_record(case_id, account_ref=f"RET-{case_id}"))
        session.commit()
    device_store.shas = {case_id: work_on(device_store, case_id, tmp_path) for case_id in (1, 2)}
    with device_store.session() as session:
        repo.remove_case(session, 1)  # the server closed case 1: a tombstone
        session.commit()
    return device_store


def rows(store: Any, table: Any, case_id: int) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(table).where(table.case_id == case_id)) or 0)


def test_a_departed_case_is_kept_while_its_records_wait_for_the_server(store: Any) -> None:
    report = retention.purge_departed_cases(store, WORK + dt.timedelta(days=60))
    assert report.purged == {} and report.kept == {1: "records wait for the server"}
    assert rows(store, Visit, 1) == 1


def test_its_acknowledged_work_is_purged_after_the_delay_with_its_files_and_an_audit_event(store: Any) -> None:
    acknowledge_all(store)
    with store.session() as session:
        delay = retention.purge_days(session)
    assert delay == 30  # every bundled pack says 30 days
    early = retention.purge_departed_cases(store, WORK + dt.timedelta(days=delay - 1))
    assert early.purged == {} and early.kept[1].startswith("last work 2026-10-01, kept until")
    with store.session() as session:
        path = repo.attachment_path(store, session.get(Attachment, store.shas[1]))
    assert path.exists()
    dry = retention.purge_departed_cases(store, WORK + dt.timedelta(days=delay + 1), dry_run=True)
    assert dry.purged[1]["visits"] == 1 and rows(store, Visit, 1) == 1  # a dry run deletes nothing
    report = retention.purge_departed_cases(store, WORK + dt.timedelta(days=delay + 1))
    assert report.purged == {1: {"attachments": 1, "contact_attempts": 1, "visits": 1, "plans": 0, "promises": 0,
                                 "notices": 0}}
    assert rows(store, Visit, 1) == 0 and rows(store, ContactAttempt, 1) == 0 and not path.exists()
    assert rows(store, Visit, 2) == 1 and rows(store, ContactAttempt, 2) == 1  # the case still here is untouched
    with store.session() as session:
        assert session.get(Attachment, store.shas[1]) is None and session.get(Attachment, store.shas[2]) is not None
        events = [e for e in session.scalars(select(AuditEventRow)) if e.action == retention.AUDIT_PURGED]
        assert len(events) == 1 and events[0].detail["case_id"] == 1 and repo.verify_audit_chain(session) is None
    assert retention.purge_departed_cases(store, WORK + dt.timedelta(days=delay + 2)).purged == {}  # once


def test_attachments_the_server_has_not_confirmed_keep_the_case(store: Any) -> None:
    acknowledge_all(store, confirm_attachments=False)
    report = retention.purge_departed_cases(store, WORK + dt.timedelta(days=90))
    assert report.kept == {1: "attachments wait for the server"} and rows(store, Visit, 1) == 1
