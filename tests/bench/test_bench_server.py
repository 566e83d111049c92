"""The server against PRODUCT.md §9: 2 workers on PostgreSQL, ≥ 200 sync requests/s with p99 ≤ 1 s.

A "sync request" here is what an idle laptop sends most: a pull at its current cursor. Load comes
from four client processes on loopback (bounded: 10 s each), every one with its own enrolled devices.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import report  # noqa: E402

DURATION = 10.0
CLIENTS = 4


def _hammer(api_url: str, devices: list[tuple[str, str]], queue: Any) -> None:
    import requests

    from fieldapp import protocol

    sessions = []
    for token, cursor in devices:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {token}", protocol.HEADER_CLIENT: protocol.client_header_value()})
        sessions.append((session, cursor))
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + DURATION
    i = 0
    while time.monotonic() < deadline:
        session, cursor = sessions[i % len(sessions)]
        i += 1
        started = time.perf_counter()
        answer = session.get(api_url + "/pull", params={"cursor": cursor}, timeout=10)
        latencies.append(time.perf_counter() - started)
        errors += answer.status_code != 200
    queue.put((latencies, errors))


def test_bench_server_two_workers_on_postgresql(server_factory: Any) -> None:
    base = os.environ.get("FIELDAPP_TEST_PG_URL")
    if not base:
        pytest.skip("needs FIELDAPP_TEST_PG_URL")
    from conftest import _fresh_pg_database
    from server_fixtures import enroll_device, sample_case, write_cases_csv

    for url in _fresh_pg_database(base):
        server = server_factory(url, "--workers", "2")
        devices: list[tuple[str, str]] = []
        for n in range(8):
            device = enroll_device(server)
            rows = [sample_case(f"SRV{n:02d}{k:04d}", assignee=device.username) for k in range(50)]
            path = write_cases_csv(Path(server.home) / f"cases-{n}.csv", rows)
            assert server.admin("import-cases", str(path), in_process=True).returncode == 0
            cursor = ""
            while True:  # first sync: to the head of the feed
                page = device.session.get(server.api_url + "/pull", params={"cursor": cursor}, timeout=30).json()
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break
            devices.append((device.token, cursor))
        queue: Any = multiprocessing.get_context("spawn").Queue()
        processes = [multiprocessing.get_context("spawn").Process(
            target=_hammer, args=(server.api_url, devices[k::CLIENTS], queue)) for k in range(CLIENTS)]
        for process in processes:
            process.start()
        results = [queue.get(timeout=DURATION + 60) for _ in processes]
        for process in processes:
            process.join(30)
        latencies = sorted(x for lat, _ in results for x in lat)
        errors = sum(e for _, e in results)
        rate = len(latencies) / DURATION
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        print(f"BENCH server, 2 workers on PostgreSQL: {rate:.0f} sync requests/s, median "
              f"{statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, errors {errors} "
              f"(budget ≥ 200/s, p99 ≤ 1000 ms) — {'within budget' if rate >= 200 and p99 <= 1 else 'OVER BUDGET'}")
        report("server idle pull latency, 2 workers PG", latencies, 1.0)
        assert errors == 0
        server.stop()
