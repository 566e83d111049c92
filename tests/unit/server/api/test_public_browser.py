"""The public verification page in a real headless browser (Debian's chromium, driven by Playwright) at
a phone's size: both languages, by token and by typed code, no personal data, nothing fetched from
anywhere but the server, nothing wider than the screen."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from client_fixtures import publish_issuer
from server_fixtures import LiveServer, enroll_device, notice_record, sample_case, write_cases_csv
from sqlalchemy import select

from fieldapp.server import db

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}
#: What the case holds that the page must never show.
PRIVATE = ("张伟", "110101199003074512", "13800138000", "朝阳区建国路88号", "12350.50", "12,350.50")


@pytest.fixture
def genuine(live_server: LiveServer, tmp_path: Path) -> dict[str, Any]:
    collector = enroll_device(live_server, f"web-{uuid.uuid4().hex[:6]}")
    publish_issuer(live_server, tmp_path, "华信消费金融有限公司")
    ref = f"WEB-{uuid.uuid4().hex[:6]}"
    csv = write_cases_csv(tmp_path / "c.csv", [sample_case(ref, assignee=collector.username, creditor="华信消费金融有限公司")])
    assert live_server.admin("import-cases", str(csv), in_process=True).returncode == 0
    engine = db.make_engine(live_server.db_url)
    with db.make_sessionmaker(engine)() as session:
        case_id = session.scalars(select(db.Case.id).where(db.Case.account_ref == ref)).one()
    engine.dispose()
    record = notice_record(case_id)
    answer = collector.post("/push", json={"records": [record]}).json()["results"][0]
    assert answer["status"] == "accepted", answer
    return {"server": live_server, "token": record["payload"]["token"], "code": record["payload"]["code"], "ref": ref}


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (packaging/system-deps.sh installs it)")
def test_the_page_on_a_phone_in_both_languages(genuine: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = genuine["server"]
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        try:
            for language, genuine_text in (("zh-CN", "这是一份真实的通告函"), ("en", "This notice is genuine")):
                page = browser.new_page(viewport=PHONE, locale=language)
                page.on("request", lambda request: requested.append(request.url))
                page.goto(f"{server.url}/v/{genuine['token']}?lang={language}")
                text = page.inner_text("body")
                assert genuine_text in text and "明达信息咨询服务有限公司" in text  # the server's profile
                assert "华信消费金融有限公司" in text
                for private in (*PRIVATE, genuine["ref"]):
                    assert private not in page.content(), private
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                page.screenshot(path=str(tmp_path / f"verify-{language}.png"), full_page=True)

                page.goto(f"{server.url}/v?lang={language}")  # the form: a person types the printed code
                page.fill("input[name=code]", genuine["code"].lower().replace("-", " "))
                page.click("button[type=submit]")
                page.wait_for_load_state()
                assert genuine_text in page.inner_text("body")
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

                page.goto(f"{server.url}/v/{'Z' * 32}?lang={language}")
                assert ("没有这份通告函的记录" if language == "zh-CN" else "no record of this notice") in page.inner_text("body")
                page.close()
        finally:
            browser.close()
    assert requested and all(url.startswith(server.url) for url in requested), [u for u in requested
                                                                                 if not u.startswith(server.url)]
