"""The lender's plan policy: holiday calendars, the rule pack's checks and their verdicts (:func:`evaluate_plan`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from fieldapp.core.forms import FormError, bundled_forms, load_yaml
from fieldapp.core.money import MoneyError, exponent
from fieldapp.core.plans.schedule import (
    ACTIVE,
    CHECK_SEVERITIES,
    CHECK_TYPES,
    NEEDS_JUSTIFICATION,
    PENDING_APPROVAL,
    PERIODS_PER_YEAR,
    REFUSED,
    WITHIN_AUTHORITY,
    PlanError,
    RepaymentPlan,
    _fmt,
    _money,
    _plain,
)
from fieldapp.core.rules import (
    PolicyError,
    RulePack,
    loosening_problems,
    merge_override,
)
from fieldapp.core.scripts import fill_placeholders


# ------------------------------------------------------------------------ holiday calendars
@dataclass(frozen=True)
class HolidayCalendar:
    """Public holidays (and weekend days made working days) of one jurisdiction, from ``forms/holidays``.

    Only the years listed are known; outside them no day is a holiday (:meth:`covers` tells).
    """

    id: str
    holidays: frozenset[dt.date] = field(repr=False)
    workdays: frozenset[dt.date] = field(default=frozenset(), repr=False)
    years: frozenset[int] = frozenset()
    provisional_years: frozenset[int] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HolidayCalendar:
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        years, provisional = set(), set()
        try:
            for year in data["years"]:
                years.add(int(year["year"]))
                if year.get("provisional"):
                    provisional.add(int(year["year"]))
                for span in year.get("holidays") or ():
                    day, end = dt.date.fromisoformat(span["from"]), dt.date.fromisoformat(span["to"])
                    if end < day:
                        raise ValueError(f"holiday {span.get('name')} ends before it starts")
                    while day <= end:
                        holidays.add(day)
                        day += dt.timedelta(days=1)
                workdays.update(dt.date.fromisoformat(d) for d in year.get("workdays") or ())
        except (KeyError, TypeError, ValueError) as exc:
            raise FormError(f"not a holiday calendar: {exc}") from None
        return cls(str(data["id"]), frozenset(holidays), frozenset(workdays), frozenset(years), frozenset(provisional))

    @classmethod
    def bundled(cls, calendar_id: str) -> HolidayCalendar:
        """``forms/holidays/<calendar_id>.yaml``."""
        return _bundled_calendar(calendar_id)

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.holidays

    def is_closed(self, day: dt.date, *, skip_weekends: bool = False) -> bool:
        """True if no payment should fall due on ``day``."""
        if day in self.holidays:
            return True
        return skip_weekends and day.weekday() >= 5 and day not in self.workdays


@lru_cache(maxsize=None)
def _bundled_calendar(calendar_id: str) -> HolidayCalendar:
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", calendar_id):
        raise FormError(f"bad holiday calendar id {calendar_id!r}")
    entry = bundled_forms() / "holidays" / f"{calendar_id}.yaml"
    if not entry.is_file():
        raise FormError(f"no holiday calendar {calendar_id!r} in forms/holidays")
    return HolidayCalendar.from_dict(load_yaml(entry.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------ policy
@dataclass(frozen=True)
class PlanRule:
    """One check of the pack's ``plans.checks``; amounts as Decimal in the policy's currency."""

    id: str
    type: str
    severity: str
    title: dict[str, str]
    reason: dict[str, str]
    months: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    max_percent: Decimal | None = None
    requires_declaration: bool = False
    source: str = ""

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], currency: str) -> PlanRule:
        try:
            kind, severity = str(raw["type"]), str(raw["severity"])
            if kind not in CHECK_TYPES:
                raise ValueError(f"unknown plan check type {kind!r}")
            if severity not in CHECK_SEVERITIES:
                raise ValueError(f"unknown severity {severity!r}")
            amount = lambda key: None if raw.get(key) is None else _money(raw[key], currency, key)  # noqa: E731
            percent = None if raw.get("max_percent") is None else Decimal(str(raw["max_percent"]))
            rule = cls(id=str(raw["id"]), type=kind, severity=severity,
                       title={str(k): str(v) for k, v in raw["title"].items()},
                       reason={str(k): str(v) for k, v in raw["reason"].items()},
                       months=None if raw.get("months") is None else int(raw["months"]),
                       min_amount=amount("min_amount"), max_amount=amount("max_amount"), max_percent=percent,
                       requires_declaration=bool(raw.get("requires_declaration", False)),
                       source=str(raw.get("source", "")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise FormError(f"plan check {raw.get('id', '?') if isinstance(raw, Mapping) else '?'}: {exc}") from None
        needed = {"max_term": rule.months, "min_instalment": rule.min_amount, "affordability": rule.max_percent,
                  "max_waiver": rule.max_amount if rule.max_amount is not None else rule.max_percent}[kind]
        if needed is None:
            raise FormError(f"plan check {rule.id}: a {kind} check needs its limit")
        return rule

    def params(self, currency: str) -> dict[str, str]:
        """This check's limits as placeholder values for its title and reason."""
        out: dict[str, str] = {}
        if self.months is not None:
            out["months"] = str(self.months)
        for key in ("min_amount", "max_amount"):
            value = getattr(self, key)
            out[key] = _fmt(value, currency) if value is not None else "—"
        out["max_percent"] = _plain(self.max_percent) if self.max_percent is not None else "—"
        return out


@dataclass(frozen=True)
class PlanPolicy:
    """The plan checks of one rule pack (as tightened by the lender), in a stable order (by id)."""

    jurisdiction: str
    currency: str
    checks: tuple[PlanRule, ...]
    holiday_calendar: HolidayCalendar | None = None
    skip_weekends: bool = False
    version: str = ""

    def __post_init__(self) -> None:
        ids = [c.id for c in self.checks]
        if len(ids) != len(set(ids)):
            raise FormError(f"plan check ids are used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
        object.__setattr__(self, "checks", tuple(sorted(self.checks, key=lambda c: c.id)))

    @classmethod
    def from_rule_pack(cls, pack: RulePack | Mapping[str, Any], lender: Mapping[str, Any] | None = None) -> PlanPolicy:
        """The policy of ``pack`` (a RulePack or its data), optionally tightened by ``lender``.

        ``lender`` is a rule override (``kind: rule_override`` with a ``plans:`` section) or just a
        plans section (``{"checks": [...]}``). PolicyError if it would loosen any check.
        """
        data = dict(pack.data if isinstance(pack, RulePack) else pack)
        if lender is not None:
            override = dict(lender) if lender.get("kind") == "rule_override" else {
                "id": "lender", "version": "", "jurisdiction": data.get("jurisdiction"), "plans": dict(lender)}
            problems = loosening_problems(data, override)
            if problems:
                raise PolicyError(problems)
            data = merge_override(data, override)
        section = data.get("plans")
        if not isinstance(section, Mapping):
            raise FormError(f"the {data.get('jurisdiction')} rule pack has no plans section")
        try:
            currency = str(section["currency"]).upper()
            exponent(currency)
            checks = tuple(PlanRule.from_dict(c, currency) for c in section["checks"])
        except (KeyError, TypeError, MoneyError) as exc:
            raise FormError(f"plans section: {exc}") from None
        holidays = section.get("holidays") or None
        return cls(jurisdiction=str(data.get("jurisdiction", "")), currency=currency, checks=checks,
                   holiday_calendar=HolidayCalendar.bundled(str(holidays["calendar"])) if holidays else None,
                   skip_weekends=bool(holidays.get("skip_weekends", False)) if holidays else False,
                   version=str(data.get("version", "")))

    @classmethod
    def bundled(cls, jurisdiction: str) -> PlanPolicy:
        return cls.from_rule_pack(RulePack.bundled(jurisdiction))

    def is_closed(self, day: dt.date) -> bool:
        """True if a due date should move off ``day`` (a public holiday, or a weekend if the pack says so)."""
        if self.holiday_calendar is None:
            return self.skip_weekends and day.weekday() >= 5
        return self.holiday_calendar.is_closed(day, skip_weekends=self.skip_weekends)

    @property
    def skip_holidays(self) -> Callable[[dt.date], bool] | None:
        """What to pass as ``schedule_instalments(skip_holidays=...)``: None if the pack moves no dates."""
        return self.is_closed if (self.holiday_calendar is not None or self.skip_weekends) else None

    def holiday_notes(self, plan: RepaymentPlan) -> list[dict[str, str]]:
        """Notes (zh-CN and en) for due dates the holiday calendar cannot vouch for: a year not yet
        published (provisional: statutory days only) or not listed at all (no date is moved)."""
        calendar = self.holiday_calendar
        if calendar is None:
            return []
        years = sorted({i.due_on.year for i in plan.regular_instalments})
        notes = []
        unknown = [y for y in years if y not in calendar.years]
        provisional = [y for y in years if y in calendar.provisional_years]
        if provisional:
            text = "、".join(map(str, provisional))
            notes.append({"zh-CN": f"{text} 年的节假日调休安排尚未公布，仅按法定假日顺延到期日。",
                          "en": f"The holiday arrangement for {', '.join(map(str, provisional))} is not yet published; "
                                "due dates move only off the statutory holidays."})
        if unknown:
            text = "、".join(map(str, unknown))
            notes.append({"zh-CN": f"{text} 年没有节假日数据，到期日未因节假日顺延。",
                          "en": f"No holiday data for {', '.join(map(str, unknown))}; due dates in it are not moved."})
        return notes

    def check(self, rule_id: str) -> PlanRule:
        for rule in self.checks:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def min_instalment(self) -> Decimal | None:
        """The strictest hard minimum instalment (for the editor's hints)."""
        values = [c.min_amount for c in self.checks if c.type == "min_instalment" and c.min_amount is not None]
        return max(values) if values else None


@dataclass(frozen=True)
class PlanCheck:
    """One check's result: passed or not, with the rule id and a reason in zh-CN and en."""

    rule_id: str
    type: str
    severity: str
    passed: bool
    reason: dict[str, str]
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "type": self.type, "severity": self.severity, "passed": self.passed,
                "reason": dict(self.reason), "detail": dict(self.detail)}


@dataclass(frozen=True)
class PlanVerdict:
    """Every check of the policy on one plan, and what follows from them.

    ``status``: ``refused`` (a hard check failed; the plan cannot be signed as it is),
    ``pending_approval`` (beyond the collector's authority; the team lead decides),
    ``needs_justification`` (a soft check failed; the collector writes why, the plan is flagged) or
    ``within_authority``.
    """

    status: str
    checks: tuple[PlanCheck, ...]

    @property
    def failed(self) -> tuple[PlanCheck, ...]:
        return tuple(c for c in self.checks if not c.passed)

    @property
    def refused(self) -> bool:
        return self.status == REFUSED

    @property
    def pending_approval(self) -> bool:
        return self.status == PENDING_APPROVAL

    @property
    def needs_justification(self) -> bool:
        """A soft check failed (even if the plan also needs approval): a written reason is required."""
        return any(c.severity == "soft" for c in self.failed)

    @property
    def flag_for_lead(self) -> bool:
        return bool(self.failed)

    def permits(self, justification: str | None = None) -> bool:
        """True if the plan may be signed: not refused, and justified if a soft check failed."""
        return not self.refused and (not self.needs_justification or bool(justification and justification.strip()))

    def status_after_signing(self, justification: str | None = None) -> str:
        """``pending_approval`` or ``active``: where a signed plan goes next. PlanError if it may not be signed."""
        if self.refused:
            first = next(c for c in self.failed if c.severity == "hard")
            raise PlanError(first.reason.get("en", "refused by policy"), first.reason.get("zh-CN"))
        if not self.permits(justification):
            raise PlanError("a soft plan check failed: write down why the plan still goes ahead",
                            "计划未通过一项需说明理由的检查，请写明理由")
        return PENDING_APPROVAL if self.pending_approval else ACTIVE

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "checks": [c.to_dict() for c in self.checks]}


def _filled(texts: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, str]:
    return {lang: fill_placeholders(text, values) for lang, text in texts.items()}


def _check_max_term(rule: PlanRule, plan: RepaymentPlan) -> tuple[bool, dict[str, Any]]:
    return plan.term_months <= (rule.months or 0), {"term_months": plan.term_months}


def _check_min_instalment(rule: PlanRule, plan: RepaymentPlan) -> tuple[bool, dict[str, Any]]:
    low = [i for i in plan.regular_instalments[:-1] if rule.min_amount is not None and i.amount < rule.min_amount]
    if not low:
        return True, {}
    return False, {"number": low[0].number, "amount": _fmt(low[0].amount, plan.currency), "count": len(low)}


def _check_max_waiver(rule: PlanRule, plan: RepaymentPlan) -> tuple[bool, dict[str, Any]]:
    percent = (plan.waiver * 100 / plan.total_due).quantize(Decimal("0.01"), ROUND_HALF_UP)
    detail = {"waiver": _fmt(plan.waiver, plan.currency), "percent": _plain(percent)}
    ok = (rule.max_amount is None or plan.waiver <= rule.max_amount) and (
        rule.max_percent is None or plan.waiver * 100 <= rule.max_percent * plan.total_due)
    return ok, detail


_UNDECLARED = {"zh-CN": "债务人未申报收入和支出，无法评估可负担性。",
               "en": "The debtor has not declared income and expenses, so affordability cannot be assessed."}
_NOT_ASSESSED = {"zh-CN": "未申报收支，未评估可负担性。", "en": "No income and expenses declared; affordability not assessed."}


def _check_affordability(rule: PlanRule, plan: RepaymentPlan) -> tuple[bool, dict[str, Any]]:
    disposable = plan.disposable_income
    if disposable is None:
        return (not rule.requires_declaration), {"declared": False}
    regular = plan.regular_instalments
    if not regular:
        return True, {"declared": True}
    largest = max(i.amount for i in regular)
    per_year = PERIODS_PER_YEAR[plan.frequency]
    percent = rule.max_percent or Decimal(0)
    # exact: instalment × periods a year ≤ share × disposable × 12 (no division, no rounding)
    ok = largest * per_year * 100 <= percent * disposable * 12
    cents = Decimal(1).scaleb(-exponent(plan.currency))
    monthly = (largest * per_year / 12).quantize(cents, ROUND_HALF_UP)
    limit = max(disposable * percent / 100, Decimal(0)).quantize(cents, ROUND_HALF_UP)
    return ok, {"declared": True, "instalment": _fmt(largest, plan.currency), "monthly": _fmt(monthly, plan.currency),
                "disposable": _fmt(disposable, plan.currency) if disposable >= 0 else f"-{_fmt(-disposable, plan.currency)}",
                "limit": _fmt(limit, plan.currency)}


_CHECKERS = {"max_term": _check_max_term, "min_instalment": _check_min_instalment, "max_waiver": _check_max_waiver,
             "affordability": _check_affordability}


def evaluate_plan(plan: RepaymentPlan, policy: PlanPolicy) -> PlanVerdict:
    """Run every check of ``policy`` on ``plan``; the result does not depend on the checks' order."""
    if plan.currency != policy.currency:
        raise PlanError(f"the plan is in {plan.currency} but the {policy.jurisdiction} policy is in {policy.currency}",
                        f"计划币种 {plan.currency} 与规则包币种 {policy.currency} 不一致")
    results: list[PlanCheck] = []
    for rule in sorted(policy.checks, key=lambda c: c.id):
        passed, detail = _CHECKERS[rule.type](rule, plan)
        values = {**rule.params(plan.currency), **detail}
        if rule.type == "affordability" and not detail.get("declared"):
            reason = dict(_NOT_ASSESSED if passed else _UNDECLARED)
        else:
            reason = _filled(rule.title if passed else rule.reason, values)
        results.append(PlanCheck(rule.id, rule.type, rule.severity, passed, reason, detail))
    failed = {c.severity for c in results if not c.passed}
    status = (REFUSED if "hard" in failed else PENDING_APPROVAL if "approval" in failed
              else NEEDS_JUSTIFICATION if "soft" in failed else WITHIN_AUTHORITY)
    return PlanVerdict(status, tuple(results))
