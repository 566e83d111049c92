"""The real window on a real X server (Xvfb at 1366×768): Qt's xcb platform loads with the libraries
packaging/system-deps.sh installs, and the first screen a new user meets fits the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.gui]
REPO = Path(__file__).resolve().parents[2]

DRIVER = """
import sys
from PySide6.QtCore import QTimer
from fieldapp.ui.app import make_application, run_gui

app = make_application(["fieldapp"])

def look():
    window = next(w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow())
    frame, screen = window.frameGeometry(), window.screen().availableGeometry()
    window.grab().save(sys.argv[1])
    print(app.platformName(), screen.width(), screen.height(), screen.contains(frame), window.windowTitle())
    app.quit()

QTimer.singleShot(1500, look)
sys.exit(run_gui(["fieldapp"], server_url_preset="https://fieldapp.example.cn"))
"""


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    assert shutil.which("Xvfb"), "Xvfb is missing: packaging/system-deps.sh installs it (make test runs it)"
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_new_laptop_opens_the_real_window_inside_the_screen(display: str, tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("FIELDAPP_", "QT_"))},
           "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "FIELDAPP_HOME": str(tmp_path / "home")}
    shot = Path(os.environ.get("FIELDAPP_SCREENSHOTS") or tmp_path) / "xcb-first-screen.png"
    result = subprocess.run([sys.executable, "-c", DRIVER, str(shot)], capture_output=True, text=True, env=env,
                            cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    platform, width, height, inside, *title = result.stdout.split()
    assert (platform, width, height) == ("xcb", "1366", "768"), result.stdout
    assert inside == "True", f"the first window is not inside the 1366×768 screen: {result.stdout}"
    assert "FieldApp" in " ".join(title) and shot.stat().st_size > 5_000
