"""``kill -9`` of a client in the middle of a sync, again and again; then a clean sync.

Nothing is lost (every record reaches the server, every assigned case reaches the laptop) and
nothing is duplicated (each record once on the server, each case once on the device).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from client_fixtures import TEST_SECRET, case_row, write_cases_csv
from faultproxy import FaultProxy
from sqlalchemy import create_engine, func, select, text

from fieldapp.store import repo
from fieldapp.store.models import Case, OutboxEntry
from fieldapp.sync import client as sync_client

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc

DRIVER = """
import sys
from pathlib import Path
from fieldapp.store.db import DeviceStore
from fieldapp.sync.client import SyncClient
store = DeviceStore.open(sys.argv[2], Path(sys.argv[1]))
print("started", flush=True)
SyncClient(store, push_batch=10, page_size=25, backoff_base=0.01, backoff_max=0.05, max_attempts=50,
           max_total_wait=120).sync()
print("finished", flush=True)
"""


def point_at(store: Any, url: str) -> None:
    with store.session() as session:
        store.set_meta(session, sync_client.META_SERVER, url)
        session.commit()


def test_kill_9_mid_sync_loses_and_duplicates_nothing(enroll_store: Any, tmp_path: Path) -> None:
    device = enroll_store("kill", cases=30)
    store = device.store
    device.client().sync()
    made: set[str] = set()
    with store.session() as session:
        case_ids = list(session.scalars(select(Case.id)))
        for i in range(200):
            attempt = repo.log_contact_attempt(
                session, case_id=case_ids[i % len(case_ids)], channel="call", outcome="busy",
                attempted_at=dt.datetime(2026, 11, 28, 10, tzinfo=UTC) + dt.timedelta(seconds=i))
            made.add(attempt.id.replace("-", ""))
        session.commit()
    # 300 more cases for the laptop to pull while it is being killed
    more = write_cases_csv(tmp_path / "more.csv", [case_row(i, "kill") for i in range(1000, 1300)])
    device.admin("import-cases", str(more))

    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    rng = random.Random(99)
    finished = 0
    with FaultProxy(device.server_url, delay=1.0, delay_seconds=(0.02, 0.08), seed=5) as proxy:
        point_at(store, proxy.url)
        store.close()
        for _ in range(6):
            process = subprocess.Popen([sys.executable, str(driver), str(device.data_dir), TEST_SECRET],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                                       env={**os.environ, "PYTHONPATH": str(REPO)})
            assert process.stdout is not None
            assert process.stdout.readline().strip() == b"started"
            time.sleep(rng.uniform(0.2, 1.2))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            else:
                finished += 1
            process.wait(10)
    assert finished < 6, "no sync was ever killed mid-way; make the driver slower"

    store = device.reopen()
    point_at(store, device.server_url)
    device.client().sync()
    with store.session() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
        refs = list(session.scalars(select(Case.account_ref)))
    assert len(refs) == len(set(refs)) == 330

    engine = create_engine(device.server.db_url)
    try:
        with engine.connect() as conn:
            on_server = [str(r[0]).replace("-", "") for r in conn.execute(text("SELECT id FROM records"))]
    finally:
        engine.dispose()
    assert len(on_server) == len(set(on_server)) == 200
    assert set(on_server) == made
