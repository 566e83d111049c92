"""The whole life of a case, through real processes only: admin commands, a server, a laptop's CLI.

import → assign → enroll → sync → the device holds exactly the assigned cases; unassign and close →
the tombstones remove them from the device. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fieldapp.demodata import generate_cases, write_csv

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "collector-pass-1"
PIN = "laptop-pin-9"


def laptop(home: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """``fieldapp ARGS`` as run on the collector's laptop (its own FIELDAPP_HOME)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env.update(FIELDAPP_HOME=str(home), FIELDAPP_PASSPHRASE=PIN)
    if password:
        env["FIELDAPP_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, stdin=subprocess.DEVNULL, timeout=180)


def admin_ok(server: Any, *args: str, password: str | None = None) -> str:
    result = server.admin(*args, password=password)
    assert result.returncode == 0, f"admin {args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def device_refs(home: Path) -> set[str]:
    """The account refs inside the laptop's encrypted store, read the way the app reads them."""
    from sqlalchemy import select

    from fieldapp.store.db import DeviceStore
    from fieldapp.store.models import Case

    store = DeviceStore.open(PIN, home / "data")
    try:
        with store.session() as session:
            return set(session.scalars(select(Case.account_ref)))
    finally:
        store.close()


def test_import_assign_enroll_sync_then_tombstones(live_server: Any, tmp_path: Path, now: Any) -> None:
    admin_ok(live_server, "add-user", "wangfang", "--role", "collector", "--team", "一组", password=PASSWORD)
    admin_ok(live_server, "add-user", "liqiang", "--role", "collector", "--team", "一组", password=PASSWORD)
    rows = generate_cases(40, seed=11, prefix="E2E", today=now.date())
    for row in rows[:10]:
        row["assignee"] = "wangfang"  # assigned in the export itself
    for row in rows[10:15]:
        row["assignee"] = "liqiang"  # someone else's: must never reach wangfang's laptop
    export = write_csv(rows, tmp_path / "export.csv", encoding="gb18030")
    out = admin_ok(live_server, "import-cases", str(export))
    assert out.strip().splitlines()[-1] == "imported 40, updated 0, unchanged 0, rejected 0"
    extra = [r["account_ref"] for r in rows[20:28]]
    admin_ok(live_server, "assign", "--user", "wangfang", *extra)
    expected = {r["account_ref"] for r in rows[:10]} | set(extra)

    home = tmp_path / "laptop"
    code = admin_ok(live_server, "enroll-code", "wangfang").strip().splitlines()[-1]
    enrolled = laptop(home, "enroll", "--server", live_server.url, "--code", code, "--user", "wangfang",
                      password=PASSWORD)
    assert enrolled.returncode == 0, enrolled.stderr
    synced = laptop(home, "sync")
    assert synced.returncode == 0, synced.stderr
    status = json.loads(laptop(home, "status", "--json").stdout)
    assert status["cases"] == len(expected) == 18
    assert status["outbox_pending"] == 0 and status["server"] == live_server.url and status["last_sync"]
    assert device_refs(home) == expected

    # The lead takes one case away and one is paid off and closed: both leave the laptop.
    taken, closed = rows[0]["account_ref"], extra[0]
    admin_ok(live_server, "assign", "--user", "liqiang", taken)
    admin_ok(live_server, "close", closed)
    synced = laptop(home, "sync")
    assert synced.returncode == 0, synced.stderr
    assert device_refs(home) == expected - {taken, closed}

    # An idle sync changes nothing; the server's counts agree with the laptop.
    assert laptop(home, "sync").returncode == 0
    assert device_refs(home) == expected - {taken, closed}
    stats = json.loads(admin_ok(live_server, "stats", "--json"))
    assert stats["cases"] == 40 and stats["devices"] == 1 and stats["users"] == 2
