"""``fieldapp demo --no-gui``: the newcomer's first command sets up a server, data and an enrolled laptop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]
REPO = Path(__file__).resolve().parents[2]


def test_demo_sets_everything_up_and_runs_again(tmp_path: Path) -> None:
    # a laptop whose clock is set to UTC: the demo team works in Beijing time all the same
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}, "TZ": "UTC"}
    command = [sys.executable, "-m", "fieldapp", "demo", "--no-gui", "--home", str(tmp_path / "demo"),
               "--cases", "120"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    synced = next(line for line in lines if line.startswith("demo:"))
    # 120 generated, 6 kept unassigned in the pool: the laptop gets the other 114
    assert synced.startswith("demo: 114 cases synced to the device, 8 appointment calls sent")
    assert "zhangwei / demo-collector-2026" in first.stdout and "unlock PIN 246810" in first.stdout
    assert "'cases': 114, 'outbox_pending': 0, 'rejected': 0" in lines[-1]
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "'cases': 114, 'outbox_pending': 0" in again.stdout.splitlines()[-1]
    _today_shows_the_eight_appointments(tmp_path / "demo", env)


def _today_shows_the_eight_appointments(home: Path, env: dict[str, str]) -> None:
    """What the Today page reads, in a process of its own set to UTC: eight visits today, in one city."""
    script = (
        "from fieldapp.demo import DEMO_PIN\n"
        "from fieldapp.store import repo\n"
        "from fieldapp.store.db import DeviceStore\n"
        "from fieldapp.app.cases import todays_appointments\n"
        "store = DeviceStore.open(DEMO_PIN)\n"
        "with store.session() as s:\n"
        "    day = repo.collector_day(s)\n"
        "    rows = todays_appointments(s, day)\n"
        "    print(day.zone_name, len(rows), all(a.at.astimezone(day.zone).date() == day.today() for a in rows),\n"
        "          len({a.city for a in rows}))\n"
        "    profiles = repo.issuer_profiles(s)\n"
        "from fieldapp.app.notices import prepare_notice\n"
        "prepared = prepare_notice(store, rows[0].case_id, language='zh-CN', now=day.now())\n"
        "print(len(profiles), all(p.demo for p in profiles.values()), '（演示）' in str(prepared.notice.issuer.agency_name))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120,
                            env={**env, "FIELDAPP_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    # the demo's server published its (fictional, marked) issuer profiles and the laptop prints from them
    # one city's route, not five cities in a day
    assert result.stdout.split() == ["Asia/Shanghai", "8", "True", "1", "4", "True", "True"]
