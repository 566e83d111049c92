"""The public page vouches only for what the server knows (issue 11): forged notices are refused.

An enrolled laptop could make ``/v`` call any text genuine: free-text creditor and agency, no case,
any template, any code. Now the code must be its token's, the template one the server publishes,
the case one the collector holds, the names bounded — and the page names the creditor the server
holds for the case, never the laptop's text.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from client_fixtures import publish_issuer
from server_fixtures import EnrolledDevice, LiveServer, enroll_device, notice_record, sample_case, write_cases_csv
from sqlalchemy import select

from fieldapp.core.notices import bundled_notice_templates
from fieldapp.core.verification import verification_code
from fieldapp.server import db
from fieldapp.server.services import verify

pytestmark = pytest.mark.e2e
TEMPLATE = bundled_notice_templates()["cn-overdue-notice"]


def _case(server: LiveServer, tmp_path: Path, assignee: str, creditor: str = "华信消费金融有限公司") -> int:
    ref = f"VER-{uuid.uuid4().hex[:8]}"
    if creditor == "华信消费金融有限公司":
        publish_issuer(server, tmp_path, creditor)
    csv = write_cases_csv(tmp_path / f"{ref}.csv", [sample_case(ref, assignee=assignee, creditor=creditor)])
    assert server.admin("import-cases", str(csv), in_process=True).returncode == 0
    engine = db.make_engine(server.db_url)
    with db.make_sessionmaker(engine)() as session:
        case_id = session.scalars(select(db.Case.id).where(db.Case.account_ref == ref)).one()
    engine.dispose()
    return int(case_id)


def _push(device: EnrolledDevice, record: dict[str, Any]) -> dict[str, Any]:
    answer = device.post("/push", json={"records": [record]})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


@pytest.fixture
def collector(live_server: LiveServer) -> EnrolledDevice:
    return enroll_device(live_server, f"col-{uuid.uuid4().hex[:6]}", team="north")


def test_a_genuine_notice_names_the_servers_creditor_not_the_laptops(
        live_server: LiveServer, collector: EnrolledDevice, tmp_path: Path) -> None:
    record = notice_record(_case(live_server, tmp_path, collector.username))
    assert _push(collector, record)["status"] == "accepted"
    page = requests.get(f"{live_server.url}/v/{record['payload']['token']}", params={"lang": "zh-CN"}, timeout=30)
    assert page.status_code == 200 and "真实" in page.text
    assert "华信消费金融有限公司" in page.text and "随便写的公司" not in page.text
    by_code = requests.get(f"{live_server.url}/v", params={"code": record["payload"]["code"], "lang": "en"}, timeout=30)
    assert by_code.status_code == 200 and "genuine" in by_code.text


@pytest.mark.parametrize("forgery, reason", [
    ({"code": "0000-0000"}, "does not belong to its token"),
    ({"template_hash": "00" * 32}, "is not published on this server"),
    ({"template_id": "my-own-template"}, "is not published on this server"),
    ({"agency_name": {"zh-CN": "长" * 200_000}}, "agency"),
])
def test_a_forged_notice_is_refused(live_server: LiveServer, collector: EnrolledDevice, tmp_path: Path,
                                    forgery: dict[str, Any], reason: str) -> None:
    record = notice_record(_case(live_server, tmp_path, collector.username), **forgery)
    result = _push(collector, record)
    assert result["status"] == "rejected" and reason in result["reason"], result
    page = requests.get(f"{live_server.url}/v/{record['payload']['token']}", timeout=30)
    assert page.status_code == 404


def test_a_notice_for_a_creditor_without_a_published_profile_is_refused(
        live_server: LiveServer, collector: EnrolledDevice, tmp_path: Path) -> None:
    result = _push(collector, notice_record(_case(live_server, tmp_path, collector.username, creditor="无人发布的公司")))
    assert result["status"] == "rejected" and "no issuer profile for the case's creditor" in result["reason"]


def test_a_notice_must_name_a_case_the_collector_holds(live_server: LiveServer, collector: EnrolledDevice,
                                                       tmp_path: Path) -> None:
    other = enroll_device(live_server, f"other-{uuid.uuid4().hex[:6]}", team="south")
    for case_id in (None, _case(live_server, tmp_path, other.username)):
        result = _push(collector, notice_record(case_id))
        assert result["status"] == "rejected", result


#: Two tokens whose 8-character codes are the same (found by searching 1.3 million tokens: what a
#: forger would do to take a real notice's code over).
CLASHING = ("collision-test-000000817025", "collision-test-000001328707", "3P75-CBYV")


def test_a_code_held_by_another_notice_is_refused_and_a_lookup_never_switches(
        live_server: LiveServer, collector: EnrolledDevice, tmp_path: Path) -> None:
    real_token, forged_token, code = CLASHING
    assert verification_code(real_token) == verification_code(forged_token) == code
    case_id = _case(live_server, tmp_path, collector.username)
    real = notice_record(case_id, token=real_token, code=code)
    assert _push(collector, real)["status"] == "accepted"
    forged = notice_record(case_id, token=forged_token, code=code, printed_at="2020-01-01T00:00:00+00:00")
    result = _push(collector, forged)
    assert result["status"] == "rejected" and "already held by another notice" in result["reason"]
    engine = db.make_engine(live_server.db_url)
    with db.make_sessionmaker(engine)() as session:
        assert verify.find(session, code=code).token == real_token
    engine.dispose()
    assert requests.get(f"{live_server.url}/v/{forged_token}", timeout=30).status_code == 404
