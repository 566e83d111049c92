"""``fieldapp demo``: a central server in-process on loopback with generated cases, and the app enrolled.

The one place that starts both sides (STYLE.md). A newcomer runs ``make demo`` and sees a working
app: a few hundred fictional Chinese cases across several cities and DPD bands, a collector and a
lead account, a device already enrolled as the collector, some appointments today.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from fieldapp.core.clock import device_now

DEMO_COLLECTOR = {"username": "zhangwei", "display_name": "张伟", "password": "demo-collector-2026"}
DEMO_LEAD = {"username": "lina", "display_name": "李娜", "password": "demo-lead-2026"}
DEMO_PIN = "246810"
DEMO_TEAM = "浦东一组"
#: The demo team works in Beijing time: Today shows its day on a laptop set to any zone.
DEMO_ZONE = "Asia/Shanghai"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="start the app with an embedded demo server and demo data")
    parser.add_argument("--home", type=Path, help="keep the demo's files here (default: a new temporary folder)")
    parser.add_argument("--cases", type=int, default=300, help="how many demo cases to generate (default 300)")
    parser.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--no-gui", action="store_true",
                        help="set everything up, sync once, print the status and stop (for scripts and CI)")
    parser.set_defaults(handler=run_demo)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_server(db_url: str, port: int) -> Iterator[str]:
    """Run the central server in a background thread of this process; yields its URL."""
    import uvicorn

    from fieldapp.server.app import create_app

    config = uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="demo-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the demo server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _admin(db_url: str, *args: str, password: str | None = None) -> str:
    """Run a ``fieldapp admin`` command in-process and return what it printed."""
    from fieldapp.cli import CommandError, main

    previous = os.environ.get("FIELDAPP_PASSWORD")
    if password is not None:
        os.environ["FIELDAPP_PASSWORD"] = password
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            status = main(["admin", args[0], "--db", db_url, *args[1:]])
    finally:
        if password is not None:
            if previous is None:
                os.environ.pop("FIELDAPP_PASSWORD", None)
            else:
                os.environ["FIELDAPP_PASSWORD"] = previous
    if status != 0:
        raise CommandError(f"demo set-up failed at 'admin {args[0]}':\n{out.getvalue()}")
    return out.getvalue()


def prepare_server(db_url: str, cases: int, now: dt.datetime) -> None:
    """Create the demo server database: users, a team working in Shanghai's time, generated cases
    assigned to the collector, overdue as of ``now`` in Shanghai."""
    from fieldapp.demodata import generate_cases, write_csv

    _admin(db_url, "init-db")
    _admin(db_url, "add-user", DEMO_COLLECTOR["username"], "--role", "collector", "--team", DEMO_TEAM,
           "--display-name", DEMO_COLLECTOR["display_name"], password=DEMO_COLLECTOR["password"])
    _admin(db_url, "add-user", DEMO_LEAD["username"], "--role", "lead", "--team", DEMO_TEAM,
           "--display-name", DEMO_LEAD["display_name"], password=DEMO_LEAD["password"])
    _admin(db_url, "set-team-zone", DEMO_TEAM, DEMO_ZONE)
    rows = generate_cases(cases, assignee=DEMO_COLLECTOR["username"], today=now.astimezone(ZoneInfo(DEMO_ZONE)).date())
    # a handful stay unassigned, as in a real pool
    for row in rows[-max(1, cases // 20):]:
        row["assignee"] = ""
    with tempfile.TemporaryDirectory() as tmp:
        _admin(db_url, "import-cases", str(write_csv(rows, Path(tmp) / "demo-cases.csv")))


def enroll_device(server_url: str, db_url: str):  # -> DeviceStore
    from fieldapp.sync.client import enroll

    code = _admin(db_url, "enroll-code", DEMO_COLLECTOR["username"]).strip().splitlines()[-1].strip()
    return enroll(server_url, code, DEMO_COLLECTOR["username"], DEMO_COLLECTOR["password"], DEMO_PIN,
                  device_name="demo laptop")


def seed_appointments(store, now: dt.datetime, count: int = 8) -> None:
    """Log a few confirmation calls with appointments on the collector's today (the day of ``now`` in
    the team's zone), as a collector would in the morning."""
    from sqlalchemy import select

    from fieldapp.store import repo
    from fieldapp.store.models import Case

    now = now.astimezone(ZoneInfo(DEMO_ZONE))
    with store.session() as session:
        cases = session.scalars(select(Case).order_by(Case.dpd.desc()).limit(count)).all()
        for index, case in enumerate(cases):
            slot = now.replace(hour=9, minute=30, second=0, microsecond=0) + dt.timedelta(minutes=75 * index)
            repo.log_contact_attempt(
                session, case_id=case.id, channel="call", attempted_at=now - dt.timedelta(hours=1, minutes=index),
                outcome="appointment", appointment_at=slot, note="电话确认上门时间", username=DEMO_COLLECTOR["username"],
            )
        session.commit()


def run_demo(args: argparse.Namespace) -> int:
    home = args.home or Path(tempfile.mkdtemp(prefix="fieldapp-demo-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FIELDAPP_HOME"] = str(home)
    db_url = f"sqlite:///{home / 'demo-server.db'}"
    fresh = not (home / "demo-server.db").exists()
    port = args.port or _free_port()
    now = device_now()  # the demo's one reading of the clock: its data are built around it
    if fresh:
        prepare_server(db_url, args.cases, now)
    with embedded_server(db_url, port) as server_url:
        from fieldapp.store.db import DeviceStore
        from fieldapp.sync.client import SyncClient

        store = DeviceStore.open(DEMO_PIN) if DeviceStore.exists() else enroll_device(server_url, db_url)
        if store.get_meta("server_url") != server_url:  # a kept demo home on a new port
            with store.session() as session:
                store.set_meta(session, "server_url", server_url)
                session.commit()
        first = SyncClient(store).sync()
        if fresh:
            seed_appointments(store, now)
            second = SyncClient(store).sync()
            print(f"demo: {first.cases_received} cases synced to the device, "
                  f"{second.accepted} appointment calls sent to the server")
        print(f"FieldApp demo server: {server_url}   (files in {home})")
        print(f"collector {DEMO_COLLECTOR['username']} / {DEMO_COLLECTOR['password']}   "
              f"lead {DEMO_LEAD['username']} / {DEMO_LEAD['password']}   unlock PIN {DEMO_PIN}")
        if args.no_gui:
            from fieldapp.store import repo

            with store.session() as session:
                print("device:", repo.counts(session))
            store.close()
            return 0
        store.close()
        from fieldapp.ui.app import run_gui

        return run_gui(["fieldapp"], server_url_preset=server_url, demo_credentials={
            "username": DEMO_COLLECTOR["username"], "password": DEMO_COLLECTOR["password"], "pin": DEMO_PIN,
            "lead": f"{DEMO_LEAD['username']} / {DEMO_LEAD['password']}", "server": server_url,
        })
