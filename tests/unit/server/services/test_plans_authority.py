"""The server decides a plan's status and who may decide it, whatever a laptop sends (issue 11).

Attacks tried as a collector holding one enrolled laptop would: a plan marked active, for 1.00, on
one's own case and on another team's; a lead of another team deciding; a payment that would close
the case on the strength of a plan nobody approved.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from server_fixtures import EnrolledDevice, LiveServer, enroll_device, plan_record, sample_case, write_cases_csv
from sqlalchemy import select

from fieldapp.core import plans as core_plans
from fieldapp.core.clock import device_now
from fieldapp.server import db

pytestmark = pytest.mark.e2e
TODAY = device_now().astimezone(ZoneInfo("Asia/Shanghai")).date()


def _case(server: LiveServer, tmp_path: Path, assignee: str, total: str = "12395.77") -> tuple[int, str]:
    ref = f"AUTH-{uuid.uuid4().hex[:8]}"
    csv = write_cases_csv(tmp_path / f"{ref}.csv", [sample_case(ref, assignee=assignee, principal=total, fees="0",
                                                                total_due=total)])
    result = server.admin("import-cases", str(csv), in_process=True)
    assert result.returncode == 0 and "rejected 0" in result.stdout, result.stdout + result.stderr
    engine = db.make_engine(server.db_url)
    with db.make_sessionmaker(engine)() as session:
        case_id = session.scalars(select(db.Case.id).where(db.Case.account_ref == ref)).one()
    engine.dispose()
    return case_id, ref


def _push(device: EnrolledDevice, *records: dict[str, Any]) -> list[dict[str, Any]]:
    answer = device.post("/push", json={"records": list(records)})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def _stored_plan(server: LiveServer, plan_id: str) -> tuple[str, bool, str] | None:
    engine = db.make_engine(server.db_url)
    with db.make_sessionmaker(engine)() as session:
        plan = session.get(db.Plan, plan_id)
        record = session.scalars(select(db.Record).where(db.Record.kind == "plan", db.Record.id == plan.record_id)
                                 ).one() if plan else None
    engine.dispose()
    return (plan.status, record.flagged, record.notes) if plan and record else None


@pytest.fixture
def teams(live_server: LiveServer) -> dict[str, EnrolledDevice]:
    tag = uuid.uuid4().hex[:6]
    return {
        "a_collector": enroll_device(live_server, f"a-col-{tag}", team=f"a-{tag}"),
        "a_lead": enroll_device(live_server, f"a-lead-{tag}", role="lead", team=f"a-{tag}"),
        "b_collector": enroll_device(live_server, f"b-col-{tag}", team=f"b-{tag}"),
        "b_lead": enroll_device(live_server, f"b-lead-{tag}", role="lead", team=f"b-{tag}"),
    }


def test_a_one_yuan_plan_sent_as_active_waits_for_the_lead(live_server: LiveServer, teams: dict[str, Any],
                                                          tmp_path: Path) -> None:
    case_id, ref = _case(live_server, tmp_path, teams["a_collector"].username)
    record, sealed = plan_record(case_id, ref, "1.00", count=1)
    assert [r["status"] for r in _push(teams["a_collector"], record)] == ["accepted"]
    status, flagged, notes = _stored_plan(live_server, sealed.id)
    assert status == core_plans.PENDING_APPROVAL and flagged
    assert "total due is not what the server holds" in notes
    # a payment of 1.00 neither pays off a plan nobody approved nor closes the case
    payments = tmp_path / "pay.csv"
    payments.write_text(f"account_ref,paid_at,amount,reference\n{ref},{TODAY.isoformat()},1.00,P1\n", encoding="utf-8")
    assert live_server.admin("import-payments", str(payments), in_process=True).returncode == 0
    engine = db.make_engine(live_server.db_url)
    with db.make_sessionmaker(engine)() as session:
        assert session.get(db.Case, case_id).status != "closed"
        assert session.get(db.Plan, sealed.id).status == core_plans.PENDING_APPROVAL
    engine.dispose()


def test_a_plan_within_authority_is_active_whatever_the_laptop_called_it(
        live_server: LiveServer, teams: dict[str, Any], tmp_path: Path) -> None:
    case_id, ref = _case(live_server, tmp_path, teams["a_collector"].username, total="1050.00")
    record, sealed = plan_record(case_id, ref, "1050.00", count=3, claimed=core_plans.SIGNED)
    assert [r["status"] for r in _push(teams["a_collector"], record)] == ["accepted"]
    assert _stored_plan(live_server, sealed.id)[:2] == (core_plans.ACTIVE, False)


def test_a_plan_for_another_teams_case_is_refused_like_an_unknown_case(
        live_server: LiveServer, teams: dict[str, Any], tmp_path: Path) -> None:
    case_id, ref = _case(live_server, tmp_path, teams["b_collector"].username)
    record, sealed = plan_record(case_id, ref, "12395.77")
    (result,) = _push(teams["a_collector"], record)
    assert result["status"] == "rejected" and f"case {case_id} does not exist on the server" in result["reason"]
    unknown = dict(plan_record(10**9, ref, "12395.77")[0], case_id=10**9)
    (other,) = _push(teams["a_collector"], unknown)
    assert other["reason"].replace(str(10**9), "N") == result["reason"].replace(str(case_id), "N")
    assert _stored_plan(live_server, sealed.id) is None
    contact = {"id": str(uuid.uuid4()), "kind": "contact_attempt", "case_id": case_id,
               "created_at": device_now().isoformat(),
               "payload": {"channel": "call", "attempted_at": device_now().isoformat(), "outcome": "no_answer"}}
    assert _push(teams["a_collector"], contact)[0]["status"] == "rejected"


def test_only_the_lead_of_the_cases_team_decides(live_server: LiveServer, teams: dict[str, Any],
                                                 tmp_path: Path) -> None:
    case_id, ref = _case(live_server, tmp_path, teams["b_collector"].username)
    record, sealed = plan_record(case_id, ref, "12395.77", count=24, claimed=core_plans.PENDING_APPROVAL)
    assert _push(teams["b_collector"], record)[0]["status"] == "accepted"
    a_sees = teams["a_lead"].get("/team/plans").json()["plans"]
    assert sealed.id not in [p["plan_id"] for p in a_sees]
    refused = teams["a_lead"].post(f"/team/plans/{sealed.id}/decision", json={"decision": "approve", "comment": ""})
    assert refused.status_code == 404
    assert sealed.id in [p["plan_id"] for p in teams["b_lead"].get("/team/plans").json()["plans"]]
    decided = teams["b_lead"].post(f"/team/plans/{sealed.id}/decision", json={"decision": "approve", "comment": "ok"})
    assert decided.status_code == 200 and decided.json()["status"] == core_plans.APPROVED
    # and a collector decides nothing, not even on their own case
    own = teams["b_collector"].post(f"/team/plans/{sealed.id}/decision", json={"decision": "reject", "comment": "x"})
    assert own.status_code == 403
