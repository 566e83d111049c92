"""``fieldapp server``: the TLS rule, workers, restarts on the same port, and concurrent pushes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from server_fixtures import (
    REPO,
    LiveServer,
    enroll_device,
    free_port,
    sample_case,
    write_cases_csv,
)
from sqlalchemy import func, select

from fieldapp.core.clock import device_now
from fieldapp.server import db


def _server(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldapp", "server", *args], capture_output=True, text=True, timeout=60,
        cwd=REPO, env=env or dict(os.environ), stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "args",
    [["--host", "0.0.0.0"], ["--host", "192.0.2.10", "--port", "9"], ["--host", "::", "--tls-cert", "cert.pem"]],
)
def test_non_loopback_host_needs_tls_or_a_proxy(tmp_path: Path, args: list[str]) -> None:
    result = _server(*args, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode != 0
    assert "TLS" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()  # refused before touching anything


def test_sqlite_stays_single_process_and_restarts_on_the_same_port(tmp_path: Path, server_factory: Any) -> None:
    server: LiveServer = server_factory(f"sqlite:///{tmp_path / 'one.db'}", "--workers", "3")
    output = server.output()
    assert "SQLite runs single-process" in output
    assert f"FieldApp server listening on http://127.0.0.1:{server.port} (sqlite)" in output
    device = enroll_device(server)
    assert device.get("/pull").status_code == 200

    server.stop()
    with pytest.raises(requests.ConnectionError):
        device.get("/pull", timeout=2)
    server.start()
    assert device.get("/pull").status_code == 200  # same port, same database, same token


def test_fieldapp_db_environment_variable_names_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    env = {k: v for k, v in os.environ.items() if k != "FIELDAPP_PASSWORD"} | {"FIELDAPP_DB": url}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "fieldapp", "admin", *a], capture_output=True, text=True, env=env, cwd=REPO,
        stdin=subprocess.DEVNULL, timeout=60,
    )
    assert run("init-db").returncode == 0
    assert (tmp_path / "env.db").exists()
    no_password = run("add-user", "bob", "--role", "collector")
    assert no_password.returncode != 0 and "FIELDAPP_PASSWORD" in no_password.stderr
    env["FIELDAPP_PASSWORD"] = "pw"
    assert run("add-user", "bob", "--role", "collector", "--display-name", "Bob Li").returncode == 0
    assert "already exists" in run("add-user", "bob", "--role", "collector").stderr
    code = run("enroll-code", "bob", "--ttl-hours", "2").stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}", code), code
    assert "no user named carol" in run("enroll-code", "carol").stderr
    assert run("stats", "--json").stdout.strip().startswith('{"cases": 0')


def test_concurrent_pushes_of_the_same_records_store_each_once(db_url: str, server_factory: Any, tmp_path: Path) -> None:
    # Several worker processes on PostgreSQL; on SQLite one process whose thread pool runs pushes at once.
    postgres = db_url.startswith("postgresql")
    server: LiveServer = server_factory(db_url, *(["--workers", "2"] if postgres else []))
    if postgres:
        assert "2 workers" in server.output()
    first = enroll_device(server)  # two laptops of one collector (a case is pushed to only by its holder)
    devices = [first, enroll_device(server, first.username, create_user=False)]
    csv = write_cases_csv(tmp_path / "c.csv", [sample_case("CONC-1", assignee=devices[0].username)])
    assert server.admin("import-cases", str(csv), in_process=True).returncode == 0
    case_id = devices[0].get("/pull").json()["cases"][0]["id"]

    now = device_now().isoformat()
    records = [
        {"id": str(uuid.uuid4()), "kind": "visit", "case_id": case_id, "created_at": now,
         "payload": {"started_at": now, "utc_offset_minutes": 480, "outcome": "refused", "note": f"#{i}"}}
        for i in range(60)
    ]
    results: list[dict[str, str]] = []
    errors: list[str] = []
    start = threading.Barrier(8)

    def push(n: int) -> None:
        batch = records[::-1] if n % 2 else records  # opposite orders: the server must not deadlock
        device = devices[n % 2]
        session = requests.Session()
        session.headers.update(device.session.headers)
        start.wait()
        answer = session.post(server.api_url + "/push", json={"records": batch}, timeout=60)
        if answer.status_code != 200:
            errors.append(answer.text)
        else:
            results.extend(answer.json()["results"])

    threads = [threading.Thread(target=push, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    by_id: dict[str, list[str]] = {}
    for result in results:
        by_id.setdefault(result["id"], []).append(result["status"])
    assert set(by_id) == {r["id"] for r in records}
    for statuses in by_id.values():
        assert sorted(statuses) == ["accepted"] + ["duplicate"] * 7

    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            assert session.execute(select(func.count()).select_from(db.Record)).scalar_one() == 60
    finally:
        engine.dispose()



def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = device_now()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_certificate_and_key_serve_https(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "fieldapp", "server", "--db", f"sqlite:///{tmp_path / 'tls.db'}", "--port", str(port),
         "--tls-cert", str(cert), "--tls-key", str(key)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO, stdin=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == f"FieldApp server listening on https://127.0.0.1:{port} (sqlite)"
        answer = requests.get(f"https://127.0.0.1:{port}/api/v1/hello", verify=str(cert), timeout=10)
        assert answer.status_code == 200 and answer.json()["protocol"] == 1
    finally:
        process.terminate()
        process.wait(10)
