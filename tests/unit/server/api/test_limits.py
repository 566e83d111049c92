"""Limits before work, through a real server process: NUL, body caps, a body only after its token,
rate limits shared by every worker (against the real Redis), security headers."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import pytest
import requests
from server_fixtures import LiveServer, enroll_device

from fieldapp import protocol
from fieldapp.server.api.limits import RateLimits

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="the shared rate limits need Redis at 127.0.0.1:6379")


# ------------------------------------------------------------------------------------ the counters
def test_a_moving_window_per_key_in_memory() -> None:
    limits = RateLimits("memory://", verify="3/minute")
    key = uuid.uuid4().hex
    assert [limits.take(limits.verify, key) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limits.take(limits.verify, key)
    assert 1.0 <= wait <= 60.0
    assert limits.take(limits.verify, key + "-other") == 0.0  # another address counts apart


@needs_redis
def test_two_servers_on_one_redis_share_the_counters() -> None:
    """What two workers (or two hosts) see: one count, not one each."""
    first, second = RateLimits(REDIS_URL, enroll_user="4/minute"), RateLimits(REDIS_URL, enroll_user="4/minute")
    name = f"user-{uuid.uuid4().hex}"
    taken = [limits.take(limits.enroll_user, name) for limits in (first, second, first, second)]
    assert taken == [0.0, 0.0, 0.0, 0.0]
    assert first.take(first.enroll_user, name) > 0 and second.take(second.enroll_user, name) > 0


# ------------------------------------------------------------------------------- through HTTP
@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('guarded') / 'server.db'}"
    server = LiveServer(db_url, env={"FIELDAPP_MAX_BODY": str(1024 * 1024),
                                     "FIELDAPP_ENROLL_USER_RATE": "3/minute"}).start()
    yield server
    server.stop()


def _error(answer: requests.Response, status: int) -> protocol.ErrorBody:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    return protocol.ErrorBody.model_validate(answer.json())


def test_a_body_over_the_cap_is_refused_before_it_is_read(guarded: LiveServer) -> None:
    device = enroll_device(guarded)
    big = b"x" * (2 * 1024 * 1024)
    announced = device.session.post(guarded.api_url + "/push", data=big,
                                    headers={"Content-Type": "application/json"}, timeout=30)
    assert "larger than this server accepts" in _error(announced, 413).error.message

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(32):
            yield b"x" * (64 * 1024)

    streamed = device.session.post(guarded.api_url + "/push", data=chunks(),
                                   headers={"Content-Type": "application/json"}, timeout=30)
    assert streamed.status_code == 413, streamed.text[:200]


def test_no_body_is_read_before_the_token_is_known(guarded: LiveServer) -> None:
    body = b'{"records": []}'
    anonymous = requests.post(guarded.api_url + "/push", data=body, timeout=30)
    assert _error(anonymous, 401).error.code == protocol.ErrorCode.unauthorized
    forged = requests.post(guarded.api_url + "/push", data=body, headers={"Authorization": "Bearer " + "A" * 43},
                           timeout=30)
    assert "does not know this device" in _error(forged, 401).error.message
    # even a body far over the cap gets the cheaper answer first when it says how long it is
    huge = requests.post(guarded.api_url + "/push", data=b"x" * (3 * 1024 * 1024), timeout=30)
    assert huge.status_code in (401, 413)


@pytest.mark.parametrize("path", ["/v/%00abc", "/v?code=12%0034", protocol.API + "/forms/%00",
                                  protocol.API + "/hello?x=%00"])
def test_a_nul_in_the_address_is_a_400_never_a_500(guarded: LiveServer, path: str) -> None:
    answer = requests.get(guarded.url + path, timeout=30)
    assert "NUL" in _error(answer, 400).error.message


def test_hostile_json_is_a_422_and_the_batch_is_not_lost(guarded: LiveServer) -> None:
    device = enroll_device(guarded)
    now = "2026-11-25T10:00:00+08:00"
    record = {"id": str(uuid.uuid4()), "kind": "contact_attempt", "case_id": 1, "created_at": now,
              "payload": {"channel": "call", "attempted_at": now, "outcome": "no_answer", "n": 2**70}}
    big = device.post("/push", json={"records": [record]})
    assert "64 bits" in _error(big, 422).error.message
    nul = dict(record, payload={**record["payload"], "n": 1, "note": "a\x00b"})
    assert "NUL" in _error(device.post("/push", json={"records": [nul]}), 422).error.message
    for case_id in (2**64, 31_206_883_652):  # beyond 64 bits; beyond a 32-bit id (a 500 on PostgreSQL once)
        assert device.post("/push", json={"records": [dict(record, case_id=case_id)]}).status_code == 422
    surrogate = '{"records": [{"id": "%s", "kind": "x\\ud800", "case_id": 1, "created_at": "%s", "payload": {}}]}' % (
        uuid.uuid4(), now)
    lone = device.session.post(guarded.api_url + "/push", data=surrogate.encode(),
                               headers={"Content-Type": "application/json"}, timeout=30)
    assert "not valid Unicode" in _error(lone, 422).error.message
    assert device.post("/push", json={"records": []}).status_code == 200


def test_every_enrolment_failure_says_the_same_and_the_name_is_limited(guarded: LiveServer) -> None:
    name = f"user{uuid.uuid4().hex[:8]}"
    guarded.admin("add-user", name, "--role", "collector", password="right-pw", in_process=True)
    code = guarded.admin("enroll-code", name, in_process=True).stdout.strip().splitlines()[-1]
    url = guarded.api_url + "/enroll"
    tries = [
        {"code": code, "username": name, "password": "wrong"},  # a known name, a wrong password
        {"code": "AAAA-BBBB", "username": name, "password": "right-pw"},  # the right password, a wrong code
        {"code": code, "username": name + "x", "password": "right-pw"},  # an unknown name
    ]
    messages = {_error(requests.post(url, json=body, timeout=30), 401).error.message for body in tries[:2]}
    assert len(messages) == 1  # no password oracle
    limited = requests.post(url, json=tries[0], timeout=30)  # the 3rd try for this name within the minute passes…
    _error(limited, 401)
    refused = requests.post(url, json={"code": code, "username": name, "password": "right-pw"}, timeout=30)
    assert _error(refused, 429).error.code == protocol.ErrorCode.rate_limited  # …the 4th is refused, even if right
    assert int(refused.headers["Retry-After"]) >= 1
    other = requests.post(url, json=tries[2], timeout=30)  # another name is not locked by this one
    assert _error(other, 401).error.message in messages


def test_security_headers_on_every_answer_and_no_docs(guarded: LiveServer) -> None:
    for answer in (requests.get(guarded.url + "/v", timeout=30), requests.get(guarded.api_url + "/hello", timeout=30),
                   requests.get(guarded.api_url + "/pull", timeout=30)):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in answer.headers  # plain HTTP on loopback: HSTS only over TLS
    assert requests.get(guarded.url + "/docs", timeout=30).status_code == 404
    assert requests.get(guarded.url + "/openapi.json", timeout=30).status_code == 200


def test_the_server_database_is_readable_by_its_account_only(guarded: LiveServer) -> None:
    from pathlib import Path

    path = Path(guarded.db_url.split(":///", 1)[1])
    assert path.stat().st_mode & 0o777 == 0o600


@needs_redis
def test_two_server_processes_on_one_redis_count_one_users_tries_together(tmp_path: Any) -> None:
    """Two hosts behind one address (or two workers): the per-username limit holds across both."""
    shared = {"FIELDAPP_RATE_STORAGE": REDIS_URL, "FIELDAPP_ENROLL_USER_RATE": "3/minute"}
    servers = [LiveServer(f"sqlite:///{tmp_path / f'host{i}.db'}", env=shared).start() for i in (1, 2)]
    try:
        name = f"shared-{uuid.uuid4().hex[:8]}"
        body = {"code": "AAAA-BBBB", "username": name, "password": "guess"}
        statuses = [requests.post(servers[i % 2].api_url + "/enroll", json=body, timeout=30).status_code
                    for i in range(4)]
        assert statuses == [401, 401, 401, 429]  # the 4th try, on either host, is refused
    finally:
        for server in servers:
            server.stop()
