"""PlanPolicy from the rule packs and evaluate_plan: refused, pending approval, justification, stable verdicts."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.core.formcheck import check_dir
from fieldapp.core.forms import FormError, bundled_forms
from fieldapp.core.plans import (
    ACTIVE,
    NEEDS_JUSTIFICATION,
    PENDING_APPROVAL,
    REFUSED,
    WITHIN_AUTHORITY,
    PlanError,
    PlanPolicy,
    draft_plan,
    evaluate_plan,
)
from fieldapp.core.rules import PolicyError, RulePack
from fieldapp.core.scripts import placeholders_in

D = Decimal
AGREED = dt.date(2026, 1, 20)
PLACEHOLDERS = {
    "max_term": {"months", "term_months"},
    "min_instalment": {"min_amount", "number", "amount", "count"},
    "max_waiver": {"waiver", "percent", "max_amount", "max_percent"},
    "affordability": {"max_percent", "monthly", "instalment", "disposable", "limit"},
}


def cn_plan(total: str = "12000.00", **kwargs) -> object:
    args = dict(currency="CNY", agreed_on=AGREED, first_due=dt.date(2026, 1, 31), count=6)
    args.update(kwargs)
    return draft_plan("CN-0001", total, **args)


def uk_plan(**kwargs) -> object:
    args = dict(currency="GBP", agreed_on=AGREED, first_due=dt.date(2026, 2, 1), count=12)
    args.update(kwargs)
    return draft_plan("UK-0001", "2400.00", **args)


def by_id(verdict) -> dict:
    return {c.rule_id: c for c in verdict.checks}


# ------------------------------------------------------------------ the bundled packs
@pytest.mark.parametrize("jurisdiction, currency", [("CN", "CNY"), ("US", "USD"), ("IN", "INR"), ("UK", "GBP")])
def test_every_bundled_pack_has_a_plan_policy(jurisdiction: str, currency: str) -> None:
    policy = PlanPolicy.bundled(jurisdiction)
    assert policy.currency == currency and policy.jurisdiction == jurisdiction
    assert {c.type for c in policy.checks} == {"max_term", "min_instalment", "max_waiver", "affordability"}
    assert [c.id for c in policy.checks] == sorted(c.id for c in policy.checks)
    for check in policy.checks:
        for texts in (check.title, check.reason):
            assert set(texts) == {"zh-CN", "en"}
            for text in texts.values():
                assert placeholders_in(text) <= PLACEHOLDERS[check.type], (check.id, text)


def test_only_the_uk_requires_a_hard_affordability_check() -> None:
    for jurisdiction in ("CN", "US", "IN", "UK"):
        (afford,) = [c for c in PlanPolicy.bundled(jurisdiction).checks if c.type == "affordability"]
        assert (afford.severity, afford.requires_declaration) == (
            ("hard", True) if jurisdiction == "UK" else ("soft", False))


def test_the_forms_check_still_passes_with_plans_sections() -> None:
    problems, count = check_dir()
    assert problems == [] and count >= 9


# ------------------------------------------------------------------ verdicts
def test_a_plain_plan_is_within_the_collectors_authority() -> None:
    verdict = evaluate_plan(cn_plan(), PlanPolicy.bundled("CN"))
    assert verdict.status == WITHIN_AUTHORITY and not verdict.failed and not verdict.flag_for_lead
    assert all(c.passed and c.reason["zh-CN"] and c.reason["en"] for c in verdict.checks)
    assert by_id(verdict)["CN-PL3"].reason["en"] == "Each instalment is at least ¥100.00 (except the last)"
    assert verdict.status_after_signing() == ACTIVE


def test_a_waiver_beyond_authority_goes_to_the_team_lead_not_an_error() -> None:
    verdict = evaluate_plan(cn_plan(waiver="3000.00"), PlanPolicy.bundled("CN"))
    assert verdict.status == PENDING_APPROVAL and verdict.pending_approval and not verdict.refused
    (failed,) = verdict.failed
    assert failed.rule_id == "CN-PL4" and failed.severity == "approval"
    assert "¥3,000.00" in failed.reason["zh-CN"] and "25%" in failed.reason["en"]
    assert verdict.status_after_signing() == PENDING_APPROVAL
    # within both the amount and the percentage, the collector decides alone
    assert evaluate_plan(cn_plan(waiver="2400.00"), PlanPolicy.bundled("CN")).status == WITHIN_AUTHORITY
    # the amount limit binds on a large debt even below the percentage
    big = evaluate_plan(cn_plan("100000.00", waiver="5000.01"), PlanPolicy.bundled("CN"))
    assert [c.rule_id for c in big.failed] == ["CN-PL4"]


def test_a_term_beyond_authority_needs_approval_and_beyond_the_maximum_is_refused() -> None:
    policy = PlanPolicy.bundled("CN")
    eighteen = evaluate_plan(cn_plan(count=18), policy)
    assert eighteen.status == PENDING_APPROVAL and [c.rule_id for c in eighteen.failed] == ["CN-PL2"]
    assert "18" in eighteen.failed[0].reason["en"]
    forty = evaluate_plan(cn_plan(count=40), policy)
    assert forty.status == REFUSED and [c.rule_id for c in forty.failed] == ["CN-PL1", "CN-PL2"]
    assert "40" in forty.failed[0].reason["zh-CN"] and "36" in forty.failed[0].reason["zh-CN"]
    with pytest.raises(PlanError, match="maximum"):
        forty.status_after_signing("the debtor insisted")


def test_instalments_below_the_minimum_are_refused_except_the_last() -> None:
    policy = PlanPolicy.bundled("CN")
    small = evaluate_plan(cn_plan("500.00", count=6), policy)
    assert small.refused and small.failed[0].rule_id == "CN-PL3"
    assert small.failed[0].reason["en"] == "Instalment 1 of ¥83.33 is below the minimum instalment of ¥100.00."
    tail = evaluate_plan(cn_plan("1050.00", count=None, instalment="100.00"), policy)
    assert tail.status == WITHIN_AUTHORITY  # the eleventh instalment is ¥50: the last may be smaller


def test_affordability_is_soft_in_cn_and_needs_a_justification() -> None:
    policy = PlanPolicy.bundled("CN")
    tight = cn_plan(declared_income="5000.00", declared_expenses="2000.00")  # ¥2,000 a month vs 50% of ¥3,000
    verdict = evaluate_plan(tight, policy)
    assert verdict.status == NEEDS_JUSTIFICATION and verdict.needs_justification
    check = by_id(verdict)["CN-PL5"]
    assert not check.passed and "¥2,000.00" in check.reason["zh-CN"] and "¥1,500.00" in check.reason["en"]
    assert not verdict.permits() and not verdict.permits("  ")
    assert verdict.permits("spouse's income pays half") and verdict.status_after_signing("spouse pays half") == ACTIVE
    with pytest.raises(PlanError):
        verdict.status_after_signing()
    # not declared: not assessed, not failed, in CN
    assert by_id(evaluate_plan(cn_plan(), policy))["CN-PL5"].passed


def test_affordability_failing_in_the_uk_refuses_the_plan() -> None:
    policy = PlanPolicy.bundled("UK")
    unaffordable = evaluate_plan(uk_plan(declared_income="1500.00", declared_expenses="1380.00"), policy)
    assert unaffordable.status == REFUSED
    (failed,) = unaffordable.failed
    assert failed.rule_id == "UK4-AFF" and failed.severity == "hard"
    assert "£200.00" in failed.reason["en"] and "£120.00" in failed.reason["en"]
    # no declaration at all: the UK requires one
    undeclared = evaluate_plan(uk_plan(), policy)
    assert undeclared.refused and undeclared.failed[0].rule_id == "UK4-AFF"
    assert "declared" in undeclared.failed[0].reason["en"] and undeclared.failed[0].reason["zh-CN"]
    # a longer plan at £100 a month fits the £120 the customer has left
    affordable = evaluate_plan(uk_plan(count=24, declared_income="1500.00", declared_expenses="1380.00"), policy)
    assert not affordable.refused and affordable.status == WITHIN_AUTHORITY


def test_weekly_instalments_are_compared_as_a_monthly_amount() -> None:
    policy = PlanPolicy.bundled("UK")
    # £28 a week is £121.33 a month: just over the £120 disposable income
    weekly = uk_plan(frequency="weekly", count=None, instalment="28.00", first_due=dt.date(2026, 1, 27),
                     declared_income="1500.00", declared_expenses="1380.00")
    assert evaluate_plan(weekly, policy).refused
    ok = uk_plan(frequency="weekly", count=None, instalment="27.69", first_due=dt.date(2026, 1, 27),
                 declared_income="1500.00", declared_expenses="1380.00")
    assert evaluate_plan(ok, policy).status == WITHIN_AUTHORITY  # £119.99 a month over 87 weeks (20 months)


def test_a_plan_in_another_currency_is_an_error() -> None:
    with pytest.raises(PlanError, match="GBP"):
        evaluate_plan(cn_plan(), PlanPolicy.bundled("UK"))


# ------------------------------------------------------------------ lender policy: stricter only
def test_a_lender_may_tighten_the_collectors_authority() -> None:
    override = {"kind": "rule_override", "id": "acme", "jurisdiction": "CN", "version": "1",
                "title": {"zh-CN": "某贷款方", "en": "ACME"},
                "rules": [{"id": "CN2", "max": 2}],
                "plans": {"checks": [{"id": "CN-PL4", "max_amount": "1000.00", "max_percent": "5"},
                                     {"id": "CN-PL5", "severity": "approval"}]}}
    pack = RulePack.bundled("CN").with_override(override)
    policy = PlanPolicy.from_rule_pack(pack)
    assert policy.check("CN-PL4").max_amount == D("1000.00") and policy.check("CN-PL5").severity == "approval"
    assert evaluate_plan(cn_plan(waiver="1200.00"), policy).status == PENDING_APPROVAL
    assert evaluate_plan(cn_plan(waiver="1200.00"), PlanPolicy.bundled("CN")).status == WITHIN_AUTHORITY
    # a plans section alone is also accepted as lender configuration
    direct = PlanPolicy.from_rule_pack(RulePack.bundled("CN"), {"checks": [{"id": "CN-PL2", "months": 6}]})
    assert evaluate_plan(cn_plan(count=8), direct).status == PENDING_APPROVAL


@pytest.mark.parametrize("change", [
    {"id": "CN-PL1", "months": 48},
    {"id": "CN-PL3", "min_amount": "50.00"},
    {"id": "CN-PL4", "max_percent": "30"},
    {"id": "CN-PL4", "max_amount": "9000"},
    {"id": "CN-PL1", "severity": "approval"},
    {"id": "CN-PL4", "severity": "soft"},
    {"id": "CN-PL5", "max_percent": "80"},
    {"id": "CN-PL1", "type": "min_instalment"},
    {"id": "CN-PL1", "remove": True},
    {"id": "CN-PL1", "months": "many"},
])
def test_a_lender_may_not_loosen_a_plan_check(change: dict) -> None:
    with pytest.raises(PolicyError):
        PlanPolicy.from_rule_pack(RulePack.bundled("CN"), {"checks": [change]})


def test_uk_affordability_cannot_be_switched_off_by_a_lender() -> None:
    with pytest.raises(PolicyError, match="requires_declaration"):
        PlanPolicy.from_rule_pack(RulePack.bundled("UK"), {"checks": [{"id": "UK4-AFF", "requires_declaration": False}]})


def test_a_loosening_override_file_is_reported_by_the_forms_check(tmp_path: Path) -> None:
    import shutil
    from importlib.resources import as_file

    with as_file(bundled_forms()) as source:
        shutil.copytree(source, tmp_path / "forms")
    (tmp_path / "forms" / "rules" / "acme-cn.yaml").write_text("""kind: rule_override
id: acme
jurisdiction: CN
version: "1"
title: {zh-CN: 某贷款方, en: ACME}
rules:
  - {id: CN2, max: 2}
plans:
  checks:
    - {id: CN-PL4, max_percent: "40"}
""", encoding="utf-8")
    problems, _ = check_dir(tmp_path / "forms")
    assert len(problems) == 1 and problems[0].line == 8 and "CN-PL4" in problems[0].message


def test_a_pack_without_plans_has_no_plan_policy() -> None:
    data = copy.deepcopy(RulePack.bundled("CN").data)
    del data["plans"]
    with pytest.raises(FormError, match="no plans section"):
        PlanPolicy.from_rule_pack(data)


# ------------------------------------------------------------------ stable under re-ordering
PACK_DATA = {j: RulePack.bundled(j).data for j in ("CN", "UK")}
plans_inputs = st.fixed_dictionaries({
    "count": st.integers(1, 48),
    "waiver": st.integers(0, 600000).map(lambda f: D(f).scaleb(-2)),
    "income": st.none() | st.integers(0, 3_000_000).map(lambda f: D(f).scaleb(-2)),
    "expenses": st.integers(0, 2_000_000).map(lambda f: D(f).scaleb(-2)),
    "frequency": st.sampled_from(["weekly", "fortnightly", "monthly"]),
})


@settings(max_examples=150, deadline=None)
@given(args=plans_inputs, seed=st.randoms(use_true_random=False), jurisdiction=st.sampled_from(["CN", "UK"]))
def test_verdicts_do_not_depend_on_the_order_of_checks_or_instalments(args: dict, seed, jurisdiction: str) -> None:
    pack = copy.deepcopy(PACK_DATA[jurisdiction])
    shuffled = copy.deepcopy(pack)
    seed.shuffle(shuffled["plans"]["checks"])
    policy, reordered = PlanPolicy.from_rule_pack(pack), PlanPolicy.from_rule_pack(shuffled)
    currency = policy.currency
    plan = draft_plan("X-1", "12000.00", currency=currency, agreed_on=AGREED, first_due=dt.date(2026, 1, 31),
                      frequency=args["frequency"], count=args["count"], waiver=args["waiver"],
                      declared_income=args["income"],
                      declared_expenses=args["expenses"] if args["income"] is not None else None)
    items = list(plan.instalments)
    seed.shuffle(items)
    same_plan = type(plan)(**{**plan.__dict__, "instalments": tuple(items)})
    first, second = evaluate_plan(plan, policy), evaluate_plan(same_plan, reordered)
    assert first == second and first.to_dict() == second.to_dict()
    assert same_plan.content() == plan.content()


def test_a_new_plan_check_from_a_lender_must_be_whole() -> None:
    with pytest.raises(PolicyError, match="needs type"):
        PlanPolicy.from_rule_pack(RulePack.bundled("CN"), {"checks": [{"id": "CN-ACME1", "months": 6}]})
    extra = {"id": "CN-ACME1", "type": "max_term", "severity": "approval", "months": 6,
             "title": {"zh-CN": "期限不超过 {months} 个月", "en": "At most {months} months"},
             "reason": {"zh-CN": "期限 {term_months} 个月", "en": "{term_months} months"}}
    policy = PlanPolicy.from_rule_pack(RulePack.bundled("CN"), {"checks": [extra]})
    assert evaluate_plan(cn_plan(count=8), policy).failed[0].rule_id == "CN-ACME1"
