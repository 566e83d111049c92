"""pytest fixtures for the server side (see tests/conftest.py): admin commands and real server processes.

Fixtures:
  run_admin(db_url, *args, password=None) -> CompletedProcess   ``python -m fieldapp admin ARGS --db URL``
  live_server -> LiveServer            a real server on a fresh ``db_url`` (both backends), per test
  server_factory(db_url, *extra_args) -> LiveServer   start more servers (e.g. --min-client-version)
  module_db_url / module_server        one database and one server per test module, both backends
Helpers (import from server_fixtures): admin_command, admin_in_process, LiveServer, enroll_device, EnrolledDevice, free_port.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PG_ENV = "FIELDAPP_TEST_PG_URL"


def _env(password: str | None = None, home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FIELDAPP_DB", "FIELDAPP_PASSWORD")}
    if password is not None:
        env["FIELDAPP_PASSWORD"] = password
    if home is not None:
        env["FIELDAPP_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    # Every test's server is reached from 127.0.0.1 and enrols many laptops a minute; the limits
    # themselves are tested with their own settings (tests/unit/server/api/test_limits.py).
    env.setdefault("FIELDAPP_ENROLL_RATE", "100000/minute")
    return env


def admin_command(db_url: str, *args: str, password: str | None = None, timeout: float = 120,
                  home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m fieldapp admin ARGS --db DB_URL``; stdout/stderr captured as text, never raises on failure.

    ``home`` is the FIELDAPP_HOME to run in (a server's, so the command finds its escrow key)."""
    return subprocess.run(
        [sys.executable, "-m", "fieldapp", "admin", *args, "--db", db_url],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(password, home),
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )


def admin_in_process(db_url: str, *args: str, password: str | None = None,
                     home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Like admin_command but inside this process (ten times faster; same code path from cli.main)."""
    import contextlib
    import io

    from fieldapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {key: os.environ.get(key) for key in ("FIELDAPP_DB", "FIELDAPP_PASSWORD", "FIELDAPP_HOME")}
    os.environ.pop("FIELDAPP_DB", None)
    os.environ.pop("FIELDAPP_PASSWORD", None)
    if password is not None:
        os.environ["FIELDAPP_PASSWORD"] = password
    if home is not None:
        os.environ["FIELDAPP_HOME"] = str(home)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(["admin", *args, "--db", db_url])
            except SystemExit as exc:  # argparse errors
                status = exc.code if isinstance(exc.code, int) else 2
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return subprocess.CompletedProcess(["fieldapp", "admin", *args], status, out.getvalue(), err.getvalue())


@pytest.fixture
def run_admin() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_admin(db_url, "add-user", "alice", "--role", "collector", password="pw")``."""
    return admin_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real ``python -m fieldapp server`` process on 127.0.0.1; ``stop()``/``start()`` keep port and DB."""

    def __init__(self, db_url: str, *extra_args: str, port: int | None = None, home: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        #: settings for the server process only (FIELDAPP_MAX_BODY …), never this process's environment
        self.env = dict(env or {})
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.home = home or Path(tempfile.mkdtemp(prefix="fieldapp-server-home-"))
        self.log_path = self.home / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        from fieldapp import protocol

        return self.url + protocol.API

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 60) -> LiveServer:
        """Start the process and wait until /api/v1/hello answers (any HTTP status counts)."""
        import requests

        if self.running:
            return self
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fieldapp", "server", "--db", self.db_url, "--port", str(self.port), *self.extra_args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**_env(home=self.home), **self.env},
            cwd=REPO,
            # Its own process group, so worker processes can be reaped even after a SIGKILL.
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.output()}")
            try:
                requests.get(self.api_url + "/hello", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.output()}")

    def stop(self, timeout: float = 10) -> None:
        """Graceful stop (SIGTERM), then SIGKILL of the whole group; the port is free again afterwards."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self._kill_group()

    def kill(self) -> None:
        """SIGKILL of the server and its workers, like a power cut."""
        if self.process is not None:
            self._kill_group()

    def _kill_group(self) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover - the kernel did not deliver SIGKILL
            pass
        self.process = None

    def admin(self, *args: str, password: str | None = None, in_process: bool = False) -> subprocess.CompletedProcess[str]:
        """An admin command on this server's database and in its FIELDAPP_HOME, where its escrow key is
        (a subprocess unless ``in_process``)."""
        run = admin_in_process if in_process else admin_command
        return run(self.db_url, *args, password=password, home=self.home)


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """``server_factory(db_url, "--min-client-version", "9.0")`` → a started LiveServer, stopped at teardown."""
    servers: list[LiveServer] = []

    def start(db_url: str, *extra_args: str) -> LiveServer:
        home = tmp_path / f"server-home-{len(servers)}"
        home.mkdir()
        server = LiveServer(db_url, *extra_args, home=home)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(db_url: str, server_factory: Callable[..., LiveServer]) -> LiveServer:
    """A real server on a fresh database of each backend (its start-up creates the schema)."""
    return server_factory(db_url)


def _pg_database(base_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fieldapp_m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``db_url`` but shared by a whole test module (so one server process serves many tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('moddb') / 'server.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    yield from _pg_database(base)


@pytest.fixture(scope="module")
def module_server(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server per test module and backend; tests must not assume an empty database."""
    server = LiveServer(module_db_url, home=tmp_path_factory.mktemp("server-home"))
    server.start()
    yield server
    server.stop()


@dataclass
class EnrolledDevice:
    """A device enrolled over real HTTP; ``session`` sends its token and client header."""

    server: LiveServer
    username: str
    device_id: str
    token: str
    session: Any = field(repr=False)

    def get(self, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return self.session.get(self.server.api_url + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return self.session.post(self.server.api_url + path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return self.session.put(self.server.api_url + path, **kwargs)


def enroll_device(
    server: LiveServer, username: str | None = None, *, role: str = "collector", password: str = "secret-pw",
    team: str | None = None, create_user: bool = True,
) -> EnrolledDevice:
    """Add the user (unless told not to), issue a code and enroll a device through POST /enroll.

    The admin steps run in this process for speed; the enrollment itself is real HTTP."""
    import requests

    from fieldapp import protocol

    username = username or f"user{uuid.uuid4().hex[:8]}"
    if create_user:
        args = ["add-user", username, "--role", role] + (["--team", team] if team else [])
        result = server.admin(*args, password=password, in_process=True)
        assert result.returncode == 0, result.stderr
    result = server.admin("enroll-code", username, in_process=True)
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip().splitlines()[-1]
    session = requests.Session()
    session.headers[protocol.HEADER_CLIENT] = protocol.client_header_value()
    answer = session.post(
        server.api_url + "/enroll", json={"code": code, "username": username, "password": password, "device_name": "test"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    session.headers["Authorization"] = f"Bearer {body['device_token']}"
    return EnrolledDevice(server, username, body["device_id"], body["device_token"], session)


CSV_COLUMNS = (
    "account_ref", "debtor_name", "id_number", "phone", "address", "city", "district", "timezone", "currency",
    "principal", "fees", "total_due", "dpd", "overdue_since", "last_payment_date", "last_payment_amount",
    "risk_grade", "creditor", "product", "jurisdiction", "assignee",
)


def sample_case(ref: str, **overrides: str) -> dict[str, str]:
    """A plausible CSV row for ``import-cases``; override any column, add unknown ones freely."""
    row = {
        "account_ref": ref, "debtor_name": "张伟", "id_number": "110101199003074512", "phone": "13800138000",
        "address": "朝阳区建国路88号3单元502", "city": "北京", "district": "朝阳区", "timezone": "", "currency": "",
        "principal": "12000.00", "fees": "350.50", "total_due": "12350.50", "dpd": "45", "overdue_since": "2025-01-15",
        "last_payment_date": "2024-12-01", "last_payment_amount": "500.00", "risk_grade": "B",
        "creditor": "示例消费金融", "product": "信用贷", "jurisdiction": "CN", "assignee": "",
    }
    row.update(overrides)
    return row


def write_cases_csv(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    """Write ``rows`` as the lending system would (encoding ``utf-8``, ``utf-8-sig`` or ``gbk``)."""
    import csv
    import io

    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def plan_record(case_id: int, ref: str, total: str, *, count: int = 3, claimed: str = "active",
                 waiver: str = "0") -> tuple[dict[str, Any], Any]:
    """A push record of a plan sealed on a laptop for ``ref`` (``claimed``: the status the laptop says)."""
    import datetime as dt
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from fieldapp.core import plans as core_plans
    from fieldapp.core.clock import device_now

    today = device_now().astimezone(ZoneInfo("Asia/Shanghai")).date()
    plan = core_plans.draft_plan(ref, Decimal(total), currency="CNY", agreed_on=today, waiver=Decimal(waiver),
                                 first_due=today + dt.timedelta(days=30), count=count, collector="attacker")
    sealed = core_plans.seal_plan(plan, b"debtor png", b"collector png")
    sealed = sealed if claimed == sealed.plan.status else sealed.with_status(claimed)
    now = device_now().isoformat()
    record = {"id": str(uuid.uuid4()), "kind": "plan", "case_id": case_id, "created_at": now,
              "payload": sealed.to_wire()}
    return record, sealed


def notice_record(case_id: int | None, **changes: Any) -> dict[str, Any]:
    """A push record of a notice printed from the bundled CN template (``changes`` forge its fields)."""
    from fieldapp.core.clock import device_now
    from fieldapp.core.notices import bundled_notice_templates
    from fieldapp.core.verification import new_verification_token, verification_code

    template = bundled_notice_templates()["cn-overdue-notice"]
    token = new_verification_token()
    now = device_now()
    payload: dict[str, Any] = {
        "token": token, "code": verification_code(token), "template_id": template.id,
        "template_version": template.version, "template_hash": template.hash, "language": "zh-CN",
        "content_hash": "ab" * 32, "issued_on": now.date().isoformat(),
        "creditor_name": {"zh-CN": "随便写的公司", "en": "Anything Ltd"},
        "agency_name": {"zh-CN": "示例催收服务有限公司", "en": "Example Collections Ltd"},
        "printed_at": now.isoformat(),
    }
    payload.update(changes)
    return {"id": str(uuid.uuid4()), "kind": "notice", "case_id": case_id, "created_at": now.isoformat(),
            "payload": payload}
