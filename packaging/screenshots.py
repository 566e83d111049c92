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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--languages", default="zh_CN,en")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Appointments are shown in the debtor's time; on a laptop in China that is also ours.
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    home = tempfile.mkdtemp(prefix="fieldapp-shots-")
    os.environ["FIELDAPP_HOME"] = home

    from fieldapp.demo import DEMO_COLLECTOR, DEMO_PIN, DEMO_TEAM
    from fieldapp.store.db import DeviceStore
    from fieldapp.ui.app import make_application
    from fieldapp.ui.sample_data import fill_store
    from fieldapp.ui.screenshots import render

    store = DeviceStore.create(DEMO_PIN)
    fill_store(store, args.cases, contacts=6)
    with store.session() as session:
        for key, value in (("username", DEMO_COLLECTOR["username"]), ("display_name", DEMO_COLLECTOR["display_name"]),
                           ("team", DEMO_TEAM), ("last_sync", _now_iso()), ("clock_skew_seconds", "0.4")):
            store.set_meta(session, key, value)
        session.commit()
    make_application(sys.argv[:1])
    credentials = {"username": DEMO_COLLECTOR["username"], "password": DEMO_COLLECTOR["password"], "pin": DEMO_PIN}
    for language in args.languages.split(","):
        for path in render(store, args.out, language, demo_credentials=credentials):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    store.close()
    return 0


def _now_iso() -> str:
    import datetime as dt

    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)).isoformat()


if __name__ == "__main__":
    sys.exit(main())
