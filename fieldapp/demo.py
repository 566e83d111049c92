"""``fieldapp demo``: a central server in-process on loopback with generated cases, and the app enrolled.

The one place that starts both sides (STYLE.md). A newcomer runs ``make demo`` and sees a working
app: a few hundred fictional Chinese cases across several cities and DPD bands, a collector and a
lead account, a device already enrolled as the collector, some appointments today.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fieldapp.core.clock import device_now
from fieldapp.paths import HOME_ENV

DEMO_COLLECTOR = {"username": "zhangwei", "display_name": "张伟", "password": "demo-collector-2026"}
DEMO_LEAD = {"username": "lina", "display_name": "李娜", "password": "demo-lead-2026"}
DEMO_PIN = "246810"
DEMO_TEAM = "浦东一组"
#: The demo team works in Beijing time: Today shows its day on a laptop set to any zone.
DEMO_ZONE = "Asia/Shanghai"
#: Who the demo's set-up is, in the server's audit log.
DEMO_ACTOR = "demo-setup"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_server(db_url: str, port: int) -> Iterator[str]:
    """Run the central server in a background thread of this process; yields its URL."""
    import uvicorn

    from fieldapp.server.api import create_app

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


@contextlib.contextmanager
def _server_session(db_url: str) -> Iterator[Any]:
    """One transaction on the demo server's database (created and upgraded when new)."""
    from fieldapp.server import db

    engine = db.make_engine(db_url)
    try:
        db.upgrade_to_head(engine)
        with db.session_scope(db.make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def demo_issuer(creditor: str) -> Any:  # -> IssuerProfile
    """A plainly fictional issuer profile for a demo creditor (marked demo: ``notice render`` refuses it)."""
    from fieldapp.core.issuers import IssuerProfile

    return IssuerProfile(creditor=creditor, demo=True, config={
        "creditor_name": {"zh-CN": creditor, "en": f"{creditor} (demo)"},
        "creditor_address": {"zh-CN": "上海市浦东新区示例路100号（演示地址）", "en": "100 Example Road, Pudong, Shanghai (demo)"},
        "creditor_phone": "400-000-0000",
        "agency_name": {"zh-CN": "示例信息咨询服务有限公司（演示）", "en": "Example Information Services Co., Ltd. (demo)"},
        "agency_phone": "021-0000-0000",
        "dispute_phone": "400-000-0001",
        "dispute_address": {"zh-CN": "上海市浦东新区示例路100号客户权益部（演示地址）",
                            "en": "Customer Rights Dept., 100 Example Road, Shanghai (demo)"},
        "repay_channel": {"zh-CN": "出借人官方App“我的借款—还款”（演示）", "en": "the lender's official app, My loans → Repay (demo)"},
        "check_channel": {"zh-CN": "出借人官方App或官方网站（演示）", "en": "the lender's official app or website (demo)"},
    })


def prepare_server(db_url: str, cases: int, now: dt.datetime) -> None:
    """Create the demo server database through the server's own services: users, a team working in
    Shanghai's time, generated cases assigned to the collector, overdue as of ``now`` in Shanghai."""
    from fieldapp.demodata import CREDITORS, generate_cases, to_csv
    from fieldapp.server.security import hash_password
    from fieldapp.server.services import escrow, issuers, users
    from fieldapp.server.services.importer import import_cases

    escrow.escrow_key(create=True)  # as init-db: every laptop's key is escrowed under it
    rows = generate_cases(cases, assignee=DEMO_COLLECTOR["username"], today=now.astimezone(ZoneInfo(DEMO_ZONE)).date())
    for row in rows[-max(1, cases // 20):]:
        row["assignee"] = ""  # a handful stay unassigned, as in a real pool
    text = to_csv(rows)
    with _server_session(db_url) as session:
        for person, role in ((DEMO_COLLECTOR, "collector"), (DEMO_LEAD, "lead")):
            users.add_user(session, person["username"], role=role, password_hash=hash_password(person["password"]),
                           team=DEMO_TEAM, display_name=person["display_name"], actor=DEMO_ACTOR)
        users.set_team_zone(session, DEMO_TEAM, DEMO_ZONE, actor=DEMO_ACTOR)
        for creditor, _product in CREDITORS:
            issuers.set_issuer(session, demo_issuer(creditor), actor=DEMO_ACTOR)
        result = import_cases(session, text, actor=DEMO_ACTOR)
    if result.rejections:
        raise RuntimeError(f"demo cases were refused: {result.rejections[:3]}")


def enroll_device(server_url: str, db_url: str):  # -> DeviceStore
    from fieldapp.server.services import users
    from fieldapp.sync.client import enroll

    with _server_session(db_url) as session:
        code, _expires = users.issue_enrollment_code(session, DEMO_COLLECTOR["username"], ttl_hours=1,
                                                     actor=DEMO_ACTOR)
    return enroll(server_url, code, DEMO_COLLECTOR["username"], DEMO_COLLECTOR["password"], DEMO_PIN,
                  device_name="demo laptop")


def seed_appointments(store, now: dt.datetime, count: int = 8) -> None:
    """Log a few confirmation calls with appointments on the collector's today (the day of ``now`` in
    the team's zone), as a collector would in the morning: one city, a district after another, as a
    day's route is planned (a collector does not visit five cities in a day)."""
    from sqlalchemy import func, select

    from fieldapp.store import repo
    from fieldapp.store.models import Case

    now = now.astimezone(ZoneInfo(DEMO_ZONE))
    with store.session() as session:
        city = session.scalar(select(Case.city).group_by(Case.city).order_by(func.count().desc(), Case.city).limit(1))
        worst = select(Case).where(Case.city == city).order_by(Case.dpd.desc(), Case.id).limit(count).subquery()
        cases = session.scalars(select(Case).join(worst, worst.c.id == Case.id)
                                .order_by(Case.district, Case.id)).all()
        for index, case in enumerate(cases):
            slot = now.replace(hour=9, minute=30, second=0, microsecond=0) + dt.timedelta(minutes=75 * index)
            repo.log_contact_attempt(
                session, case_id=case.id, channel="call", attempted_at=now - dt.timedelta(hours=1, minutes=index),
                outcome="appointment", appointment_at=slot, note="电话确认上门时间", username=DEMO_COLLECTOR["username"],
            )
        session.commit()


def no_display() -> bool:
    """On Linux, is there no screen for a window (no X11 or Wayland display, no virtual Qt platform)?"""
    return (sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal", "vnc"))


def default_home() -> Path:
    """One demo folder, reused by every run: ``demo`` in FIELDAPP_HOME when that is set, else in the
    user's data folder (never the real app's own files)."""
    import platformdirs

    base = os.environ.get(HOME_ENV)
    return (Path(base) if base else Path(platformdirs.user_data_dir("FieldApp", appauthor=False))) / "demo"


def run_demo(args: argparse.Namespace) -> int:
    if not args.no_gui and no_display():
        print("fieldapp demo: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the app "
              "cannot open a window.\n  fieldapp demo --no-gui   sets up the demo server and data, syncs once and "
              "prints the status, without a window;\n  or run `make demo` on a desktop.", file=sys.stderr)
        return 2
    home = args.home or default_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ[HOME_ENV] = str(home)
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

        return run_gui(["fieldapp"], server_url_preset=server_url, demo_credentials={"pin": DEMO_PIN})
