"""pytest fixtures for the client side (see tests/conftest.py): device stores and enrolled clients."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

#: The unlock secret every test store uses.
TEST_SECRET = "pin-2468"
#: The password of users the enrolled_client fixture creates on the server.
TEST_PASSWORD = "s3cret-pass"


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters for in-process stores (the real ones cost ~0.2 s per unlock)."""
    from fieldapp.store import db

    monkeypatch.setattr(db, "KDF_DEFAULTS", {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1})


@pytest.fixture
def device_dir(tmp_path: Path) -> Path:
    return tmp_path / "device"


@pytest.fixture
def device_store(device_dir: Path, fast_kdf: None) -> Iterator[Any]:
    """A fresh, empty, unlocked DeviceStore in tmp (not enrolled: no server in its meta)."""
    from fieldapp.store.db import DeviceStore

    store = DeviceStore.create(TEST_SECRET, device_dir)
    yield store
    store.close()


def case_record(case_id: int = 1, **overrides: Any) -> Any:
    """A valid protocol.CaseRecord for tests; any field can be overridden."""
    from fieldapp import protocol

    fields: dict[str, Any] = dict(
        id=case_id,
        revision=1,
        account_ref=f"ACC-{case_id:06d}",
        debtor_name=f"王小明{case_id}",
        id_number_masked="1***************8",
        phone="13800138000",
        address="朝阳区建国路 1 号",
        city="北京",
        district="朝阳区",
        timezone="Asia/Shanghai",
        currency="CNY",
        principal=1_000_000,
        fees=5_000,
        total_due=1_005_000,
        dpd=45,
        overdue_since=dt.date(2026, 9, 1),
        last_payment_date=None,
        last_payment_amount=None,
        risk_grade="B",
        creditor="示例消费金融",
        product="分期贷",
        jurisdiction="CN",
        status="open",
    )
    fields.update(overrides)
    return protocol.CaseRecord(**fields)


@pytest.fixture
def make_case_record() -> Callable[..., Any]:
    return case_record


# -------------------------------------------------------------------------------- enrolled devices
@dataclasses.dataclass
class EnrolledStore:
    """A DeviceStore enrolled with a live server, plus what a test needs to drive both sides."""

    store: Any  # fieldapp.store.db.DeviceStore
    server: Any  # server_fixtures.LiveServer
    username: str
    data_dir: Path

    @property
    def server_url(self) -> str:
        return str(self.server.url)

    def admin(self, *args: str, password: str | None = None) -> Any:
        """``fieldapp admin ARGS`` on the server's database; fails the test when it fails."""
        result = self.server.admin(*args, password=password)
        assert result.returncode == 0, f"admin {args} failed: {result.stderr}"
        return result

    def client(self, **kwargs: Any) -> Any:
        """A SyncClient with short retry delays (tests must not wait for real backoff)."""
        from fieldapp.sync.client import SyncClient

        kwargs.setdefault("backoff_base", 0.01)
        kwargs.setdefault("backoff_max", 0.05)
        kwargs.setdefault("max_total_wait", 2.0)
        kwargs.setdefault("timeout", (2, 15))
        return SyncClient(self.store, **kwargs)

    def reopen(self) -> Any:
        """Close and unlock the store again (as a restarted app would)."""
        from fieldapp.store.db import DeviceStore

        self.store.close()
        self.store = DeviceStore.open(TEST_SECRET, self.data_dir)
        return self.store


def write_cases_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """A lending-system CSV export (UTF-8) for ``admin import-cases``."""
    import csv

    columns = list(case_row(0))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def case_row(n: int, assignee: str = "", **overrides: str) -> dict[str, str]:
    """One CSV row; account refs are ``LN000001``…"""
    row = {
        "account_ref": f"LN{n:06d}",
        "debtor_name": f"李四{n}",
        "id_number": "110101199001011234",
        "phone": f"1390000{n:04d}",
        "address": f"海淀区中关村大街 {n} 号",
        "city": "北京",
        "district": "海淀区",
        "timezone": "Asia/Shanghai",
        "currency": "CNY",
        "principal": "1000.00",
        "fees": "50.00",
        "total_due": "1050.00",
        "dpd": "40",
        "overdue_since": "2026-09-15",
        "risk_grade": "B",
        "creditor": "示例消费金融",
        "product": "分期贷",
        "jurisdiction": "CN",
        "assignee": assignee,
        "flags": "",
    }
    row.update(overrides)
    return row


@pytest.fixture
def enroll_store(live_server: Any, tmp_path: Path, fast_kdf: None) -> Iterator[Callable[..., EnrolledStore]]:
    """A factory: ``enroll_store(username, cases=N, role=..., team=...)`` creates the user on ``live_server``, imports N
    cases assigned to them (refs LN000001…), issues an enrollment code and enrolls a DeviceStore in tmp."""
    from fieldapp.sync.client import enroll

    made: list[EnrolledStore] = []

    def make(username: str = "zhang", *, cases: int = 3, first: int = 1, role: str = "collector",
             team: str | None = None) -> EnrolledStore:
        n = len(made) + 1
        result = live_server.admin("add-user", username, "--role", role, *(["--team", team] if team else []),
                                   password=TEST_PASSWORD)
        assert result.returncode == 0, result.stderr
        if cases:
            csv_path = write_cases_csv(
                tmp_path / f"cases-{n}.csv", [case_row(i, username) for i in range(first, first + cases)]
            )
            result = live_server.admin("import-cases", str(csv_path))
            assert result.returncode == 0, result.stderr
            publish_issuer(live_server, tmp_path, "示例消费金融")  # case_row's creditor, as an admin would
        result = live_server.admin("enroll-code", username)
        assert result.returncode == 0, result.stderr
        code = result.stdout.strip().splitlines()[-1].strip()
        data_dir = tmp_path / f"device-{n}"
        store = enroll(live_server.url, code, username, TEST_PASSWORD, TEST_SECRET, data_dir=data_dir)
        device = EnrolledStore(store=store, server=live_server, username=username, data_dir=data_dir)
        made.append(device)
        return device

    yield make
    for device in made:
        device.store.close()


@pytest.fixture
def enrolled_client(enroll_store: Callable[..., EnrolledStore]) -> EnrolledStore:
    """One collector ("zhang") with three assigned cases (LN000001–3), enrolled into a DeviceStore in tmp."""
    return enroll_store("zhang", cases=3)


ISSUER_PROFILE_YAML = """\
creditor: {creditor}
creditor_name: {creditor}
creditor_address: 上海市浦东新区世纪大道100号
creditor_phone: 400-820-1234
agency_name: 明达信息咨询服务有限公司
agency_phone: 021-6888-1200
dispute_phone: 400-820-1235
dispute_address: 上海市浦东新区世纪大道100号客户服务部
repay_channel: 官方App
check_channel: 官方App
"""


def publish_issuer(server: Any, folder: Path, creditor: str) -> None:
    """``fieldapp admin set-issuer`` of a plausible profile for ``creditor`` on ``server``."""
    path = folder / f"issuer-{abs(hash(creditor))}.yaml"
    path.write_text(ISSUER_PROFILE_YAML.format(creditor=creditor), encoding="utf-8")
    result = server.admin("set-issuer", str(path), in_process=True)
    assert result.returncode == 0, result.stdout + result.stderr


def give_issuer(store: Any, creditor: str, *, verify_url: str = "https://verify.example.cn", **config: Any) -> Any:
    """Put an issuer profile for ``creditor`` in ``store`` as a pull would (the server publishes them);
    ``config`` overrides the IssuerConfig fields. Returns the profile."""
    from fieldapp.core.issuers import IssuerProfile
    from fieldapp.store import repo

    fields: dict[str, Any] = {
        "creditor_name": creditor, "creditor_address": "上海市浦东新区世纪大道100号", "creditor_phone": "400-820-1234",
        "agency_name": "明达信息咨询服务有限公司", "agency_phone": "021-6888-1200", "dispute_phone": "400-820-1235",
        "dispute_address": "上海市浦东新区世纪大道100号客户服务部", "repay_channel": "官方App", "check_channel": "官方App",
    }
    fields.update(config)
    profile = IssuerProfile(creditor=creditor, config={k: v for k, v in fields.items() if v is not None},
                            verify_url=verify_url)
    with store.session() as session:
        assert repo.save_issuer_profiles(session, [profile.to_wire()]) == 1
        session.commit()
    return profile
