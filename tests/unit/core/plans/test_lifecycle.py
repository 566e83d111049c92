"""Plan status transitions, sealing and tamper detection, superseding, promises to pay and payment matching."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.core.canonical import canonical_json
from fieldapp.core.plans import (
    ACTIVE,
    APPROVED,
    BROKEN,
    COMPLETED,
    DRAFT,
    KEPT,
    PENDING_APPROVAL,
    REJECTED,
    SIGNED,
    STATUSES,
    TRANSITIONS,
    Instalment,
    Payment,
    PlanError,
    PromiseToPay,
    RepaymentPlan,
    SealedPlan,
    apply_payments,
    draft_plan,
    seal_plan,
    signature_hash,
    supersede,
    verify_seal,
)

D = Decimal
DEBTOR = b"\x89PNG debtor strokes"
COLLECTOR = [{"t": 0, "points": [[1, 2], [3, 4]]}]  # JSON-safe strokes are hashed canonically


def plan(**kwargs) -> RepaymentPlan:
    args = dict(currency="CNY", agreed_on=dt.date(2026, 1, 20), first_due=dt.date(2026, 1, 31), count=3,
                down_payment="300.00", waiver="200.00", default_terms="逾期 30 天视为违约，剩余款项立即到期。",
                collector="c-17")
    args.update(kwargs)
    return draft_plan("CN-0001", "3500.00", **args)


# ------------------------------------------------------------------ the plan record
def test_plan_content_uses_minor_units_and_iso_dates_never_floats() -> None:
    content = plan(declared_income="6000.00", declared_expenses="2500.50").content()
    assert content["total_due_minor"] == 350000 and content["waiver_minor"] == 20000
    assert content["agreed_total_minor"] == 330000 and content["declared_expenses_minor"] == 250050
    assert content["instalments"][0] == {"number": 0, "due_on": "2026-01-20", "amount_minor": 30000}
    assert "status" not in content
    text = canonical_json(content).decode()
    assert "." not in json.dumps([v for v in content.values() if isinstance(v, (int, float))])
    assert "2026-02-28" in text and "逾期" in text


def test_wire_round_trip() -> None:
    original = plan(declared_income="6000.00", declared_expenses="2500.00")
    assert RepaymentPlan.from_wire(json.loads(json.dumps(original.to_wire()))) == original


def test_a_plan_that_does_not_add_up_is_refused() -> None:
    good = plan()
    items = list(good.instalments)
    items[-1] = Instalment(items[-1].number, items[-1].due_on, items[-1].amount + D("0.01"))
    with pytest.raises(PlanError, match="add up"):
        dataclasses.replace(good, instalments=tuple(items))
    items = list(good.instalments)
    items[2], items[3] = (Instalment(2, items[3].due_on, items[2].amount), Instalment(3, items[2].due_on, items[3].amount))
    with pytest.raises(PlanError, match="increasing"):
        dataclasses.replace(good, instalments=tuple(items))
    with pytest.raises(PlanError, match="numbered"):
        dataclasses.replace(good, instalments=good.instalments[1:])
    with pytest.raises(PlanError, match="case"):
        dataclasses.replace(good, case_ref="")


def test_status_changes_follow_product_section_5() -> None:
    draft = plan()
    assert draft.status == DRAFT
    active = draft.with_status(SIGNED).with_status(PENDING_APPROVAL).with_status(APPROVED).with_status(ACTIVE)
    assert active.with_status(BROKEN).with_status(KEPT).with_status(COMPLETED).status == COMPLETED
    assert draft.with_status(SIGNED).with_status(ACTIVE).status == ACTIVE  # within authority: no approval needed
    with pytest.raises(PlanError, match="cannot become") as info:
        draft.with_status(ACTIVE)
    assert info.value.reason["zh-CN"].startswith("计划状态不能")
    rejected = draft.with_status(SIGNED).with_status(PENDING_APPROVAL).with_status(REJECTED)
    for status in STATUSES:
        with pytest.raises(PlanError):
            rejected.with_status(status)
    assert set(TRANSITIONS) == set(STATUSES)


# ------------------------------------------------------------------ sealing
def test_seal_covers_the_agreement_and_both_signatures() -> None:
    sealed = seal_plan(plan(), DEBTOR, COLLECTOR)
    assert sealed.plan.status == SIGNED and verify_seal(sealed) and len(sealed.seal) == 64
    assert sealed.debtor_signature == signature_hash(DEBTOR) == signature_hash(signature_hash(DEBTOR))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sealed.seal = "0" * 64  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sealed.plan.waiver = D(0)  # type: ignore[misc]


@pytest.mark.parametrize("tamper", [
    lambda s: dataclasses.replace(s, plan=dataclasses.replace(s.plan, default_terms="no default terms")),
    lambda s: dataclasses.replace(s, plan=dataclasses.replace(s.plan, case_ref="CN-0002")),
    lambda s: dataclasses.replace(s, debtor_signature=signature_hash(b"someone else")),
    lambda s: dataclasses.replace(s, collector_signature=signature_hash(b"someone else")),
    lambda s: dataclasses.replace(s, seal="0" * 64),
    lambda s: dataclasses.replace(s, plan=dataclasses.replace(
        s.plan, waiver=D("700.00"), instalments=(s.plan.instalments[0], *[
            Instalment(i.number, i.due_on, i.amount - D("500.00") if i.number == 3 else i.amount)
            for i in s.plan.instalments[1:]]))),
])
def test_any_change_to_a_sealed_plan_is_detected(tamper) -> None:
    sealed = seal_plan(plan(), DEBTOR, COLLECTOR)
    assert not verify_seal(tamper(sealed))


def test_tampering_on_the_wire_is_detected() -> None:
    wire = seal_plan(plan(), DEBTOR, COLLECTOR).to_wire()
    assert verify_seal(SealedPlan.from_wire(json.loads(json.dumps(wire))))
    wire["plan"]["instalments"][1]["due_on"] = "2026-02-01"
    assert not verify_seal(SealedPlan.from_wire(wire))


def test_the_lifecycle_moves_on_without_breaking_the_seal() -> None:
    sealed = seal_plan(plan(), DEBTOR, COLLECTOR)
    approved = sealed.with_status(PENDING_APPROVAL).with_status(APPROVED).with_status(ACTIVE)
    assert approved.plan.status == ACTIVE and approved.seal == sealed.seal and verify_seal(approved)


def test_sealing_needs_a_draft_and_two_different_real_signatures() -> None:
    with pytest.raises(PlanError, match="draft"):
        seal_plan(plan().with_status(SIGNED), DEBTOR, COLLECTOR)
    with pytest.raises(PlanError, match="identical"):
        seal_plan(plan(), DEBTOR, DEBTOR)
    with pytest.raises(PlanError, match="empty"):
        seal_plan(plan(), b"", COLLECTOR)
    with pytest.raises(PlanError, match="SHA-256"):
        seal_plan(plan(), "my name", COLLECTOR)


def test_a_change_is_a_new_plan_that_supersedes_the_sealed_one() -> None:
    sealed = seal_plan(plan(), DEBTOR, COLLECTOR)
    changed = supersede(sealed, default_terms="逾期 60 天视为违约。")
    assert changed.id != sealed.id and changed.supersedes == sealed.id and changed.status == DRAFT
    assert verify_seal(sealed) and sealed.plan.default_terms.startswith("逾期 30")  # the old one stays as it was
    resealed = seal_plan(changed, b"new debtor strokes", COLLECTOR)
    assert verify_seal(resealed) and resealed.seal != sealed.seal
    with pytest.raises(PlanError, match="add up"):
        supersede(sealed, waiver=D("500.00"))  # a new amount needs its own schedule
    fresh = plan(waiver="500.00")
    assert supersede(sealed, waiver=D("500.00"), instalments=fresh.instalments).agreed_total == D("3000.00")
    with pytest.raises(PlanError, match="cannot set"):
        supersede(sealed, id="mine")
    with pytest.raises(PlanError, match="seal"):
        supersede(dataclasses.replace(sealed, seal="0" * 64), default_terms="x")


# ------------------------------------------------------------------ promises to pay
def test_promise_to_pay_validation() -> None:
    today = dt.date(2026, 11, 29)
    ok = PromiseToPay(dt.date(2026, 12, 5), D("500.00"), "CNY", made_on=today)
    assert ok.validate(today=today, balance="3000.00") is ok
    assert PromiseToPay(today, "3000", "CNY").problems(today=today, balance="3000.00") == []
    past = PromiseToPay(dt.date(2026, 11, 28), "100", "CNY").problems(today=today, balance="3000")
    assert len(past) == 1 and "past" in past[0]["en"] and "已经过去" in past[0]["zh-CN"]
    with pytest.raises(PlanError, match="more than zero"):
        PromiseToPay(dt.date(2026, 12, 5), "0", "CNY").validate(today=today, balance="3000")
    with pytest.raises(PlanError, match="balance"):
        PromiseToPay(dt.date(2026, 12, 5), "3000.01", "CNY").validate(today=today, balance="3000")
    with pytest.raises(PlanError):
        PromiseToPay(dt.date(2026, 12, 5), "-1", "CNY")
    assert PromiseToPay.from_wire(ok.to_wire()) == ok


# ------------------------------------------------------------------ payments
def test_payments_mark_instalments_paid_partly_paid_and_overdue() -> None:
    p = plan()  # 0: 300 on 20 Jan; 1–3: 1000 on 31 Jan, 28 Feb, 31 Mar
    payments = [Payment(dt.date(2026, 1, 20), D("300.00"), "r1"), Payment(dt.date(2026, 2, 2), D("1200.00"), "r2")]
    report = apply_payments(p, payments, as_of=dt.date(2026, 3, 5))
    assert [(s.number, s.status, str(s.paid)) for s in report.instalments] == [
        (0, "paid", "300.00"), (1, "paid", "1000.00"), (2, "overdue", "200.00"), (3, "upcoming", "0")]
    assert report.instalments[1].late and not report.instalments[0].late
    assert report.outcome == BROKEN and report.outstanding == D("1800.00")
    before = apply_payments(p, payments, as_of=dt.date(2026, 2, 20))
    assert [s.status for s in before.instalments] == ["paid", "paid", "partly_paid", "upcoming"]
    assert before.outcome == KEPT
    grace = apply_payments(p, payments, as_of=dt.date(2026, 3, 5), grace_days=5)
    assert grace.instalments[2].status == "partly_paid" and grace.outcome == KEPT
    # a payment after as_of does not count yet
    assert apply_payments(p, payments + [Payment(dt.date(2026, 3, 6), D("5000"), "r3")],
                          as_of=dt.date(2026, 3, 5)) == report


def test_a_fully_paid_plan_is_completed_and_an_overpayment_is_kept_apart() -> None:
    p = plan()
    report = apply_payments(p, [Payment(dt.date(2026, 1, 20), D("3400.00"), "all")], as_of=dt.date(2026, 1, 21))
    assert report.outcome == COMPLETED and report.unapplied == D("100.00") and report.outstanding == 0
    assert all(s.status == "paid" and s.paid_on == dt.date(2026, 1, 20) for s in report.instalments)


def test_promises_are_kept_or_broken() -> None:
    promise = PromiseToPay(dt.date(2026, 12, 5), D("500.00"), "CNY", made_on=dt.date(2026, 11, 29))
    early = Payment(dt.date(2026, 11, 1), D("500.00"), "before the promise")
    partial = [Payment(dt.date(2026, 12, 1), D("200.00"), "a"), Payment(dt.date(2026, 12, 4), D("300.00"), "b")]
    kept = apply_payments([], partial + [early], promises=[promise], as_of=dt.date(2026, 12, 10), currency="CNY")
    assert kept.promises[0].status == KEPT and kept.promises[0].kept_on == dt.date(2026, 12, 4)
    broken = apply_payments([], [early, partial[0]], promises=[promise], as_of=dt.date(2026, 12, 6), currency="CNY")
    assert broken.promises[0].status == BROKEN and broken.promises[0].paid == D("200.00")
    pending = apply_payments([], [partial[0]], promises=[promise], as_of=dt.date(2026, 12, 5), currency="CNY")
    assert pending.promises[0].status == "pending"


payment_lists = st.lists(
    st.builds(Payment, st.dates(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
              st.integers(1, 200000).map(lambda f: D(f).scaleb(-2)), st.text("abc", max_size=3)),
    max_size=12)


@settings(max_examples=200, deadline=None)
@given(payments=payment_lists, seed=st.randoms(use_true_random=False),
       as_of=st.dates(dt.date(2026, 1, 1), dt.date(2026, 7, 31)))
def test_payment_matching_does_not_depend_on_input_order(payments, seed, as_of) -> None:
    p = plan()
    promises = [PromiseToPay(dt.date(2026, 2, 15), D("800.00"), "CNY", made_on=dt.date(2026, 1, 25), id="p1"),
                PromiseToPay(dt.date(2026, 4, 1), D("100.00"), "CNY", id="p2")]
    shuffled, items, promises2 = list(payments), list(p.instalments), list(promises)
    seed.shuffle(shuffled)
    seed.shuffle(items)
    seed.shuffle(promises2)
    first = apply_payments(p, payments, as_of=as_of, promises=promises)
    second = apply_payments(items, shuffled, as_of=as_of, promises=promises2, currency="CNY")
    assert first == second
    counted = sum((x.amount for x in payments if x.paid_on <= as_of), D(0))
    assert sum((s.paid for s in first.instalments), D(0)) + first.unapplied == counted == first.paid_total


# ------------------------------------------------------------------ sealing under a policy
def test_sealing_under_a_policy_refuses_what_the_policy_refuses_and_records_the_pack_version() -> None:
    from fieldapp.core.plans import PlanPolicy, evaluate_plan

    policy = PlanPolicy.bundled("CN")
    sealed = seal_plan(plan(), DEBTOR, COLLECTOR, policy=policy)
    assert sealed.plan.policy_version == "CN/1.1.0" and verify_seal(sealed)
    assert sealed.sealed_content()["plan"]["policy_version"] == "CN/1.1.0"
    with pytest.raises(PlanError, match="minimum instalment"):
        seal_plan(plan(count=35), DEBTOR, COLLECTOR, policy=policy)  # 35 × ¥85.71: below the minimum instalment
    tight = plan(declared_income="3000.00", declared_expenses="2000.00")
    with pytest.raises(PlanError, match="justification|why"):
        seal_plan(tight, DEBTOR, COLLECTOR, policy=policy)
    justified = dataclasses.replace(tight, justification="the family helps with the repayments")
    sealed = seal_plan(justified, DEBTOR, COLLECTOR, policy=policy)
    assert evaluate_plan(sealed.plan, policy).status_after_signing(sealed.plan.justification) == ACTIVE


def test_holiday_notes_for_years_the_calendar_cannot_vouch_for() -> None:
    from fieldapp.core.plans import PlanPolicy

    policy = PlanPolicy.bundled("CN")
    assert policy.holiday_notes(plan()) == []
    long = draft_plan("CN-0001", "36000", currency="CNY", agreed_on=dt.date(2026, 6, 1), first_due=dt.date(2026, 7, 1),
                      count=36, skip_holidays=policy.skip_holidays)
    notes = policy.holiday_notes(long)
    assert len(notes) == 2 and "2027" in notes[0]["en"] and "2028, 2029" in notes[1]["en"]
    assert PlanPolicy.bundled("UK").holiday_notes(long) == []
