"""Retries with backoff and jitter over real sockets: 5xx, 429, dropped answers and a dead server."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from client_fixtures import EnrolledStore
from faultproxy import FaultProxy
from sqlalchemy import select

from fieldapp import protocol
from fieldapp.core.clock import device_now
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore
from fieldapp.store.models import Case, OutboxEntry
from fieldapp.sync import client as sync_client
from fieldapp.sync.client import ServerError, ServerUnreachable, SyncClient

NOW = device_now()


def _point_at(store: DeviceStore, url: str) -> None:
    with store.session() as s:
        store.set_meta(s, sync_client.META_SERVER, url)
        s.commit()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the client's backoff delays instead of sleeping them."""
    recorded: list[float] = []
    monkeypatch.setattr(sync_client.time, "sleep", recorded.append)
    return recorded


class ScriptedServer:
    """A loopback HTTP server answering GET /hello from a script of (status, headers) steps."""

    def __init__(self, script: list[tuple[int, dict[str, str]]]) -> None:
        self.script = list(script)
        self.requests = 0
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                scripted.requests += 1
                status, headers = scripted.script.pop(0) if scripted.script else (200, {})
                now = device_now().isoformat()
                if status == 200:
                    body = {"server_time": now, "server_version": "0.1.0", "protocol": 1, "min_client_version": None}
                else:
                    body = {"error": {"code": "rate_limited", "message": "slow down"}, "server_time": now}
                data = json.dumps(body).encode()
                self.send_response(status)
                for key, value in {**headers, protocol.HEADER_SERVER_TIME: now}.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bare_store(device_store: DeviceStore) -> Iterator[DeviceStore]:
    """A store that looks enrolled (server and token in meta) for tests without a real server."""
    with device_store.session() as s:
        device_store.set_meta(s, sync_client.META_SERVER, "http://127.0.0.1:9")
        device_store.set_meta(s, sync_client.META_TOKEN, "token")
        s.commit()
    yield device_store


def test_5xx_and_429_are_retried_with_capped_full_jitter(bare_store: DeviceStore, sleeps: list[float]) -> None:
    script = [(503, {}), (500, {}), (429, {"Retry-After": "0.02"}), (502, {})]
    with ScriptedServer(script) as server:
        _point_at(bare_store, server.url)
        client = SyncClient(bare_store, backoff_base=0.01, backoff_max=0.04, max_attempts=6)
        hello = client.hello()
    assert hello.protocol == 1 and server.requests == 5
    assert len(sleeps) == 4
    caps = [min(0.04, 0.01 * 2**i) for i in range(4)]
    assert all(0 <= d <= cap for d, cap in zip(sleeps[:2] + sleeps[3:], caps[:2] + caps[3:], strict=True))
    assert sleeps[2] >= 0.02  # Retry-After is honoured (within the cap)


def test_a_server_that_keeps_failing_gives_a_plain_error(bare_store: DeviceStore, sleeps: list[float]) -> None:
    with ScriptedServer([(500, {})] * 10) as server:
        _point_at(bare_store, server.url)
        client = SyncClient(bare_store, backoff_base=0.01, backoff_max=0.02, max_attempts=3)
        with pytest.raises(ServerError, match="server had a problem"):
            client.hello()
    assert server.requests == 3 and len(sleeps) == 2


def test_total_wait_is_capped(bare_store: DeviceStore, sleeps: list[float]) -> None:
    with ScriptedServer([(503, {"Retry-After": "5"})] * 10) as server:
        _point_at(bare_store, server.url)
        client = SyncClient(bare_store, backoff_base=1, backoff_max=5, max_attempts=10, max_total_wait=12)
        with pytest.raises(ServerUnreachable):
            client.hello()
    assert sum(sleeps) <= 12 and server.requests == len(sleeps) + 1 < 10


def test_dead_server_is_unreachable_and_work_is_kept(bare_store: DeviceStore, sleeps: list[float]) -> None:
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _point_at(bare_store, f"http://127.0.0.1:{port}")
    with bare_store.session() as s:
        repo.log_contact_attempt(s, case_id=1, channel="call", attempted_at=NOW, outcome="busy")
        s.commit()
    events: list[object] = []
    client = SyncClient(bare_store, backoff_base=0.01, max_attempts=3, on_event=events.append)
    with pytest.raises(ServerUnreachable, match="cannot be reached; your work is kept"):
        client.sync()
    assert isinstance(events[-1], sync_client.SyncFailed) and len(sleeps) == 2
    with bare_store.session() as s:
        assert repo.counts(s)["outbox_pending"] == 1
    assert bare_store.get_meta(sync_client.META_LAST_SYNC) is None


@pytest.mark.e2e
def test_records_arrive_exactly_once_through_a_faulty_network(enrolled_client: EnrolledStore) -> None:
    store = enrolled_client.store
    enrolled_client.client().sync()
    with store.session() as s:
        case_ids = list(s.scalars(select(Case.id)))
        for i in range(60):
            repo.log_contact_attempt(
                s, case_id=case_ids[i % len(case_ids)], channel="call", outcome="no_answer",
                attempted_at=NOW - dt.timedelta(minutes=i), note=f"attempt {i}",
            )
        s.commit()
        pushed = [repo.to_push_record(e) for e in repo.pending_entries(s)]
    with FaultProxy(enrolled_client.server_url, drop=0.3, bad_gateway=0.2, delay=0.1, delay_seconds=(0.01, 0.05),
                    seed=7) as proxy:
        _point_at(store, proxy.url)
        client = enrolled_client.client(push_batch=5, max_attempts=30, max_total_wait=30)
        report = client.sync()
    assert proxy.counts["drop"] > 0 and proxy.counts["bad_gateway"] > 0
    assert report.rejected == report.conflict == 0
    assert report.accepted + report.duplicate >= 60
    with store.session() as s:
        assert s.scalars(select(OutboxEntry)).all() == []
    # Every record is on the server exactly as sent: pushing them again answers "duplicate" for each.
    _point_at(store, enrolled_client.server_url)
    raw = enrolled_client.client()._request(
        "POST", protocol.PATH_PUSH, json=protocol.PushRequest(records=pushed).model_dump(mode="json")
    )
    statuses = {r["status"] for r in raw.json()["results"]}
    assert statuses == {"duplicate"}


def test_retry_helper_reads_retry_after() -> None:
    class Fake:
        headers: dict[str, Any] = {"Retry-After": "3"}

    assert sync_client._retry_after(Fake()) == 3.0  # type: ignore[arg-type]
    Fake.headers = {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    assert sync_client._retry_after(Fake()) is None  # type: ignore[arg-type]
