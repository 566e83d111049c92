"""The sync API through a real server process and real HTTP: enrollment, revocation, pull, push, time."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import requests
from server_fixtures import (
    EnrolledDevice,
    LiveServer,
    enroll_device,
    sample_case,
    write_cases_csv,
)
from sqlalchemy import select

from fieldapp import protocol
from fieldapp.core.clock import device_now
from fieldapp.server import db


def _admin(server: LiveServer, *args: str, password: str | None = None) -> Any:
    # In-process for speed: the admin commands' own behaviour is tested as subprocesses elsewhere.
    return server.admin(*args, password=password, in_process=True)


def _import(server: LiveServer, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    result = _admin(server, "import-cases", str(write_cases_csv(tmp_path / f"{uuid.uuid4().hex}.csv", rows)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rejected 0" in result.stdout, result.stdout


def _refs(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{uuid.uuid4().hex[:6]}-{i}" for i in range(n)]


def _pull_all(device: EnrolledDevice, cursor: str = "", limit: int | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str, int]:
    """Follow has_more to the end; returns (cases, tombstones, final cursor, pages)."""
    cases: list[dict[str, Any]] = []
    stones: list[dict[str, Any]] = []
    pages = 0
    while True:
        params: dict[str, Any] = {"cursor": cursor}
        if limit:
            params["limit"] = limit
        answer = device.get("/pull", params=params)
        assert answer.status_code == 200, answer.text
        page = protocol.PullResponse.model_validate(answer.json())
        pages += 1
        ids = [c.id for c in page.cases] + [t.case_id for t in page.tombstones]
        assert len(ids) == len(set(ids)), "a case appears at most once per page"
        cases += [c.model_dump(mode="json") for c in page.cases]
        stones += [t.model_dump(mode="json") for t in page.tombstones]
        cursor = page.next_cursor
        if not page.has_more:
            return cases, stones, cursor, pages


def _record(case_id: int | None, kind: str = "contact_attempt", **payload: Any) -> dict[str, Any]:
    now = device_now().isoformat()
    if kind == "contact_attempt":
        body: dict[str, Any] = {"channel": "call", "attempted_at": now, "outcome": "no_answer"}
    else:
        body = {"started_at": now, "utc_offset_minutes": 480, "outcome": "not_at_home"}
    body.update(payload)
    return {"id": str(uuid.uuid4()), "kind": kind, "case_id": case_id, "created_at": now, "payload": body}


def _assert_error(answer: requests.Response, status: int, code: protocol.ErrorCode) -> protocol.ErrorBody:
    assert answer.status_code == status, answer.text
    assert protocol.HEADER_SERVER_TIME in answer.headers
    body = protocol.ErrorBody.model_validate(answer.json())
    assert body.error.code == code
    return body


# ------------------------------------------------------------------------------------- enrollment
def test_enrollment_good_reused_expired_and_wrong_password(module_server: LiveServer) -> None:
    name = f"enr{uuid.uuid4().hex[:6]}"
    assert _admin(module_server, "add-user", name, "--role", "lead", "--team", "east", password="right").returncode == 0
    code = _admin(module_server, "enroll-code", name).stdout.strip().splitlines()[-1]
    assert len(code) == 9 and code[4] == "-"
    url = module_server.api_url + "/enroll"

    wrong = requests.post(url, json={"code": code, "username": name, "password": "wrong"}, timeout=30)
    body = _assert_error(wrong, 401, protocol.ErrorCode.enrollment_invalid)
    assert "password" in body.error.message

    # a failed attempt does not consume the code; lower case and no dash are fine
    good = requests.post(url, json={"code": code.lower().replace("-", ""), "username": name, "password": "right"}, timeout=30)
    assert good.status_code == 200, good.text
    enrolled = protocol.EnrollResponse.model_validate(good.json())
    assert enrolled.role == "lead" and enrolled.team == "east" and enrolled.username == name

    reused = requests.post(url, json={"code": code, "username": name, "password": "right"}, timeout=30)
    assert "was used or has expired" in _assert_error(reused, 401, protocol.ErrorCode.enrollment_invalid).error.message

    short = _admin(module_server, "enroll-code", name, "--ttl-hours", "0.0001").stdout.strip().splitlines()[-1]
    import time

    time.sleep(0.5)
    expired = requests.post(url, json={"code": short, "username": name, "password": "right"}, timeout=30)
    assert "expired" in _assert_error(expired, 401, protocol.ErrorCode.enrollment_invalid).error.message

    unknown = requests.post(url, json={"code": "AAAA-BBBB", "username": name, "password": "right"}, timeout=30)
    _assert_error(unknown, 401, protocol.ErrorCode.enrollment_invalid)


def test_unknown_token_and_revoked_device(module_server: LiveServer) -> None:
    anonymous = requests.get(module_server.api_url + "/pull", timeout=30)
    _assert_error(anonymous, 401, protocol.ErrorCode.unauthorized)
    forged = requests.get(module_server.api_url + "/pull", headers={"Authorization": "Bearer nope"}, timeout=30)
    _assert_error(forged, 401, protocol.ErrorCode.unauthorized)

    device = enroll_device(module_server)
    assert device.get("/pull").status_code == 200
    listing = _admin(module_server, "list-devices")
    assert device.device_id in listing.stdout
    result = _admin(module_server, "revoke-device", device.device_id)
    assert result.returncode == 0, result.stderr
    for answer in (device.get("/pull"), device.post("/push", json={"records": []})):
        body = _assert_error(answer, 403, protocol.ErrorCode.device_revoked)
        assert body.error.message == "this device was revoked by an administrator"
    import json

    listed = {d["id"]: d for d in json.loads(_admin(module_server, "list-devices", "--json").stdout)}
    assert listed[device.device_id]["user"] == device.username
    assert listed[device.device_id]["client_version"] == protocol.__version__
    assert listed[device.device_id]["revoked_at"] is not None
    assert _admin(module_server, "revoke-device", str(uuid.uuid4())).returncode != 0


# ------------------------------------------------------------------------------------------- pull
def test_pull_pages_in_commit_order_with_tombstones(module_server: LiveServer, tmp_path: Path) -> None:
    device = enroll_device(module_server)
    other = enroll_device(module_server)
    refs = _refs("P", 7)
    _import(module_server, tmp_path, [sample_case(ref, assignee=device.username) for ref in refs])

    cases, stones, cursor, pages = _pull_all(device, limit=3)
    assert pages == 3
    assert sorted(c["account_ref"] for c in cases) == sorted(refs) and stones == []
    assert [c["revision"] for c in cases] == sorted(c["revision"] for c in cases)
    first = next(c for c in cases if c["account_ref"] == refs[0])
    assert first["id_number_masked"] == "1****************2"
    assert first["principal"] == 1200000 and first["timezone"] == "Asia/Shanghai"
    by_ref = {c["account_ref"]: c for c in cases}

    # nothing new: an idle pull returns nothing and keeps the cursor
    assert _pull_all(device, cursor)[:3] == ([], [], cursor)

    assert _admin(module_server, "unassign", refs[0]).returncode == 0
    assert _admin(module_server, "close", refs[1]).returncode == 0
    assert _admin(module_server, "assign", "--user", other.username, refs[2]).returncode == 0
    rows = [sample_case(ref, assignee=device.username) for ref in refs]
    rows[3]["total_due"] = "1.00"
    # refs[3] changed; naming this user as assignee again gives refs[0] and refs[2] back (refs[1] is closed)
    _import(module_server, tmp_path, rows)

    cases2, stones2, cursor2, _ = _pull_all(device, cursor)
    # within the page the latest change of a case wins: refs[0] and refs[2] arrive as cases, not tombstones
    assert {s["account_ref"]: s["reason"] for s in stones2} == {refs[1]: "closed"}
    assert sorted(c["account_ref"] for c in cases2) == sorted([refs[0], refs[2], refs[3]])
    updated = next(c for c in cases2 if c["account_ref"] == refs[3])
    assert updated["total_due"] == 100 and updated["revision"] > by_ref[refs[3]]["revision"]

    # the other user saw refs[2] arrive and then leave again
    other_cases, other_stones, _, _ = _pull_all(other)
    assert [c["account_ref"] for c in other_cases] == []
    assert [(s["account_ref"], s["reason"]) for s in other_stones] == [(refs[2], "unassigned")]

    assert _admin(module_server, "unassign", refs[4]).returncode == 0
    assert _admin(module_server, "assign", "--user", other.username, refs[5]).returncode == 0
    cases3, stones3, _, _ = _pull_all(device, cursor2)
    assert cases3 == []
    assert {(s["account_ref"], s["reason"]) for s in stones3} == {(refs[4], "unassigned"), (refs[5], "unassigned")}

    # assigning a closed case is refused
    assert _admin(module_server, "assign", "--user", other.username, refs[1]).returncode != 0


def test_unknown_cursor_answers_410(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    cursor = device.get("/pull").json()["next_cursor"]
    _prefix, epoch, _seq = cursor.split(".")
    for bad in ("garbage", "v1.someotherepoch.0", f"v1.{epoch}.999999999", f"v2.{epoch}.1", f"v1.{epoch}.-1"):
        answer = device.get("/pull", params={"cursor": bad})
        _assert_error(answer, 410, protocol.ErrorCode.cursor_unknown)
    assert device.get("/pull", params={"cursor": cursor}).status_code == 200
    _assert_error(device.get("/pull", params={"limit": 0}), 422, protocol.ErrorCode.bad_request)


# ------------------------------------------------------------------------------------------- push
def test_push_accepted_duplicate_conflict_rejected(module_server: LiveServer, module_db_url: str, tmp_path: Path) -> None:
    device = enroll_device(module_server)
    other = enroll_device(module_server)
    refs = _refs("U", 2)
    _import(module_server, tmp_path, [sample_case(refs[0], assignee=device.username), sample_case(refs[1], assignee=device.username)])
    cases, _, _, _ = _pull_all(device)
    ids = {c["account_ref"]: c["id"] for c in cases}
    mine, closed = ids[refs[0]], ids[refs[1]]
    assert _admin(module_server, "close", refs[1]).returncode == 0

    visit = _record(mine, "visit")
    call = _record(mine)
    late = _record(closed)  # the case was closed after the call: kept and flagged
    explained = _record(mine, flagged=True, broken_rules=["CN1"], justification="the debtor called back at 22:40")
    unexplained = _record(mine, flagged=True, broken_rules=["CN1"], justification="  ")
    missing_time = _record(mine)
    del missing_time["payload"]["attempted_at"]
    unknown_kind = {**_record(mine), "kind": "telepathy"}
    no_case = _record(987654321)
    batch = [visit, call, late, missing_time, unknown_kind, no_case, explained, unexplained]
    answer = device.post("/push", json={"records": batch})
    assert answer.status_code == 200, answer.text
    assert protocol.HEADER_SERVER_TIME in answer.headers
    results = protocol.PushResponse.model_validate(answer.json()).results
    assert [str(r.id) for r in results] == [r["id"] for r in batch]
    assert [r.status.value for r in results] == ["accepted", "accepted", "accepted", "rejected", "rejected", "rejected",
                                                 "accepted", "rejected"]
    assert results[7].reason and "explanation" in results[7].reason  # a broken rule always comes with its reason
    assert results[3].reason == "this record was rejected because the call time is missing"
    assert results[4].reason and "telepathy" in results[4].reason
    assert results[5].reason and "does not exist" in results[5].reason

    changed = {**call, "payload": {**call["payload"], "outcome": "busy"}}
    again = device.post("/push", json={"records": [visit, changed]})
    statuses = [r["status"] for r in again.json()["results"]]
    assert statuses == ["duplicate", "conflict"]
    # the same id pushed by the collector's other laptop with the same content is still a duplicate…
    second_laptop = enroll_device(module_server, device.username, create_user=False)
    assert second_laptop.post("/push", json={"records": [visit]}).json()["results"][0]["status"] == "duplicate"
    # …while another collector, who never held the case, is told it does not exist (issue 11)
    refused = other.post("/push", json={"records": [visit]}).json()["results"][0]
    assert refused["status"] == "rejected" and f"case {mine} does not exist" in refused["reason"]
    # one id twice in one batch: the first is stored, the repeat judged like a re-push
    twice = _record(mine)
    other_content = {**twice, "payload": {**twice["payload"], "note": "changed"}}
    repeated = device.post("/push", json={"records": [twice, twice, other_content]}).json()["results"]
    assert [r["status"] for r in repeated] == ["accepted", "duplicate", "conflict"]

    engine = db.make_engine(module_db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            stored = {str(r.id): r for r in session.scalars(select(db.Record).where(db.Record.id.in_([uuid.UUID(r["id"]) for r in batch])))}
            assert set(stored) == {visit["id"], call["id"], late["id"], explained["id"]}
            assert stored[explained["id"]].flagged
            assert "broke rule CN1" in stored[explained["id"]].notes and "22:40" in stored[explained["id"]].notes
            assert stored[call["id"]].payload["outcome"] == "no_answer"  # never overwritten
            assert stored[late["id"]].flagged and "closed" in stored[late["id"]].notes
            assert not stored[visit["id"]].flagged
            conflicts = session.scalars(select(db.RecordConflict).where(db.RecordConflict.record_id == uuid.UUID(call["id"]))).all()
            assert [c.payload["outcome"] for c in conflicts] == ["busy"]
    finally:
        engine.dispose()

    # a malformed envelope is a bad request, answered plainly
    _assert_error(device.post("/push", json={"records": [{"id": "x"}]}), 422, protocol.ErrorCode.bad_request)


def test_server_time_on_every_response(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    answers = [
        requests.get(module_server.api_url + "/hello", timeout=30),
        requests.get(module_server.url + "/openapi.json", timeout=30),
        requests.get(module_server.url + "/no/such/page", timeout=30),
        requests.post(module_server.api_url + "/enroll", json={}, timeout=30),
        device.get("/pull"),
        device.get("/pull", params={"cursor": "bad"}),
        device.post("/push", json={"records": []}),
        device.get("/attachments/" + "0" * 64),
    ]
    for answer in answers:
        stamp = dt.datetime.fromisoformat(answer.headers[protocol.HEADER_SERVER_TIME])
        assert abs(stamp - device_now()) < dt.timedelta(minutes=1)
        if answer.headers.get("content-type", "").startswith("application/json") and "openapi" not in answer.url:
            assert "server_time" in answer.json()
    hello = protocol.Hello.model_validate(answers[0].json())
    assert hello.protocol == protocol.PROTOCOL_VERSION
    assert "/api/v1/push" in answers[1].json()["paths"]


def test_stats_json(module_server: LiveServer) -> None:
    import json

    result = _admin(module_server, "stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert set(stats) >= {"cases", "assigned", "users", "devices", "visits", "attachments", "audit_breaks", "forms",
                          "plans_pending", "notices"}
    assert all(isinstance(v, int) for v in stats.values())


# -------------------------------------------------------------------------------- minimum version
def test_old_client_gets_426_but_may_still_push(module_server: LiveServer, server_factory: Any, tmp_path: Path) -> None:
    ref = _refs("V", 1)[0]
    device = enroll_device(module_server)
    _import(module_server, tmp_path, [sample_case(ref, assignee=device.username)])
    case_id = _pull_all(device)[0][0]["id"]

    strict = server_factory(module_server.db_url, "--min-client-version", "99.0")
    old = requests.Session()
    old.headers.update(device.session.headers)
    hello = old.get(strict.api_url + "/hello", timeout=30)
    body = _assert_error(hello, 426, protocol.ErrorCode.client_too_old)
    assert "99.0" in body.error.message
    _assert_error(old.get(strict.api_url + "/pull", timeout=30), 426, protocol.ErrorCode.client_too_old)
    _assert_error(old.post(strict.api_url + "/enroll", json={"code": "AAAA-BBBB", "username": "x", "password": "y"}, timeout=30),
                  426, protocol.ErrorCode.client_too_old)

    pushed = old.post(strict.api_url + "/push", json={"records": [_record(case_id, "visit")]}, timeout=30)
    assert pushed.status_code == 200 and pushed.json()["results"][0]["status"] == "accepted"
    data = b"signature"
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    assert old.post(strict.api_url + "/attachments", json={"sha256": sha, "size": len(data)}, timeout=30).status_code == 200
    put = old.put(strict.api_url + f"/attachments/{sha}", params={"offset": 0}, data=data, timeout=30)
    assert put.status_code == 200 and put.json()["complete"] is True

    new = requests.Session()
    new.headers.update(device.session.headers)
    new.headers[protocol.HEADER_CLIENT] = protocol.client_header_value("99.0.1")
    assert new.get(strict.api_url + "/pull", timeout=30).status_code == 200
    assert new.get(strict.api_url + "/hello", timeout=30).json()["min_client_version"] == "99.0"

