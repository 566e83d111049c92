"""GUI benchmarks against PRODUCT.md §9 with 50,000 cases in a real encrypted store (``make bench``).

* start-up to an interactive case list ≤ 1.5 s — measured in a fresh process, phase by phase;
* search/filter the case list ≤ 50 ms per keystroke — median and p95 over typed sequences.

The store holds 50,000 cases; one in 25 has a plan, a promise or a visit with a follow-up date.

The numbers are printed (and written to out/bench/gui.json); budgets are reported, not asserted.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

CASES = 50_000
SECRET = "bench-pin-2468"
HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "out" / "bench"
RESULTS: dict[str, Any] = {}


@pytest.fixture(scope="module")
def big_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real encrypted store (production argon2id cost) holding 50,000 generated cases."""
    from fieldapp.app.sample_data import fill_follow_ups, fill_store
    from fieldapp.core.clock import device_now
    from fieldapp.store.db import DeviceStore

    data_dir = tmp_path_factory.mktemp("bench-store")
    started = time.perf_counter()
    store = DeviceStore.create(SECRET, data_dir)
    now = device_now()  # the bench's one reading: its data are built around it
    fill_store(store, CASES, now=now, appointments=12, contacts=20)
    # plans, promises and visits with follow-up dates on one case in 25: what the list reads in its one pass
    fill_follow_ups(store, list(range(1, CASES + 1, 25)), now=now)
    store.close()
    print(f"\n[bench] filled {CASES} cases in {time.perf_counter() - started:.1f} s")
    return data_dir


def _report(name: str, values: dict[str, Any]) -> None:
    RESULTS[name] = values
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gui.json").write_text(json.dumps(RESULTS, indent=2), encoding="utf-8")


def test_bench_startup_to_interactive_case_list(big_store_dir: Path) -> None:
    runs = []
    for _ in range(3):
        result = subprocess.run([sys.executable, str(HERE / "bench_gui_startup.py"), str(big_store_dir), SECRET],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["start_to_interactive_list"])
    print(f"\n[bench] machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    assert best["rows"] == CASES
    print(f"\n[bench] start-up with {CASES} cases (best of 3, seconds):")
    for key, value in best.items():
        if key not in ("rows", "first_screen_rows"):
            print(f"    {key:40} {value:7.3f}")
    verdict = "within" if best["start_to_interactive_list"] <= 1.5 else "OVER"
    print(f"    budget 1.5 s (app start to interactive list): {verdict}")
    _report("startup", {"best": best, "runs": runs})


def test_bench_filter_latency_per_keystroke(qapp: Any, big_store_dir: Path) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from fieldapp.store.db import DeviceStore
    from fieldapp.ui import style
    from fieldapp.ui.compat import guard_singleton_refcounts
    from fieldapp.ui.main_window import MainWindow
    from fieldapp.ui.sync_adapter import SyncAdapter

    guard_singleton_refcounts()
    style.apply(qapp)
    store = DeviceStore.open(SECRET, big_store_dir)
    window = MainWindow(store, SyncAdapter(store, use_network_information=False))
    window.show()
    page = window.cases_page
    model = page.model

    def wait_loaded(action: Any) -> float:
        done: list[float] = []
        model.loaded.connect(lambda _n: done.append(time.perf_counter()))
        started = time.perf_counter()
        action()
        while not done:
            loop = QEventLoop()
            QTimer.singleShot(0, loop.quit)
            loop.exec()
        model.loaded.disconnect()
        page.view.viewport().repaint()  # the visible rows are fetched and drawn
        return time.perf_counter() - started

    window.start(autosync=False)
    while not model.settled():
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()

    def type_text(text: str) -> float:
        def keystroke() -> None:
            page.search.setText(text)
            page.apply_filter()  # what the 150 ms debounce would do: measured without the pause
        return wait_loaded(keystroke)

    sample = model.case_row(7)
    sequences = [
        sample.debtor_name[:1], sample.debtor_name[:2], sample.debtor_name,
        "1", "13", "138", "1380", "13800",
        "浦", "浦东", "浦东新", "浦东新区",
        "D", "DE", "DEM", "DEMO", "DEMO0", "DEMO01", "DEMO012", "DEMO0123",
        "张", "张伟", "张", "",
        sample.address[:2], sample.address[:4], sample.address[:6], sample.address[:8], "",
    ]
    for text in sequences[:3]:  # warm the page cache as a collector's first searches would
        type_text(text)
    keystrokes = [type_text(text) for text in sequences]
    clicks = []
    for action in (lambda: page.dpd.setCurrentIndex(2), lambda: page.city.setCurrentIndex(1),
                   lambda: page.today.setChecked(True), lambda: page.state.setCurrentIndex(1),
                   page.clear_filters, lambda: page.state.setCurrentIndex(page.state.findData("broken")),
                   lambda: page.state.setCurrentIndex(page.state.findData("follow_up_due")), page.clear_filters):
        clicks.append(wait_loaded(action))

    ms = sorted(x * 1000 for x in keystrokes)
    median = statistics.median(ms)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    load = os.getloadavg()[0]
    print(f"\n[bench] machine load average {load:.1f} on {os.cpu_count()} cores (numbers scale with it)")
    print(f"[bench] filter latency over {len(ms)} keystrokes with {CASES} cases: "
          f"median {median:.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms (budget 50 ms: "
          f"{'within' if p95 <= 50 else 'median within' if median <= 50 else 'OVER'})")
    print("[bench] filter clicks (DPD band, city, today, status, clear, broken plans, needs follow-up, clear): "
          + ", ".join(f"{c * 1000:.1f} ms" for c in clicks))
    _report("filter", {"keystrokes_ms": [x * 1000 for x in keystrokes], "median_ms": median, "p95_ms": p95,
                       "load_average": load,
                       "clicks_ms": [c * 1000 for c in clicks]})
    window.shutdown()
    window.close()
    store.close()
