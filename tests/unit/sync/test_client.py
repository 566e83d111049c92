"""The sync client against a real server process on loopback (SQLite and PostgreSQL backends)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from client_fixtures import (
    TEST_PASSWORD,
    TEST_SECRET,
    EnrolledStore,
    case_row,
    write_cases_csv,
)
from sqlalchemy import select

from fieldapp import protocol
from fieldapp.core.clock import device_now
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore
from fieldapp.store.models import Attachment, Case, ContactAttempt, OutboxEntry
from fieldapp.sync import client as sync_client
from fieldapp.sync.client import (
    ClientTooOld,
    DeviceNotRecognised,
    DeviceRevoked,
    EnrollmentFailed,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)

pytestmark = pytest.mark.e2e
NOW = device_now().replace(microsecond=0)


def _log_attempt(store: DeviceStore, case_id: int, **kwargs: Any) -> str:
    with store.session() as s:
        kwargs.setdefault("channel", "call")
        kwargs.setdefault("outcome", "no_answer")
        attempt = repo.log_contact_attempt(s, case_id=case_id, attempted_at=NOW, username="zhang", **kwargs)
        s.commit()
        return attempt.id


def _case_ids(store: DeviceStore) -> dict[str, int]:
    with store.session() as s:
        return {c.account_ref: c.id for c in s.scalars(select(Case))}


def _counts(store: DeviceStore) -> dict[str, int]:
    with store.session() as s:
        return repo.counts(s)


# ------------------------------------------------------------------------------------------ enroll
def test_enroll_stores_identity_inside_the_encrypted_store(enrolled_client: EnrolledStore) -> None:
    meta = enrolled_client.store.meta()
    assert meta[sync_client.META_SERVER] == enrolled_client.server_url
    assert meta[sync_client.META_USERNAME] == "zhang" and meta[sync_client.META_ROLE] == "collector"
    uuid.UUID(meta[sync_client.META_DEVICE_ID])
    token = meta[sync_client.META_TOKEN].encode()
    # The token is nowhere in a plain file.
    for path in enrolled_client.data_dir.rglob("*"):
        if path.is_file():
            assert token not in path.read_bytes(), path


def test_enroll_with_a_bad_code_creates_nothing(live_server: Any, tmp_path: Path, fast_kdf: None) -> None:
    assert live_server.admin("add-user", "li", "--role", "collector", password=TEST_PASSWORD).returncode == 0
    with pytest.raises(EnrollmentFailed, match="code"):
        sync_client.enroll(live_server.url, "WRONG-CODE-1234", "li", TEST_PASSWORD, TEST_SECRET, data_dir=tmp_path / "d")
    assert not DeviceStore.exists(tmp_path / "d")
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_enroll_replaces_an_empty_store_left_by_an_interrupted_enrollment(enroll_store: Any, live_server: Any) -> None:
    first = enroll_store("sun", cases=1)
    # A second enrollment into the same folder is refused while the store is in use ...
    code = live_server.admin("enroll-code", "sun").stdout.strip().splitlines()[-1]
    with pytest.raises(EnrollmentFailed, match="already enrolled"):
        sync_client.enroll(live_server.url, code, "sun", TEST_PASSWORD, TEST_SECRET, data_dir=first.data_dir)
    # ... but a store with no token and no work (the enrollment died half-way) is replaced.
    first.store.wipe()
    DeviceStore.create(TEST_SECRET, first.data_dir).close()
    store = sync_client.enroll(live_server.url, code, "sun", TEST_PASSWORD, TEST_SECRET, data_dir=first.data_dir)
    try:
        assert store.get_meta(sync_client.META_TOKEN)
    finally:
        store.close()


@pytest.mark.parametrize("url", ["http://fieldapp.example.com", "http://10.1.2.3:8470"])
def test_enroll_refuses_plain_http_off_loopback(url: str, tmp_path: Path) -> None:
    with pytest.raises(EnrollmentFailed, match="TLS"):
        sync_client.enroll(url, "CODE-1234", "li", "pw", TEST_SECRET, data_dir=tmp_path / "d")
    assert sync_client.normalise_server_url("http://127.0.0.1:8470/") == "http://127.0.0.1:8470"
    assert sync_client.normalise_server_url("http://[::1]:1") == "http://[::1]:1"
    assert sync_client.normalise_server_url("fieldapp.example.com") == "https://fieldapp.example.com"


# ------------------------------------------------------------------------------------ sync basics
def test_first_sync_receives_exactly_the_assigned_cases(enrolled_client: EnrolledStore) -> None:
    events: list[object] = []
    report = enrolled_client.client(on_event=events.append).sync()
    assert sorted(_case_ids(enrolled_client.store)) == ["LN000001", "LN000002", "LN000003"]
    assert report.cases_received == 3 and report.pushed == 0 and report.full_resync
    assert isinstance(events[0], SyncStarted) and isinstance(events[-1], SyncFinished)
    assert {e.phase for e in events if isinstance(e, SyncProgress)} >= {"push", "pull", "attachments"}
    meta = enrolled_client.store.meta()
    last = dt.datetime.fromisoformat(meta[sync_client.META_LAST_SYNC])
    assert last.tzinfo is not None and abs((last - device_now()).total_seconds()) < 60
    assert abs(float(meta[sync_client.META_CLOCK_SKEW])) < 5  # same machine
    assert report.server_time is not None and report.clock_skew_seconds is not None
    with enrolled_client.store.session() as s:
        case = s.scalars(select(Case).where(Case.account_ref == "LN000002")).one()
        assert case.total_due == 105_000 and "李四2" in case.search_text
    # An idle sync changes nothing.
    again = enrolled_client.client().sync()
    assert again.cases_received == 0 and not again.full_resync


def test_push_accepted_then_a_replay_is_a_duplicate(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client()
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000001"]
    record_id = _log_attempt(enrolled_client.store, case_id, outcome="appointment", appointment_at=NOW + dt.timedelta(days=1))
    with enrolled_client.store.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        saved = {k: getattr(entry, k) for k in ("id", "kind", "case_id", "base_revision", "created_at", "payload")}
    report = client.sync()
    assert (report.pushed, report.accepted) == (1, 1)
    assert _counts(enrolled_client.store)["outbox_pending"] == 0
    with enrolled_client.store.session() as s:  # the attempt itself stays on the device
        assert s.get(ContactAttempt, record_id) is not None

    # The answer was "lost" and the device sends the very same record again: a duplicate, fine.
    with enrolled_client.store.session() as s:
        s.add(OutboxEntry(**saved, state=repo.PENDING, reason="", attempts=0))
        s.commit()
    report = client.push()
    assert (report.pushed, report.duplicate, report.accepted) == (1, 1, 0)
    assert _counts(enrolled_client.store)["outbox_pending"] == 0


def test_rejected_and_conflicting_records_stay_visible_and_do_not_block(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client(push_batch=2)
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000001"]
    first = _log_attempt(enrolled_client.store, case_id)
    client.push()
    with enrolled_client.store.session() as s:
        # Same id, other content: a conflict, never an overwrite.
        repo.enqueue(
            s, "contact_attempt",
            protocol.ContactAttemptPayload(channel="sms", attempted_at=NOW, outcome="sms_sent").model_dump(mode="json"),
            case_id=case_id, record_id=first,
        )
        repo.enqueue(s, "no_such_kind", {"x": 1}, case_id=case_id)  # a kind this server does not know
        s.commit()
    after = _log_attempt(enrolled_client.store, case_id, channel="sms", outcome="sms_sent")
    report = client.sync()
    assert (report.conflict, report.rejected, report.accepted) == (1, 1, 1)
    with enrolled_client.store.session() as s:
        kept = repo.rejected_entries(s)
        assert [e.state for e in kept] == [repo.CONFLICT, repo.REJECTED]
        assert all(e.reason for e in kept)
        assert s.scalar(select(OutboxEntry).where(OutboxEntry.id == after)) is None  # not blocked
        assert repo.counts(s) == {"cases": 3, "outbox_pending": 0, "rejected": 2}
    # Rejected entries are not re-sent on every sync.
    assert enrolled_client.client().sync().pushed == 0


def test_a_malformed_local_entry_is_rejected_alone(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client()
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000001"]
    with enrolled_client.store.session() as s:
        repo.enqueue(s, "k" * 60, {"x": 1}, case_id=case_id)  # longer than the protocol allows
        s.commit()
    good = _log_attempt(enrolled_client.store, case_id)
    report = client.push()
    assert (report.pushed, report.accepted, report.rejected) == (2, 1, 1)
    with enrolled_client.store.session() as s:
        (kept,) = repo.rejected_entries(s)
        assert "malformed" in kept.reason
        assert s.scalar(select(OutboxEntry).where(OutboxEntry.id == good)) is None


def test_push_sends_in_seq_order_across_batches(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client(push_batch=4)
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000003"]
    ids = [_log_attempt(enrolled_client.store, case_id) for _ in range(10)]
    sent: list[str] = []
    original = client._request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        if path == protocol.PATH_PUSH:
            sent.extend(r["id"] for r in kwargs["json"]["records"])
        return original(method, path, **kwargs)

    client._request = spy  # type: ignore[method-assign]
    report = client.push()
    assert sent == ids and report.accepted == 10
    assert _counts(enrolled_client.store)["outbox_pending"] == 0


# ------------------------------------------------------------------------------------------ pull
def test_pull_pages_apply_with_their_cursor_in_one_transaction(
    enroll_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = enroll_store("wang", cases=7)
    client = device.client(page_size=3)
    calls = {"n": 0}
    real_apply = repo.apply_cases

    def failing_apply(session: Any, records: Any) -> Any:
        calls["n"] += 1
        applied = real_apply(session, records)
        if calls["n"] == 2:  # the second page is half applied when the power goes
            session.flush()
            raise RuntimeError("power cut")
        return applied

    monkeypatch.setattr(repo, "apply_cases", failing_apply)
    with pytest.raises(RuntimeError):
        client.pull()
    # The first page and its cursor are in; nothing of the second page is.
    assert len(_case_ids(device.store)) == 3
    cursor_after_page_one = device.store.get_meta(sync_client.META_CURSOR)
    assert cursor_after_page_one

    monkeypatch.setattr(repo, "apply_cases", real_apply)
    events: list[object] = []
    report = device.client(page_size=3, on_event=events.append).pull()
    assert len(_case_ids(device.store)) == 7
    assert report.cases_received == 4  # resumed after page one, not from the start
    assert device.store.get_meta(sync_client.META_CURSOR) != cursor_after_page_one
    assert device.store.get_meta(sync_client.META_RESYNC) is None


def test_tombstones_remove_cases_but_keep_their_work(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client()
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000001"]
    with enrolled_client.store.session() as s:  # work the server has not taken (rejected) stays
        repo.enqueue(s, "no_such_kind", {"x": 1}, case_id=case_id)
        s.commit()
    client.sync()
    _log_attempt(enrolled_client.store, case_id)
    enrolled_client.admin("unassign", "LN000001")
    enrolled_client.admin("close", "LN000002")
    report = client.sync()
    assert report.cases_removed == 2 and report.accepted == 1
    assert sorted(_case_ids(enrolled_client.store)) == ["LN000003"]
    with enrolled_client.store.session() as s:
        assert len(s.scalars(select(ContactAttempt)).all()) == 1
        assert len(repo.rejected_entries(s)) == 1


def test_unknown_cursor_410_triggers_a_full_resync_that_keeps_the_outbox(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client(page_size=2)
    client.sync()
    store = enrolled_client.store
    case_id = _case_ids(store)["LN000001"]
    with store.session() as s:
        repo.apply_case(s, protocol.CaseRecord.model_validate({
            **repo_case_dict(s.get(Case, case_id)), "id": 987654, "account_ref": "GONE-1",
        }))
        repo.enqueue(s, "no_such_kind", {"x": 1}, case_id=case_id)
        store.set_meta(s, sync_client.META_CURSOR, "not-a-cursor-the-server-knows")
        s.commit()
    client.push()  # the odd record is rejected and stays
    pending_id = _log_attempt(store, case_id)
    # Let the 410 happen on pull, with an unacknowledged record in the outbox: push first.
    report = client.sync()
    assert report.full_resync and report.accepted == 1
    assert sorted(_case_ids(store)) == ["LN000001", "LN000002", "LN000003"]
    with store.session() as s:
        assert s.scalar(select(OutboxEntry).where(OutboxEntry.id == pending_id)) is None
        assert len(repo.rejected_entries(s)) == 1
        assert s.get(ContactAttempt, pending_id) is not None
    assert store.get_meta(sync_client.META_RESYNC) is None


def repo_case_dict(case: Case | None) -> dict[str, Any]:
    assert case is not None
    return {name: getattr(case, name) for name in protocol.CaseRecord.model_fields}


def test_a_crashed_full_resync_still_removes_stale_cases(enrolled_client: EnrolledStore, monkeypatch: pytest.MonkeyPatch) -> None:
    client = enrolled_client.client(page_size=1)
    client.sync()
    store = enrolled_client.store
    with store.session() as s:
        repo.apply_case(s, protocol.CaseRecord.model_validate({
            **repo_case_dict(s.scalars(select(Case)).first()), "id": 55555, "account_ref": "STALE-1",
        }))
        store.set_meta(s, sync_client.META_CURSOR, "bogus")
        s.commit()
    real_apply = repo.apply_cases
    calls = {"n": 0}

    def failing_apply(session: Any, records: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return real_apply(session, records)

    monkeypatch.setattr(repo, "apply_cases", failing_apply)
    with pytest.raises(RuntimeError):
        client.pull()
    assert "STALE-1" in _case_ids(store)  # the resync did not finish yet
    monkeypatch.setattr(repo, "apply_cases", real_apply)
    enrolled_client.client(page_size=1).pull()
    assert sorted(_case_ids(store)) == ["LN000001", "LN000002", "LN000003"]


# ------------------------------------------------------------------------------ device lifecycle
def test_revoked_device_wipes_itself(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client()
    client.sync()
    device_id = enrolled_client.store.get_meta(sync_client.META_DEVICE_ID)
    enrolled_client.admin("revoke-device", device_id)
    events: list[object] = []
    with pytest.raises(DeviceRevoked, match="wiped"):
        enrolled_client.client(on_event=events.append).sync()
    assert isinstance(events[-1], SyncFailed)
    assert not DeviceStore.exists(enrolled_client.data_dir)
    assert [p for p in enrolled_client.data_dir.rglob("*") if p.is_file()] == []


def test_unknown_token_says_enroll_again(enrolled_client: EnrolledStore) -> None:
    with enrolled_client.store.session() as s:
        enrolled_client.store.set_meta(s, sync_client.META_TOKEN, "not-a-token")
        s.commit()
    with pytest.raises(DeviceNotRecognised, match="enroll"):
        enrolled_client.client().sync()
    assert DeviceStore.exists(enrolled_client.data_dir)


def test_client_too_old_still_pushes(enrolled_client: EnrolledStore) -> None:
    client = enrolled_client.client()
    client.sync()
    case_id = _case_ids(enrolled_client.store)["LN000002"]
    _log_attempt(enrolled_client.store, case_id)
    server = enrolled_client.server
    server.stop()
    server.extra_args = ["--min-client-version", "99.0"]
    server.start()
    with pytest.raises(ClientTooOld):
        enrolled_client.client().sync()
    assert _counts(enrolled_client.store)["outbox_pending"] == 0  # the work still reached the server


# ------------------------------------------------------------------------------------- attachments
def test_attachment_upload_resumes_and_deletes_local_bytes(
    enrolled_client: EnrolledStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = enrolled_client.store
    data = os.urandom(2 * 1024 * 1024 + 12345)
    sha = hashlib.sha256(data).hexdigest()
    with store.session() as s:
        attachment = repo.add_attachment(s, store, data, "audio/ogg")
        s.commit()
        local = repo.attachment_path(store, attachment)
    token = store.get_meta(sync_client.META_TOKEN)
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {token}", protocol.HEADER_CLIENT: protocol.client_header_value()})
    base = enrolled_client.server_url
    # An earlier run announced it and sent the first chunk, then died.
    body = {"sha256": sha, "size": len(data), "content_type": "audio/ogg"}
    assert http.post(base + protocol.PATH_ATTACHMENTS, json=body, timeout=10).status_code == 200
    first = http.put(
        base + protocol.PATH_ATTACHMENT.format(sha256=sha), params={"offset": 0}, data=data[: 1024 * 1024],
        headers={"Content-Type": "application/octet-stream"}, timeout=10,
    )
    assert first.status_code == 200 and first.json()["received"] == 1024 * 1024

    client = enrolled_client.client(chunk_size=1024 * 1024)
    offsets: list[int] = []
    original_request = client._request
    original_json = client._json
    lied = {"done": False}

    def spy_request(method: str, path: str, **kwargs: Any) -> Any:
        if method == "PUT":
            offsets.append(kwargs["params"]["offset"])
        return original_request(method, path, **kwargs)

    def forgetful_json(response: Any, model: Any) -> Any:
        value = original_json(response, model)
        if model is protocol.AttachmentStatus and not lied["done"]:
            # Pretend the announcement said 0 bytes held: the server must answer 409 with its offset.
            lied["done"] = True
            return value.model_copy(update={"received": 0})
        return value

    monkeypatch.setattr(client, "_request", spy_request)
    monkeypatch.setattr(client, "_json", forgetful_json)
    report = client.upload_attachments()
    assert report.attachments_uploaded == 1 and report.attachment_errors == []
    assert offsets == [0, 1024 * 1024, 2 * 1024 * 1024]  # 0 refused (409), then resumed where the server was
    status = http.get(base + protocol.PATH_ATTACHMENT.format(sha256=sha), timeout=10).json()
    assert status["complete"] and status["received"] == len(data)
    assert not local.exists()
    with store.session() as s:
        assert s.get(Attachment, sha).confirmed  # type: ignore[union-attr]
    # Nothing left to do on the next sync.
    assert enrolled_client.client().sync().attachments_uploaded == 0


def test_attachment_already_on_the_server_is_confirmed_without_upload(enroll_store: Any) -> None:
    a = enroll_store("zhao", cases=0)
    b = enroll_store("qian", cases=0)
    data = b"same signature image" * 100
    for device in (a, b):
        with device.store.session() as s:
            repo.add_attachment(s, device.store, data, "image/png")
            s.commit()
    assert a.client().upload_attachments().attachments_uploaded == 1
    report = b.client().upload_attachments()
    assert report.attachments_uploaded == 1 and report.attachment_errors == []


def test_small_attachments_travel_in_batches_and_large_ones_in_chunks(
    enrolled_client: EnrolledStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = enrolled_client.store
    small = [os.urandom(2000 + i) for i in range(7)]
    large = os.urandom(protocol.MAX_BATCH_ITEM + 10)
    with store.session() as s:
        rows = [repo.add_attachment(s, store, data, "image/png") for data in small + [large]]
        s.commit()
        paths = [repo.attachment_path(store, row) for row in rows]
    monkeypatch.setattr(protocol, "MAX_BATCH_ITEMS", 3)  # 7 small ones: three batches
    client = enrolled_client.client(chunk_size=256 * 1024)
    calls: list[tuple[str, str]] = []
    original = client._request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        calls.append((method, path))
        return original(method, path, **kwargs)

    monkeypatch.setattr(client, "_request", spy)
    report = client.upload_attachments()
    assert report.attachments_uploaded == 8 and report.attachment_errors == []
    assert calls.count(("POST", protocol.PATH_ATTACHMENTS_HELD)) == 1
    assert calls.count(("POST", protocol.PATH_ATTACHMENTS_BATCH)) == 3
    assert calls.count(("POST", protocol.PATH_ATTACHMENTS)) == 1  # only the large one, chunked
    assert not any(path.exists() for path in paths)
    with store.session() as s:
        assert all(row.confirmed for row in s.scalars(select(Attachment)))
    calls.clear()
    assert client.upload_attachments().attachments_uploaded == 0
    assert calls == []  # nothing left: not even a query


def test_a_batch_item_the_server_refuses_stays_on_the_device(
    enrolled_client: EnrolledStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = enrolled_client.store
    with store.session() as s:
        good = repo.add_attachment(s, store, b"good signature" * 50, "image/png")
        bad = repo.add_attachment(s, store, b"damaged on the way" * 50, "image/png")
        s.commit()
    client = enrolled_client.client()
    original = client._request

    def corrupt(method: str, path: str, **kwargs: Any) -> Any:
        if path == protocol.PATH_ATTACHMENTS_BATCH:
            for item in kwargs["json"]["items"]:
                if item["sha256"] == bad.sha256:
                    item["data"] = item["data"][:-8] + "AAAAAAA="
        return original(method, path, **kwargs)

    monkeypatch.setattr(client, "_request", corrupt)
    report = client.upload_attachments()
    assert report.attachments_uploaded == 1
    assert len(report.attachment_errors) == 1 and bad.sha256[:12] in report.attachment_errors[0]
    assert "do not match" in report.attachment_errors[0]
    with store.session() as s:
        assert s.get(Attachment, good.sha256).confirmed  # type: ignore[union-attr]
        assert not s.get(Attachment, bad.sha256).confirmed  # type: ignore[union-attr]
    assert repo.attachment_path(store, bad).exists() and not repo.attachment_path(store, good).exists()
    # the next sync sends it again, unharmed
    assert enrolled_client.client().upload_attachments().attachments_uploaded == 1


def test_cases_csv_helper_round_trip(tmp_path: Path) -> None:
    path = write_cases_csv(tmp_path / "c.csv", [case_row(1, "zhang")])
    assert "LN000001" in path.read_text(encoding="utf-8")
    assert json.dumps(case_row(2))


def test_the_teams_working_zone_reaches_its_laptops_and_decides_their_today(
        enroll_store: Any, live_server: Any) -> None:
    """The zone is the team's, set on the server: a laptop whose clock is in UTC still lives Beijing's day."""
    from zoneinfo import ZoneInfo

    from fieldapp.core.clock import laptop_zone

    first = enroll_store("zhou", cases=1, team="北京一组")
    with first.store.session() as s:
        assert first.store.get_meta(repo.META_WORK_ZONE) is None and repo.work_zone(s) == laptop_zone()
    refused = live_server.admin("set-team-zone", "北京一组", "Mars/Olympus_Mons")
    assert refused.returncode == 1 and "not a known time zone" in refused.stderr
    missing = live_server.admin("set-team-zone", "no such team", "Asia/Shanghai")
    assert missing.returncode == 1 and "no team" in missing.stderr
    assert live_server.admin("set-team-zone", "北京一组", "Asia/Shanghai").returncode == 0

    first.client().sync()
    second = enroll_store("qian", cases=0, team="北京一组")  # told at enrollment, before any sync
    for device in (first, second):
        with device.store.session() as s:
            assert repo.work_zone(s) == ZoneInfo("Asia/Shanghai")
            evening = dt.datetime(2026, 12, 3, 18, 20, tzinfo=dt.UTC)  # 02:20 on the 4th in Beijing
            assert repo.collector_day(s, _frozen(evening)).today() == dt.date(2026, 12, 4)

    assert live_server.admin("set-team-zone", "北京一组", "").returncode == 0  # each laptop's own again
    first.client().sync()
    with first.store.session() as s:
        assert first.store.get_meta(repo.META_WORK_ZONE) is None and repo.work_zone(s) == laptop_zone()


def _frozen(instant: dt.datetime) -> Any:
    from fieldapp.core.clock import TrustedClock

    clock = TrustedClock(monotonic=lambda: 0.0, device_now=lambda: instant)
    clock.learn(instant)
    return clock
