"""``fieldapp demo`` explains itself where there is no screen, and keeps one folder across runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def test_without_a_display_it_says_what_to_run_instead(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["FIELDAPP_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "fieldapp", "demo"], capture_output=True, text=True, cwd=REPO,
                            env=env, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no display" in result.stderr and "fieldapp demo --no-gui" in result.stderr
    assert not (tmp_path / "demo").exists()  # nothing set up for a window that cannot open


def test_the_demo_lives_in_fieldapp_home_and_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.demo import default_home

    monkeypatch.setenv("FIELDAPP_HOME", str(tmp_path))
    assert default_home() == tmp_path / "demo" == default_home()
    monkeypatch.delenv("FIELDAPP_HOME")
    assert default_home().name == "demo" and default_home() == default_home()
