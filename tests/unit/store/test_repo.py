"""Repository helpers: a change and its outbox row commit together; cases applied from the server."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

import pytest
from client_fixtures import case_record
from sqlalchemy import select

from fieldapp import protocol
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore
from fieldapp.store.models import Attachment, Case, ContactAttempt, OutboxEntry

T0 = dt.datetime(2026, 11, 20, 2, 30, 15, 123456, tzinfo=dt.UTC)


def _seed(store: DeviceStore, *ids: int) -> None:
    with store.session() as s:
        for case_id in ids:
            repo.apply_case(s, case_record(case_id))
        s.commit()


def test_contact_attempt_and_outbox_roll_back_together(device_store: DeviceStore) -> None:
    _seed(device_store, 1)
    with device_store.session() as s:
        repo.log_contact_attempt(s, case_id=1, channel="call", attempted_at=T0, outcome="no_answer")
        s.rollback()
    with device_store.session() as s:
        assert s.scalars(select(ContactAttempt)).all() == []
        assert s.scalars(select(OutboxEntry)).all() == []
        assert s.get(Case, 1).last_contact_at is None  # type: ignore[union-attr]


def test_contact_attempt_writes_row_case_and_outbox(device_store: DeviceStore) -> None:
    _seed(device_store, 1)
    appointment = T0 + dt.timedelta(days=1)
    with device_store.session() as s:
        attempt = repo.log_contact_attempt(
            s, case_id=1, channel="call", attempted_at=T0, outcome="appointment",
            appointment_at=appointment, note="周五上午", username="zhang",
        )
        s.commit()
        attempt_id = attempt.id
    with device_store.session() as s:
        case = s.get(Case, 1)
        assert case is not None and case.last_contact_at == T0 and case.appointment_at == appointment
        (entry,) = s.scalars(select(OutboxEntry)).all()
        assert entry.id == attempt_id and entry.kind == "contact_attempt"
        assert entry.case_id == 1 and entry.base_revision == 1 and entry.state == repo.PENDING
        payload = protocol.ContactAttemptPayload.model_validate(entry.payload)
        assert payload.appointment_at == appointment and payload.note == "周五上午"
        # The record reads back identical (UTC, to the microsecond): a re-push hashes the same.
        assert entry.created_at.tzinfo is not None
        first = protocol.record_content_hash(repo.to_push_record(entry))
    with device_store.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        assert protocol.record_content_hash(repo.to_push_record(entry)) == first
        assert repo.counts(s) == {"cases": 1, "outbox_pending": 1, "rejected": 0}


def test_contact_attempt_must_pass_the_protocol(device_store: DeviceStore) -> None:
    with device_store.session() as s:
        with pytest.raises(ValueError):
            repo.log_contact_attempt(s, case_id=1, channel="carrier-pigeon", attempted_at=T0, outcome="no_answer")
        with pytest.raises(ValueError):
            repo.log_contact_attempt(s, case_id=1, channel="call", attempted_at=T0.replace(tzinfo=None), outcome="busy")


def test_enqueue_keeps_seq_order_and_times_in_utc(device_store: DeviceStore) -> None:
    china = dt.timezone(dt.timedelta(hours=8))
    with device_store.session() as s:
        ids = [repo.enqueue(s, "visit", {"n": i}, created_at=T0.astimezone(china)).id for i in range(5)]
        s.commit()
    with device_store.session() as s:
        entries = repo.pending_entries(s)
        assert [e.id for e in entries] == ids
        assert all(e.created_at == T0 and e.created_at.utcoffset() == dt.timedelta(0) for e in entries)
        assert [e.id for e in repo.pending_entries(s, limit=2, after_seq=entries[1].seq)] == ids[2:4]


def test_rejected_entries_are_listed_and_counted(device_store: DeviceStore) -> None:
    with device_store.session() as s:
        a = repo.enqueue(s, "visit", {"n": 1})
        b = repo.enqueue(s, "visit", {"n": 2})
        repo.enqueue(s, "visit", {"n": 3})
        a.state, a.reason = repo.REJECTED, "the case is closed"
        b.state, b.reason = repo.CONFLICT, "different content"
        s.commit()
        assert [e.reason for e in repo.rejected_entries(s)] == ["the case is closed", "different content"]
        assert repo.counts(s) == {"cases": 0, "outbox_pending": 1, "rejected": 2}
        repo.retry_entry(s, a.id)
        s.commit()
        assert repo.counts(s)["outbox_pending"] == 2


def test_apply_case_server_wins_and_recomputes_search(device_store: DeviceStore) -> None:
    _seed(device_store, 1)
    with device_store.session() as s:
        repo.log_contact_attempt(s, case_id=1, channel="call", attempted_at=T0, outcome="connected")
        s.commit()
    with device_store.session() as s:
        repo.apply_case(s, case_record(1, revision=2, debtor_name="Zhao LEI", city="上海", flags=["dispute_open"]))
        s.commit()
    with device_store.session() as s:
        case = s.get(Case, 1)
        assert case is not None and case.revision == 2 and case.flags == ["dispute_open"]
        assert "zhao lei" in case.search_text and "上海" in case.search_text
        assert case.last_contact_at == T0  # derived locally, not a server field


def test_remove_case_keeps_its_work(device_store: DeviceStore) -> None:
    _seed(device_store, 1, 2)
    with device_store.session() as s:
        repo.log_contact_attempt(s, case_id=1, channel="sms", attempted_at=T0, outcome="sms_sent")
        s.commit()
        repo.remove_case(s, 1)
        s.commit()
        assert s.get(Case, 1) is None
        assert len(s.scalars(select(ContactAttempt)).all()) == 1
        assert repo.counts(s) == {"cases": 1, "outbox_pending": 1, "rejected": 0}


def test_search_text_for() -> None:
    text = repo.search_text_for(case_record(3, debtor_name="ANNA Li", phone="+44 20", district="Camden"))
    assert text == text.lower() and "anna li" in text and "acc-000003" in text and "camden" in text


def test_attachments_are_content_addressed_and_encrypted(device_store: DeviceStore, tmp_path: Path) -> None:
    data = b"PNG\x00" + uuid.uuid4().bytes * 1000
    sha = hashlib.sha256(data).hexdigest()
    source = tmp_path / "photo.png"
    source.write_bytes(data)
    with device_store.session() as s:
        a = repo.add_attachment(s, device_store, data, "image/png")
        b = repo.add_attachment(s, device_store, source, "image/png")
        s.commit()
        assert a.sha256 == b.sha256 == sha and a.size == len(data)
        assert len(s.scalars(select(Attachment)).all()) == 1
        on_disk = repo.attachment_path(device_store, a).read_bytes()
        assert data[:64] not in on_disk and uuid.UUID(bytes=data[4:20]).bytes not in on_disk
        assert repo.read_attachment(device_store, a) == data
        assert repo.read_attachment(device_store, a, 1000, 10) == data[1000:1010]
