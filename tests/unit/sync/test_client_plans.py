"""Plans and promises end to end: signed offline, approved by a lead through the API, paid (issue 5)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from fieldapp.core import plans as core_plans
from fieldapp.core.clock import device_now
from fieldapp.store import repo
from fieldapp.store.models import Case, OutboxEntry
from fieldapp.sync.client import ServerError

pytestmark = pytest.mark.e2e
# the debtors' today (Shanghai's), whatever zone this machine is in
TODAY = device_now().astimezone(ZoneInfo("Asia/Shanghai")).date()


def _sealed_plan(store: Any, case_ref: str) -> core_plans.SealedPlan:
    plan = core_plans.draft_plan(case_ref, Decimal("1050.00"), currency="CNY", agreed_on=TODAY,
                                 first_due=TODAY + dt.timedelta(days=30), count=3, collector="wang",
                                 default_terms="逾期即视为违约")
    debtor, collector = b"debtor strokes png", b"collector strokes png"
    with store.session() as s:
        repo.add_attachment(s, store, debtor, "image/png")
        repo.add_attachment(s, store, collector, "image/png")
        s.commit()
    return core_plans.seal_plan(plan, debtor, collector).with_status(core_plans.PENDING_APPROVAL)


def _payments(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = ["account_ref,paid_at,amount,reference"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_plan_signed_offline_is_approved_by_the_lead_and_paid(enroll_store: Any, tmp_path: Path) -> None:
    collector = enroll_store("wang", cases=1, team="north")
    lead = enroll_store("li", cases=0, role="lead", team="north")
    outsider = enroll_store("zhou", cases=0, role="lead", team="south")
    store = collector.store
    collector.client().sync()
    with store.session() as s:
        case = s.scalars(select(Case)).one()
        case_id, case_ref = case.id, case.account_ref
    sealed = _sealed_plan(store, case_ref)
    promise = core_plans.PromiseToPay(TODAY + dt.timedelta(days=7), Decimal("100.00"), "CNY", TODAY, case_ref)
    with store.session() as s:  # offline: nothing but the local store
        repo.record_plan(s, sealed, case_id=case_id)
        repo.record_promise(s, promise, case_id=case_id)
        s.commit()
    with store.session() as s:
        assert [o.kind for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))] == [
            "plan", "audit_event", "promise", "audit_event"]
        assert repo.plans_for_case(s, case_id)[0].status == core_plans.PENDING_APPROVAL

    report = collector.client().sync()
    assert report.accepted == 4 and report.rejected == 0 and report.attachments_uploaded == 2

    with pytest.raises(ServerError, match="team lead"):
        collector.client().team_plans()
    assert outsider.client().team_plans() == []
    pending = lead.client().team_plans()
    assert [(p.plan_id, p.collector, p.account_ref, p.agreed_total_minor) for p in pending] == [
        (sealed.id, "wang", case_ref, 105000)]
    assert pending[0].sealed["seal_sha256"] == sealed.seal and pending[0].signatures_received
    with pytest.raises(ServerError, match="no such plan"):
        outsider.client().decide_plan(sealed.id, "approve")
    with pytest.raises(ServerError, match="why"):
        lead.client().decide_plan(sealed.id, "reject")
    decided = lead.client().decide_plan(sealed.id, "approve", "可以，按期还款")
    assert decided.status == core_plans.APPROVED and decided.decided_by == "li"
    with pytest.raises(ServerError, match="not pending approval"):
        lead.client().decide_plan(sealed.id, "reject", "too late")
    assert lead.client().team_plans() == []

    collector.client().sync()
    with store.session() as s:
        row = repo.plans_for_case(s, case_id)[0]
        assert (row.status, row.decided_by, row.decision_comment) == ("approved", "li", "可以，按期还款")

    # payments from the lending system: the first instalment is paid, the promise kept
    first = sealed.plan.instalments[0]
    csv = _payments(tmp_path / "p1.csv", [
        (case_ref, TODAY.isoformat(), "350.00", "PAY-1"),
        ("NOPE", TODAY.isoformat(), "1.00", "PAY-2"),
        (case_ref, "2026-02-30", "1.00", "PAY-3"),
        (case_ref, TODAY.isoformat(), "-5", "PAY-4"),
        (case_ref, TODAY.isoformat(), "5.00", ""),
    ])
    result = collector.admin("import-payments", str(csv))
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "imported 1, unchanged 0, rejected 4"
    assert "line 3: no case with account_ref NOPE" in lines
    assert any(line.startswith("line 4: paid_at") for line in lines)
    assert any(line.startswith("line 6: reference is missing") for line in lines)
    assert collector.admin("import-payments", str(csv)).stdout.strip().splitlines()[-1] == \
        "imported 0, unchanged 1, rejected 4"

    collector.client().sync()
    with store.session() as s:
        row = repo.plans_for_case(s, case_id)[0]
        items = repo.plan_instalments(s, row.id)
        assert (items[0].number, items[0].status, items[0].paid_minor, items[0].paid_on) == (first.number, "paid", 35000, TODAY)
        assert [i.status for i in items[1:]] == ["upcoming", "upcoming"]
        assert row.status == core_plans.KEPT
        assert repo.promises_for_case(s, case_id)[0].status == "kept"

    # the rest is paid: the plan completes and the case closes (its tombstone removes it)
    csv = _payments(tmp_path / "p2.csv", [(case_ref, TODAY.isoformat(), "700.00", "PAY-9")])
    assert collector.admin("import-payments", str(csv)).stdout.strip().splitlines()[-2].endswith("cases closed 1")
    report = collector.client().sync()
    assert report.cases_removed == 1
    with store.session() as s:
        assert s.get(Case, case_id) is None
        assert repo.plans_for_case(s, case_id)[0].status == core_plans.COMPLETED  # the work stays
    assert json.loads(collector.admin("stats", "--json").stdout)["plans_pending"] == 0


def test_a_plan_that_fails_its_seal_is_rejected_and_stays(enroll_store: Any) -> None:
    collector = enroll_store("wu", cases=1)
    store = collector.store
    collector.client().sync()
    with store.session() as s:
        case = s.scalars(select(Case)).one()
        case_id, case_ref = case.id, case.account_ref
    sealed = _sealed_plan(store, case_ref)
    with store.session() as s:
        repo.record_plan(s, sealed, case_id=case_id)
        entry = s.scalars(select(OutboxEntry).where(OutboxEntry.kind == "plan")).one()
        wire = json.loads(json.dumps(entry.payload))
        wire["plan"]["default_terms"] = "changed after signing"
        entry.payload = wire
        s.commit()
    report = collector.client().sync()
    assert report.rejected == 1
    with store.session() as s:
        (entry,) = repo.rejected_entries(s)
        assert entry.kind == "plan" and "seal" in entry.reason


def test_admin_lists_and_decides_plans(enroll_store: Any) -> None:
    collector = enroll_store("qin", cases=1, team="east")
    enroll_store("han", cases=0, role="lead", team="east")
    store = collector.store
    collector.client().sync()
    with store.session() as s:
        case = s.scalars(select(Case)).one()
        case_id, case_ref = case.id, case.account_ref
    sealed = _sealed_plan(store, case_ref)
    with store.session() as s:
        repo.record_plan(s, sealed, case_id=case_id)
        s.commit()
    collector.client().sync()
    listed = json.loads(collector.admin("plans", "--json").stdout)
    assert [p["plan_id"] for p in listed] == [sealed.id]
    refused = collector.server.admin("decide-plan", sealed.id, "approve", "--as", "qin")
    assert refused.returncode != 0 and "not a team lead" in refused.stderr
    done = collector.admin("decide-plan", sealed.id, "reject", "--as", "han", "--comment", "期限太长")
    assert "is now rejected" in done.stdout
    collector.client().sync()
    with store.session() as s:
        assert repo.plans_for_case(s, case_id)[0].status == core_plans.REJECTED
