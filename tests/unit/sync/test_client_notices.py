"""Notices end to end: ``fieldapp notice render`` records the print, sync registers the token, and the
public verification page says genuine or not — without personal data — and rate-limits (issue 6)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from client_fixtures import TEST_PASSWORD, case_row, write_cases_csv
from sqlalchemy import select

from fieldapp import protocol
from fieldapp.core.clock import device_now
from fieldapp.core.verification import verification_code
from fieldapp.store import repo
from fieldapp.store.models import NoticeRow, OutboxEntry

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
PIN = "notice-pin-2468"
ISSUER = {
    "creditor_name": {"zh-CN": "华信消费金融有限公司", "en": "Huaxin Consumer Finance Co., Ltd."},
    "creditor_address": {"zh-CN": "上海市浦东新区世纪大道100号", "en": "100 Century Avenue, Shanghai"},
    "creditor_phone": "400-820-1234",
    "agency_name": {"zh-CN": "明达信息咨询服务有限公司", "en": "Mingda Information Consulting Co., Ltd."},
    "agency_phone": "021-6888-1200",
    "dispute_phone": "400-820-1235",
    "dispute_address": {"zh-CN": "上海市浦东新区世纪大道100号客户权益部", "en": "Customer Rights Dept., Shanghai"},
    "repay_channel": {"zh-CN": "“华信金融”App", "en": "the Huaxin Finance app"},
    "check_channel": {"zh-CN": "“华信金融”App或官方网站", "en": "the Huaxin Finance app or website"},
}


def fieldapp(home: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    env.update(FIELDAPP_HOME=str(home), FIELDAPP_PASSPHRASE=PIN)
    if password is not None:
        env["FIELDAPP_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True, text=True, env=env, cwd=REPO,
                          stdin=subprocess.DEVNULL, timeout=120)


def _server_said_it_is(home: Path, hour: int) -> dt.datetime:
    """Leave the store's trusted clock as a sync at ``hour``:00 Beijing time would (today's date there):
    printing follows the rule pack's hours (CN1), and the test must pass at any hour."""
    from fieldapp.core.clock import TrustedClock
    from fieldapp.store.db import DeviceStore

    shanghai = ZoneInfo("Asia/Shanghai")
    morning = dt.datetime.combine(device_now().astimezone(shanghai).date(), dt.time(hour), tzinfo=shanghai)
    clock = TrustedClock(device_now=lambda: morning)
    clock.learn(morning)
    store = DeviceStore.open(PIN, home / "data")
    try:
        with store.session() as s:
            store.set_meta(s, repo.META_TRUSTED_CLOCK, json.dumps(clock.to_dict()))
            s.commit()
    finally:
        store.close()
    return morning


def _publish_huaxin(live_server: Any, tmp_path: Path) -> None:
    """The admin publishes 华信消费金融有限公司's issuer profile on the server (fieldapp admin set-issuer)."""
    import yaml

    profile = tmp_path / "huaxin.yaml"
    profile.write_text(yaml.safe_dump({"creditor": "华信消费金融有限公司", **ISSUER}, allow_unicode=True), encoding="utf-8")
    result = live_server.admin("set-issuer", str(profile))
    assert result.returncode == 0 and "published" in result.stdout, result.stdout + result.stderr


def _office_pc(live_server: Any, tmp_path: Path, rows: list[dict[str, str]], *, publish: bool = True) -> Path:
    """An office PC enrolled as collector zhou holding ``rows``, synced at 10:00 Beijing time, with
    华信消费金融有限公司's issuer profile published on the server first (unless ``publish`` is False):
    its FIELDAPP_HOME."""
    if publish:
        _publish_huaxin(live_server, tmp_path)
    home = tmp_path / "office-pc"
    assert live_server.admin("add-user", "zhou", "--role", "collector", password=TEST_PASSWORD).returncode == 0
    assert live_server.admin("import-cases", str(write_cases_csv(tmp_path / "cases.csv", rows))).returncode == 0
    code = live_server.admin("enroll-code", "zhou").stdout.strip().splitlines()[-1]
    assert fieldapp(home, "enroll", "--server", live_server.url, "--code", code, "--user", "zhou",
                    password=TEST_PASSWORD).returncode == 0
    assert fieldapp(home, "sync").returncode == 0
    _server_said_it_is(home, 10)
    return home


def test_rendered_notice_is_registered_and_verifiable_without_personal_data(live_server: Any, tmp_path: Path) -> None:
    from fieldapp.store.db import DeviceStore

    home = _office_pc(live_server, tmp_path, [case_row(1, "zhou", creditor="华信消费金融有限公司")], publish=False)

    missing = fieldapp(home, "notice", "render", "LN000001", "--template", "cn-overdue-notice", "--out",
                       str(tmp_path / "x.pdf"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "no issuer profile for the creditor '华信消费金融有限公司'" in missing.stderr and "set-issuer" in missing.stderr
    _publish_huaxin(live_server, tmp_path)  # the admin publishes it; the next sync brings it
    assert fieldapp(home, "sync").returncode == 0
    _server_said_it_is(home, 10)
    nope = fieldapp(home, "notice", "render", "LN999999", "--template", "cn-overdue-notice",
                    "--out", str(tmp_path / "x.pdf"))
    assert nope.returncode != 0 and "no case LN999999" in nope.stderr

    out = tmp_path / "notice.pdf"
    rendered = fieldapp(home, "notice", "render", "LN000001", "--template", "cn-overdue-notice", "--lang", "zh-CN",
                        "--out", str(out))
    assert rendered.returncode == 0, rendered.stderr
    assert out.read_bytes().startswith(b"%PDF")

    store = DeviceStore.open(PIN, home / "data")
    try:
        with store.session() as s:
            (notice,) = s.scalars(select(NoticeRow)).all()
            token = notice.token
            assert notice.code == verification_code(token) and notice.code in rendered.stdout
            assert [o.kind for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))] == ["notice", "audit_event"]
            assert repo.audit_events(s)[-1].action == "notice-printed"
    finally:
        store.close()

    # not registered until the device syncs
    page = requests.get(f"{live_server.url}/v/{token}", timeout=10)
    assert page.status_code == 404 and "没有这份通告函的记录" in page.text
    synced = fieldapp(home, "sync")
    assert synced.returncode == 0 and "accepted 2" in synced.stdout

    page = requests.get(f"{live_server.url}/v/{token}", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "这是一份真实的通告函" in page.text and "明达信息咨询服务有限公司" in page.text
    assert "华信消费金融有限公司" in page.text
    for private in ("李四", "1,050", "1050", "LN000001", "海淀区", "13900000001"):
        assert private not in page.text
    english = requests.get(f"{live_server.url}/v/{token}", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"},
                           timeout=10)
    assert "This notice is genuine" in english.text and "Mingda Information" in english.text
    assert "This notice is genuine" in requests.get(f"{live_server.url}/v/{token}?lang=en", timeout=10).text

    # the short code typed into the form, in any case and with a space
    typed = notice.code.lower().replace("-", " ")
    by_code = requests.get(f"{live_server.url}/v", params={"code": typed, "lang": "en"}, timeout=10)
    assert by_code.status_code == 200 and "This notice is genuine" in by_code.text
    form = requests.get(f"{live_server.url}/v", timeout=10)
    assert form.status_code == 200 and "<form" in form.text
    bad = requests.get(f"{live_server.url}/v", params={"code": "12"}, timeout=10)
    assert bad.status_code == 422 and "核验码格式不正确" in bad.text


def test_the_command_line_refuses_what_the_app_refuses_with_the_same_reason(live_server: Any, tmp_path: Path) -> None:
    """A debtor who asked to cease contact gets no letter from the office either (rule CN-P1 / the
    flag), and the refusal reads as the app's; a case the app would print prints the same way."""
    from fieldapp.app import device, notices
    from fieldapp.store.db import DeviceStore
    from fieldapp.store.models import NoticeRow

    home = _office_pc(live_server, tmp_path, [
        case_row(1, "zhou", creditor="华信消费金融有限公司"),
        case_row(2, "zhou", creditor="华信消费金融有限公司", flags="cease_contact")])

    refused = fieldapp(home, "notice", "render", "LN000002", "--out", str(tmp_path / "no.pdf"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert not (tmp_path / "no.pdf").exists()
    printed = fieldapp(home, "notice", "render", "LN000001", "--out", str(tmp_path / "ok.pdf"))
    assert printed.returncode == 0, printed.stderr
    assert "sealed envelope" in printed.stdout  # no visit confirmed the debtor's identity: as in the app
    _server_said_it_is(home, 23)
    night = fieldapp(home, "notice", "render", "LN000001", "--out", str(tmp_path / "n.pdf"))
    assert night.returncode == 1 and "(CN1)" in night.stderr and not (tmp_path / "n.pdf").exists()

    store = DeviceStore.open(PIN, home / "data")
    try:
        flagged = notices.case_id_for(store, "LN000002")
        gui = notices.print_permission(store, flagged, now=device.collector_day(store).now())
        assert not gui.allowed and gui.reason["en"]
        assert gui.reason["en"] in refused.stderr and (gui.rule_id or "") in refused.stderr
        with store.session() as s:
            printed_for = {row.case_id for row in s.scalars(select(NoticeRow))}
            assert printed_for == {notices.case_id_for(store, "LN000001")}
            assert "notice-printed" not in [e.action for e in repo.audit_events(s, case_id=flagged)]
    finally:
        store.close()


def test_unknown_token_is_not_genuine_and_lookups_are_rate_limited(live_server: Any) -> None:
    unknown = requests.get(f"{live_server.url}/v/{'A' * 32}", params={"lang": "en"}, timeout=10)
    assert unknown.status_code == 404
    assert "Not verified" in unknown.text and "official customer service number" in unknown.text
    statuses = [requests.get(f"{live_server.url}/v", params={"code": f"0000-{n:04d}"}, timeout=10).status_code
                for n in range(25)]
    assert statuses.count(429) >= 4 and statuses[0] == 404
    limited = requests.get(f"{live_server.url}/v/{'B' * 32}", timeout=10)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1 and "查询过于频繁" in limited.text
    # the sync API is not affected
    assert requests.get(live_server.api_url + "/hello", timeout=10).status_code == 200


def test_reprint_and_delivery_are_recorded(device_store: Any) -> None:
    from client_fixtures import case_record

    from fieldapp.core.notices import IssuerConfig
    from fieldapp.documents.notice_values import notice_for_case

    with device_store.session() as s:
        repo.apply_case(s, case_record(5, creditor="华信消费金融有限公司"))
        s.commit()
    record = case_record(5, creditor="华信消费金融有限公司")
    notice = notice_for_case("cn-overdue-notice", record, language="zh-CN", issuer=IssuerConfig.from_dict(ISSUER),
                             base_url="https://fieldapp.example.cn", issued_on=dt.date(2026, 11, 25))
    at = dt.datetime(2026, 11, 25, 2, tzinfo=dt.UTC)
    with device_store.session() as s:
        repo.record_printed_notice(s, notice, case_id=5, printed_at=at)
        repo.record_printed_notice(s, notice, case_id=5, printed_at=at, copies=2)  # printed again
        repo.record_notice_delivery(s, notice.token, "sealed_envelope", at=at, note="交予其配偶")
        s.commit()
    with device_store.session() as s:
        (row,) = repo.notices_for_case(s, 5)
        assert (row.copies, row.delivery) == (3, "sealed_envelope")
        kinds = [o.kind for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]
        assert kinds == ["notice", "audit_event", "audit_event", "notice_delivery", "audit_event"]
        assert [e.action for e in repo.audit_events(s)] == ["notice-printed", "notice-reprinted", "notice-delivered"]
        payload = protocol.NoticePayload.model_validate(row.record)
        assert "debtor_name" not in row.record and payload.token == notice.token
        with pytest.raises(ValueError):
            repo.record_notice_delivery(s, notice.token, "posted_on_door", at=at)


def test_a_signed_agreement_verifies_on_the_same_page(enroll_store: Any) -> None:
    from decimal import Decimal

    from fieldapp.core import plans as core_plans
    from fieldapp.core.notices import IssuerConfig
    from fieldapp.core.verification import new_verification_token
    from fieldapp.store.models import Case

    device = enroll_store("gao", cases=1)
    device.client().sync()
    store = device.store
    with store.session() as s:
        case = s.scalars(select(Case)).one()
        case_id, case_ref = case.id, case.account_ref
    today = device_now().astimezone(ZoneInfo("Asia/Shanghai")).date()  # the debtor's today
    plan = core_plans.draft_plan(case_ref, Decimal("1050.00"), currency="CNY", agreed_on=today,
                                 first_due=today + dt.timedelta(days=30), count=3)
    sealed = core_plans.seal_plan(plan, b"debtor png", b"collector png").with_status(core_plans.ACTIVE)
    token = new_verification_token()
    with store.session() as s:
        repo.record_plan(s, sealed, case_id=case_id)
        repo.record_issued_agreement(s, sealed, token=token, issuer=IssuerConfig.from_dict(ISSUER), case_id=case_id)
        s.commit()
    assert device.client().sync().rejected == 0
    page = requests.get(f"{device.server_url}/v/{token}", timeout=10)
    assert page.status_code == 200 and "这是一份真实的还款协议" in page.text
    # the creditor the server holds for the case, not the name the laptop put in the record (issue 11)
    assert "示例消费金融" in page.text and "华信消费金融有限公司" not in page.text
    assert "1,050" not in page.text and "李四" not in page.text
