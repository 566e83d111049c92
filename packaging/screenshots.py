"""Regenerate the README screenshots (docs/screenshots/*.png) from the real app and generated cases.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [--out docs/screenshots]

A throw-away FIELDAPP_HOME holds an encrypted store filled with fictional Chinese cases
(fieldapp.demodata); the app's own windows are rendered offscreen in Chinese and English.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--languages", default="zh_CN,en")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="fieldapp-shots-")
    os.environ["FIELDAPP_HOME"] = home

    from fieldapp.core.clock import device_now
    from fieldapp.demo import DEMO_COLLECTOR, DEMO_PIN, DEMO_TEAM, DEMO_ZONE
    from fieldapp.store import repo
    from fieldapp.store.db import DeviceStore
    from fieldapp.ui.app import make_application
    from fieldapp.app.sample_data import fill_store
    from fieldapp.ui.screenshots import render

    store = DeviceStore.create(DEMO_PIN)
    now = device_now()
    fill_store(store, args.cases, now=now, contacts=6)
    with store.session() as session:
        repo.set_work_zone(session, DEMO_ZONE)  # as the demo server publishes it: the laptop's zone does not matter
        for key, value in (("username", DEMO_COLLECTOR["username"]), ("display_name", DEMO_COLLECTOR["display_name"]),
                           ("team", DEMO_TEAM), ("last_sync", (now - dt.timedelta(minutes=3)).isoformat()), ("clock_skew_seconds", "0.4")):
            store.set_meta(session, key, value)
        session.commit()
    make_application(sys.argv[:1])
    credentials = {"username": DEMO_COLLECTOR["username"], "password": DEMO_COLLECTOR["password"], "pin": DEMO_PIN}
    for language in args.languages.split(","):
        for path in render(store, args.out, language, demo_credentials=credentials):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    store.close()
    return 0



if __name__ == "__main__":
    sys.exit(main())
