"""Key escrow end to end (PRODUCT.md §8): enroll escrows the database key, IT reads it back, a device
whose PIN is forgotten is recovered with ``fieldapp recover --key`` and keeps its unsynced work."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from client_fixtures import TEST_PASSWORD, case_row, write_cases_csv
from server_fixtures import admin_command, enroll_device
from sqlalchemy import create_engine, inspect, select, text

from fieldapp.core.clock import device_now
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore
from fieldapp.store.models import Case

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
PIN = "cli-pin-1357"
NEW_PIN = "new-pin-8642"


def fieldapp(home: Path, *args: str, passphrase: str | None = PIN, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """``fieldapp ARGS`` as run on the collector's laptop (its own FIELDAPP_HOME)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env["FIELDAPP_HOME"] = str(home)
    if passphrase is not None:
        env["FIELDAPP_PASSPHRASE"] = passphrase
    if password is not None:
        env["FIELDAPP_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "fieldapp", *args], capture_output=True, text=True, env=env, cwd=REPO,
        stdin=subprocess.DEVNULL, timeout=120,
    )


def _enroll_and_work(live_server: Any, home: Path, tmp_path: Path, username: str = "qian") -> tuple[str, str]:
    """Enroll through the CLI, sync three cases, log one visit attempt that stays unsynced; (device id, raw key hex)."""
    assert live_server.admin("add-user", username, "--role", "collector", password=TEST_PASSWORD).returncode == 0
    csv_path = write_cases_csv(tmp_path / "cases.csv", [case_row(i, username) for i in range(1, 4)])
    assert live_server.admin("import-cases", str(csv_path)).returncode == 0
    code = live_server.admin("enroll-code", username).stdout.strip().splitlines()[-1]
    enrolled = fieldapp(home, "enroll", "--server", live_server.url, "--code", code, "--user", username,
                        password=TEST_PASSWORD)
    assert enrolled.returncode == 0, enrolled.stderr
    assert fieldapp(home, "sync").returncode == 0
    store = DeviceStore.open(PIN, home / "data")
    try:
        with store.session() as s:
            case_id = s.scalars(select(Case.id).order_by(Case.id)).first()
            assert case_id is not None
            repo.log_contact_attempt(s, case_id=case_id, attempted_at=device_now(), username=username,
                                     channel="call", outcome="no_answer")
            s.commit()
        raw_hex = store._raw_key.hex()
        device_id = store.get_meta("device_id")
    finally:
        store.close()
    assert device_id
    return device_id, raw_hex


def _server_contents(db_url: str) -> tuple[list[str], list[bytes]]:
    """Every value in every table of the server database, as text and as bytes."""
    engine = create_engine(db_url)
    texts: list[str] = []
    blobs: list[bytes] = []
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    for value in row:
                        if isinstance(value, (bytes, memoryview)):
                            blobs.append(bytes(value))
                        texts.append(str(value))
    finally:
        engine.dispose()
    return texts, blobs


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_forgotten_pin_is_recovered_with_the_escrowed_key(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    device_id, raw_hex = _enroll_and_work(live_server, home, tmp_path)
    raw = bytes.fromhex(raw_hex)

    # The server holds the key sealed: neither its rows nor (SQLite) its files show it.
    texts, blobs = _server_contents(live_server.db_url)
    assert not any(raw_hex in t.lower() for t in texts)
    assert not any(raw in b for b in blobs)
    assert any(len(b) == 12 + 32 + 16 for b in blobs)  # nonce + sealed key + tag
    if live_server.db_url.startswith("sqlite"):
        db_file = Path(live_server.db_url.split(":///", 1)[1])
        for path in db_file.parent.glob(db_file.name + "*"):
            data = path.read_bytes()
            assert raw not in data and raw_hex.encode() not in data.lower()
    key_file = live_server.home / "data" / "escrow.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    shown = live_server.admin("escrow-key", device_id)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == raw_hex
    texts, _ = _server_contents(live_server.db_url)
    assert "escrow-key" in texts and f"device:{device_id}" in texts

    # The collector forgot the PIN.
    assert "PIN or password is wrong" in fieldapp(home, "status", "--json", passphrase="1234").stderr
    before = _snapshot(home / "data")

    wrong = fieldapp(home, "recover", "--key", os.urandom(32).hex(), passphrase=NEW_PIN)
    assert wrong.returncode != 0 and "does not open the local database" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    malformed = fieldapp(home, "recover", "--key", "not-a-key", passphrase=NEW_PIN)
    assert malformed.returncode != 0 and "64 hex characters" in malformed.stderr
    assert _snapshot(home / "data") == before

    recovered = fieldapp(home, "recover", "--key", raw_hex.upper(), passphrase=NEW_PIN)
    assert recovered.returncode == 0, recovered.stderr
    status = fieldapp(home, "status", "--json", passphrase=NEW_PIN)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["cases"] == 3
    assert json.loads(status.stdout)["outbox_pending"] == 1
    assert "PIN or password is wrong" in fieldapp(home, "status", "--json", passphrase=PIN).stderr
    # The database file itself was not rewritten: only the key file changed.
    after = _snapshot(home / "data")
    assert after[home / "data" / "device.key"] != before[home / "data" / "device.key"]
    assert after[home / "data" / "device.db"] == before[home / "data" / "device.db"]

    # The recovered device still syncs its work.
    synced = fieldapp(home, "sync", passphrase=NEW_PIN)
    assert synced.returncode == 0, synced.stderr
    assert json.loads(fieldapp(home, "status", "--json", passphrase=NEW_PIN).stdout)["outbox_pending"] == 0


def test_escrow_survives_revocation_and_unknown_devices_are_plain_errors(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    device_id, raw_hex = _enroll_and_work(live_server, home, tmp_path)
    assert live_server.admin("revoke-device", device_id).returncode == 0
    shown = live_server.admin("escrow-key", device_id)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == raw_hex and "revoked" in shown.stdout

    for device, message in ((str(uuid.uuid4()), "no device with id"), ("nonsense", "is not a device id")):
        result = live_server.admin("escrow-key", device)
        assert result.returncode != 0 and message in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""

    # A device enrolled by a client that sent no key (older FieldApp) has nothing escrowed.
    old = enroll_device(live_server)
    result = live_server.admin("escrow-key", old.device_id)
    assert result.returncode != 0 and "no escrowed key" in result.stderr


def test_escrow_key_needs_the_servers_escrow_key(live_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    device_id, _ = _enroll_and_work(live_server, tmp_path / "laptop", tmp_path)
    # Run from another home, without the server's escrow.key: no disclosure, a plain message.
    elsewhere = tmp_path / "other-home"
    result = admin_command(live_server.db_url, "escrow-key", device_id, home=elsewhere)
    assert result.returncode != 0 and "no escrow key" in result.stderr and "Traceback" not in result.stderr
    # A different escrow key is told apart from a damaged escrow.
    monkeypatch.setenv("FIELDAPP_ESCROW_KEY", os.urandom(32).hex())
    result = admin_command(live_server.db_url, "escrow-key", device_id, home=elsewhere)
    assert result.returncode != 0 and "another escrow key" in result.stderr
