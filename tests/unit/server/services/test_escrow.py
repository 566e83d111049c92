"""The server's escrow key and sealed device keys (server/escrow.py), and escrow at POST /enroll."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, select

from fieldapp import protocol
from fieldapp.server import db
from fieldapp.server.services import escrow


def test_escrow_key_file_is_made_once_and_private(fieldapp_home: Path) -> None:
    with pytest.raises(escrow.EscrowError, match="no escrow key"):
        escrow.escrow_key()
    key = escrow.escrow_key(create=True)
    path = fieldapp_home / "data" / "escrow.key"
    assert escrow.key_file_path() == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert escrow.escrow_key() == key == escrow.escrow_key(create=True)
    assert path.read_text().strip() == key.hex()


def test_the_environment_wins_and_is_checked(fieldapp_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = os.urandom(32)
    monkeypatch.setenv(escrow.ESCROW_ENV, key.hex())
    assert escrow.escrow_key(create=True) == key
    assert not (fieldapp_home / "data" / "escrow.key").exists()
    monkeypatch.setenv(escrow.ESCROW_ENV, "12ab")
    with pytest.raises(escrow.EscrowError, match="64 hex"):
        escrow.escrow_key()


def test_a_damaged_key_file_is_a_plain_error(fieldapp_home: Path) -> None:
    escrow.escrow_key(create=True)
    (fieldapp_home / "data" / "escrow.key").write_text("garbage\n")
    with pytest.raises(escrow.EscrowError, match="64 hex"):
        escrow.escrow_key(create=True)


def test_seal_binds_the_key_and_the_device() -> None:
    key, device_key, device = os.urandom(32), os.urandom(32), uuid.uuid4()
    sealed = escrow.seal(key, device, device_key)
    assert device_key not in sealed and len(sealed) == 12 + 32 + 16
    assert escrow.unseal(key, device, sealed) == device_key
    assert escrow.seal(key, device, device_key) != sealed  # a fresh nonce each time
    for wrong_key, wrong_device, blob in (
        (os.urandom(32), device, sealed),
        (key, uuid.uuid4(), sealed),
        (key, device, sealed[:-1] + bytes([sealed[-1] ^ 1])),
        (key, device, b"short"),
    ):
        with pytest.raises(escrow.EscrowError):
            escrow.unseal(wrong_key, wrong_device, blob)
    assert escrow.key_id(key) == escrow.key_id(key) != escrow.key_id(os.urandom(32))


def _enroll(server: Any, escrow_key: str | None, username: str) -> requests.Response:
    assert server.admin("add-user", username, "--role", "collector", password="pw-1234", in_process=True).returncode == 0
    code = server.admin("enroll-code", username, in_process=True).stdout.strip().splitlines()[-1]
    body: dict[str, Any] = {"code": code, "username": username, "password": "pw-1234"}
    if escrow_key is not None:
        body["escrow_key"] = escrow_key
    return requests.post(server.api_url + "/enroll", json=body, timeout=30,
                         headers={protocol.HEADER_CLIENT: protocol.client_header_value()})


def test_enroll_seals_the_key_under_the_servers_escrow_key(live_server: Any) -> None:
    device_key = os.urandom(32)
    answer = _enroll(live_server, device_key.hex(), "sun")
    assert answer.status_code == 200, answer.text
    device_id = uuid.UUID(answer.json()["device_id"])
    server_key = bytes.fromhex((live_server.home / "data" / "escrow.key").read_text())
    engine = create_engine(live_server.db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                select(db.Device.escrow_key_id, db.Device.escrow_sealed_key).where(db.Device.id == device_id)
            ).one()
            audited = conn.execute(
                select(db.AuditEvent.detail).where(db.AuditEvent.target == f"device:{device_id}")
            ).scalar_one()
    finally:
        engine.dispose()
    assert row.escrow_key_id == escrow.key_id(server_key)
    assert escrow.unseal(server_key, device_id, bytes(row.escrow_sealed_key)) == device_key
    assert audited["key_escrowed"] is True


@pytest.mark.parametrize("bad", ["ab" * 31, "AB" * 32, "zz" * 32, "ab" * 33])
def test_enroll_refuses_a_malformed_escrow_key(live_server: Any, bad: str) -> None:
    username = f"u{uuid.uuid4().hex[:8]}"
    answer = _enroll(live_server, bad, username)
    assert answer.status_code == 422
    assert "escrow_key" in answer.json()["error"]["message"] and bad not in answer.text
