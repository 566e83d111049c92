"""``fieldapp enroll | sync | status`` as a person or an IT script runs them: real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from client_fixtures import TEST_PASSWORD, case_row, write_cases_csv

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
PIN = "cli-pin-1357"


def fieldapp(home: Path, *args: str, passphrase: str | None = PIN, password: str | None = None) -> subprocess.CompletedProcess[str]:
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


def _snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def _enroll(live_server: Any, home: Path, tmp_path: Path, username: str = "zhou") -> subprocess.CompletedProcess[str]:
    assert live_server.admin("add-user", username, "--role", "collector", password=TEST_PASSWORD).returncode == 0
    csv_path = write_cases_csv(tmp_path / "cases.csv", [case_row(i, username) for i in range(1, 4)])
    assert live_server.admin("import-cases", str(csv_path)).returncode == 0
    code = live_server.admin("enroll-code", username).stdout.strip().splitlines()[-1]
    return fieldapp(home, "enroll", "--server", live_server.url, "--code", code, "--user", username, password=TEST_PASSWORD)


def test_enroll_sync_status(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    before = fieldapp(home, "status", "--json")
    assert before.returncode != 0 and "not enrolled" in before.stderr

    enrolled = _enroll(live_server, home, tmp_path)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "enrolled device" in enrolled.stdout
    status = json.loads(fieldapp(home, "status", "--json").stdout)
    assert status == {"cases": 0, "outbox_pending": 0, "rejected": 0, "last_sync": None, "server": live_server.url}

    synced = fieldapp(home, "sync")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("synced:") and "received 3 cases" in synced.stdout
    status = json.loads(fieldapp(home, "status", "--json").stdout)
    assert status["cases"] == 3 and status["last_sync"] and set(status) == {
        "cases", "outbox_pending", "rejected", "last_sync", "server",
    }
    # Everything lives under FIELDAPP_HOME; the token is in no plain file there.
    assert (home / "data" / "device.db").exists() and (home / "data" / "device.key").exists()

    again = fieldapp(home, "enroll", "--server", live_server.url, "--code", "X" * 8, "--user", "zhou",
                     password=TEST_PASSWORD)
    assert again.returncode != 0 and "already enrolled" in again.stderr


def test_wrong_passphrase_touches_nothing(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    assert _enroll(live_server, home, tmp_path).returncode == 0
    files = _snapshot(home / "data")
    for command in (["sync"], ["status", "--json"]):
        result = fieldapp(home, *command, passphrase="wrong-pin")
        assert result.returncode != 0
        assert "PIN or password is wrong" in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(home / "data") == files
    missing = fieldapp(home, "status", passphrase=None)
    assert missing.returncode != 0 and "FIELDAPP_PASSPHRASE" in missing.stderr


def test_revoked_device_says_its_data_was_wiped(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    assert _enroll(live_server, home, tmp_path).returncode == 0
    devices = json.loads(live_server.admin("list-devices", "--json").stdout)
    assert live_server.admin("revoke-device", devices[0]["id"]).returncode == 0
    result = fieldapp(home, "sync")
    assert result.returncode != 0 and "revoked" in result.stderr and "wiped" in result.stderr
    assert not (home / "data" / "device.key").exists() and not (home / "data" / "device.db").exists()


def test_unreachable_server_is_a_plain_error(live_server: Any, tmp_path: Path) -> None:
    home = tmp_path / "laptop"
    assert _enroll(live_server, home, tmp_path).returncode == 0
    live_server.stop()
    result = fieldapp(home, "sync")
    assert result.returncode != 0
    assert "cannot be reached" in result.stderr and "Traceback" not in result.stderr


def test_enroll_refuses_http_off_loopback(tmp_path: Path) -> None:
    result = fieldapp(tmp_path / "laptop", "enroll", "--server", "http://fieldapp.example.com", "--code", "ABCD-1234",
                      "--user", "x", password="pw")
    assert result.returncode != 0 and "TLS" in result.stderr
    assert not (tmp_path / "laptop" / "data" / "device.key").exists()
