"""Repayment plans: exact schedules, the lender's plan policy, approval status, sealing and payments.

Everything here is Qt-free and exact: amounts are :class:`~decimal.Decimal` in the currency's
places (never floats) and integer minor units on the wire (``*_minor`` keys); dates are ISO strings.

How a plan adds up (the convention every screen, PDF and import relies on)::

    agreed total = total due − waiver
    instalment 0 = the down payment, due on the day the plan is agreed (only if there is one)
    instalments 1..n = the rest, weekly, fortnightly or monthly from the first due date;
                       equal amounts, the last one absorbs the rounding (it is never smaller)
    sum of all instalments == agreed total, always

Monthly due dates are computed from the first due date's day of the month, never chained from the
previous instalment: 31 Jan → 28/29 Feb → 31 Mar → 30 Apr. A due date that falls on a public holiday
of the rule pack's calendar moves to the next business day, and due dates stay strictly increasing.

The policy (:class:`PlanPolicy`) comes from the rule pack's ``plans:`` section, tightened by a lender
policy; :func:`evaluate_plan` lists every check with its rule id and a reason in zh-CN and en. A check
of severity ``hard`` refuses the plan, ``approval`` sends it to the team lead (pending approval — not
an error), ``soft`` asks the collector for a written justification and flags the plan.

Sealing (:func:`seal_plan`) hashes the canonical agreement plus both signatures' hashes with SHA-256.
The seal covers the agreement, not its lifecycle: the status (approved, active, broken…) changes
on the record while the sealed content never does. A change to the agreement is a new plan that
supersedes the old one (:func:`supersede`); both stay on record.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import hashlib
import hmac
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Union

from fieldapp.core.canonical import canonical_json, content_hash
from fieldapp.core.forms import FormError, bundled_forms, load_yaml
from fieldapp.core.money import MoneyError, exponent, format_amount, from_minor, parse_amount, to_minor
from fieldapp.core.rules import PolicyError, RulePack, loosening_problems, merge_override
from fieldapp.core.scripts import fill_placeholders

FREQUENCIES = ("weekly", "fortnightly", "monthly")
PERIODS_PER_YEAR = {"weekly": 52, "fortnightly": 26, "monthly": 12}
FREQUENCY_LABELS = {
    "weekly": {"zh-CN": "每周", "en": "weekly"},
    "fortnightly": {"zh-CN": "每两周", "en": "fortnightly"},
    "monthly": {"zh-CN": "每月", "en": "monthly"},
}
#: No schedule runs longer than this many instalments (a typo such as ¥0.01 a week is refused).
MAX_INSTALMENTS = 600

# ------------------------------------------------------------------------ plan statuses (§5)
DRAFT, SIGNED, PENDING_APPROVAL, APPROVED, REJECTED = "draft", "signed", "pending_approval", "approved", "rejected"
ACTIVE, KEPT, BROKEN, COMPLETED = "active", "kept", "broken", "completed"
STATUSES = (DRAFT, SIGNED, PENDING_APPROVAL, APPROVED, REJECTED, ACTIVE, KEPT, BROKEN, COMPLETED)
#: Allowed status changes. A plan within the collector's authority goes signed → active directly;
#: one beyond it waits for the lead. A broken plan that catches up is kept again.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SIGNED}),
    SIGNED: frozenset({PENDING_APPROVAL, ACTIVE}),
    PENDING_APPROVAL: frozenset({APPROVED, REJECTED}),
    APPROVED: frozenset({ACTIVE}),
    REJECTED: frozenset(),
    ACTIVE: frozenset({KEPT, BROKEN, COMPLETED}),
    KEPT: frozenset({BROKEN, COMPLETED}),
    BROKEN: frozenset({KEPT, COMPLETED}),
    COMPLETED: frozenset(),
}
STATUS_LABELS = {
    DRAFT: {"zh-CN": "草稿", "en": "draft"}, SIGNED: {"zh-CN": "已签署", "en": "signed"},
    PENDING_APPROVAL: {"zh-CN": "待审批", "en": "pending approval"}, APPROVED: {"zh-CN": "已批准", "en": "approved"},
    REJECTED: {"zh-CN": "已驳回", "en": "rejected"}, ACTIVE: {"zh-CN": "执行中", "en": "active"},
    KEPT: {"zh-CN": "按期履行", "en": "kept"}, BROKEN: {"zh-CN": "已违约", "en": "broken"},
    COMPLETED: {"zh-CN": "已结清", "en": "completed"},
}

# ------------------------------------------------------------------------ verdicts
WITHIN_AUTHORITY, NEEDS_JUSTIFICATION, REFUSED = "within_authority", "needs_justification", "refused"
CHECK_TYPES = ("max_term", "min_instalment", "max_waiver", "affordability")
CHECK_SEVERITIES = ("hard", "approval", "soft")

SkipHolidays = Union[Callable[[dt.date], bool], Iterable[dt.date], None]


class PlanError(ValueError):
    """A plan, promise or status change that cannot be made; ``reason`` holds zh-CN and en."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.reason = {"zh-CN": zh or en, "en": en}


def _money(value: Any, currency: str, what: str) -> Decimal:
    """An amount in the currency's places; refuses floats, negatives and extra decimals."""
    if isinstance(value, float):
        raise TypeError(f"{what}: amounts are never floats")
    if isinstance(value, bool):
        raise TypeError(f"{what}: not an amount")
    try:
        return parse_amount(str(value), currency)
    except MoneyError as exc:
        raise PlanError(f"{what}: {exc}", f"{_ZH_WHAT.get(what, what)}金额无效：{exc}") from None


_ZH_WHAT = {"total due": "欠款总额", "waiver": "减免", "down payment": "首付款", "instalment": "每期金额",
            "declared income": "申报收入", "declared expenses": "申报支出", "promise": "承诺还款",
            "payment": "还款"}


def _fmt(amount: Decimal, currency: str) -> str:
    return format_amount(to_minor(amount, currency), currency)


def _plain(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 20 → "20", 12.50 → "12.5"."""
    text = format(number.normalize(), "f")
    return text


# ------------------------------------------------------------------------ dates
def add_months(anchor: dt.date, months: int, *, day: int | None = None) -> dt.date:
    """``anchor`` plus ``months`` calendar months, on ``day`` (default the anchor's) or the month's last day.

    Always computed from the anchor, never chained: 31 Jan + 1 → 28/29 Feb, 31 Jan + 2 → 31 Mar.
    """
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day or anchor.day, last))


def nominal_due_dates(first_due: dt.date, frequency: str, count: int) -> list[dt.date]:
    """The due dates before any holiday is skipped: every 7 or 14 days, or monthly from the anchor day."""
    if frequency not in FREQUENCIES:
        raise PlanError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}", f"未知的还款频率 {frequency!r}")
    if frequency == "monthly":
        return [add_months(first_due, k) for k in range(count)]
    step = 7 if frequency == "weekly" else 14
    return [first_due + dt.timedelta(days=step * k) for k in range(count)]


def closed_day_predicate(skip_holidays: SkipHolidays) -> Callable[[dt.date], bool] | None:
    """A set of dates or a callable (True: no payment is due that day) as one predicate; None: skip nothing."""
    if skip_holidays is None:
        return None
    if callable(skip_holidays):
        return skip_holidays
    days = frozenset(skip_holidays)
    return days.__contains__


def due_dates(first_due: dt.date, frequency: str, count: int, *, skip_holidays: SkipHolidays = None,
              after: dt.date | None = None) -> list[dt.date]:
    """The ``count`` due dates of a schedule, moved off closed days, strictly increasing (and after ``after``)."""
    closed = closed_day_predicate(skip_holidays)
    out: list[dt.date] = []
    previous = after
    for nominal in nominal_due_dates(first_due, frequency, count):
        day = nominal if previous is None or nominal > previous else previous + dt.timedelta(days=1)
        if closed is not None:
            for _ in range(366):
                if not closed(day):
                    break
                day += dt.timedelta(days=1)
            else:
                raise PlanError(f"no business day within a year after {nominal}", f"{nominal} 之后一年内没有工作日")
        out.append(day)
        previous = day
    return out


# ------------------------------------------------------------------------ instalments
@dataclass(frozen=True, order=True)
class Instalment:
    """One due payment. Number 0 is the down payment; 1..n the regular instalments."""

    number: int
    due_on: dt.date
    amount: Decimal

    def to_wire(self, currency: str) -> dict[str, Any]:
        return {"number": self.number, "due_on": self.due_on.isoformat(), "amount_minor": to_minor(self.amount, currency)}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], currency: str) -> Instalment:
        return cls(int(data["number"]), dt.date.fromisoformat(data["due_on"]), from_minor(int(data["amount_minor"]), currency))


def schedule_instalments(total: Decimal | int | str, *, currency: str = "CNY", waiver: Decimal | int | str = 0,
                         down_payment: Decimal | int | str = 0, frequency: str = "monthly", count: int | None = None,
                         instalment: Decimal | int | str | None = None, first_due: dt.date,
                         agreed_on: dt.date | None = None, skip_holidays: SkipHolidays = None) -> list[Instalment]:
    """The instalments of a plan for ``total`` due: they always sum exactly to ``total − waiver``.

    Give either ``count`` (equal instalments, rounded down to the minor unit; the last absorbs the
    rest) or ``instalment`` (that amount each; the last is the remainder, never more). A down payment
    is instalment 0, due on ``agreed_on`` (required then, and before ``first_due``). ``skip_holidays``
    is a set of dates or a predicate (e.g. :meth:`PlanPolicy.is_closed`); a due date on such a day
    moves to the next open day. Raises PlanError (reason in zh-CN and en) for impossible inputs.
    """
    currency = currency.upper()
    exponent(currency)
    total_d = _money(total, currency, "total due")
    waiver_d = _money(waiver, currency, "waiver")
    down_d = _money(down_payment, currency, "down payment")
    if total_d <= 0:
        raise PlanError("the total due must be more than zero", "欠款总额必须大于零")
    if waiver_d + down_d > total_d:
        raise PlanError("waiver and down payment together exceed the total due", "减免与首付款之和超过欠款总额")
    if frequency not in FREQUENCIES:
        raise PlanError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}", f"未知的还款频率 {frequency!r}")
    remaining = to_minor(total_d - waiver_d - down_d, currency)
    if remaining and (count is None) == (instalment is None):
        raise PlanError("give either the number of instalments or the instalment amount", "请给出期数或每期金额（二选一）")
    amounts: list[int] = []
    if remaining and count is not None:
        if isinstance(count, bool) or int(count) != count or count < 1:
            raise PlanError("the number of instalments must be a whole number of at least 1", "期数必须是不小于 1 的整数")
        if count > MAX_INSTALMENTS:
            raise PlanError(f"more than {MAX_INSTALMENTS} instalments", f"期数超过 {MAX_INSTALMENTS}")
        base = remaining // count
        if base == 0:
            raise PlanError("too many instalments: each would be zero", "期数过多，每期金额为零")
        amounts = [base] * (count - 1) + [remaining - base * (count - 1)]
    elif remaining:
        each = to_minor(_money(instalment, currency, "instalment"), currency)
        if each <= 0:
            raise PlanError("the instalment amount must be more than zero", "每期金额必须大于零")
        n = -(-remaining // each)  # ceiling, exact on integers
        if n > MAX_INSTALMENTS:
            raise PlanError(f"more than {MAX_INSTALMENTS} instalments", f"期数超过 {MAX_INSTALMENTS}")
        amounts = [each] * (n - 1) + [remaining - each * (n - 1)]
    out: list[Instalment] = []
    if down_d > 0:
        if agreed_on is None:
            raise PlanError("a down payment needs the date the plan is agreed (it is due then)",
                            "有首付款时须给出签署日期（首付款当日到期）")
        if amounts and first_due <= agreed_on:
            raise PlanError("the first instalment must fall after the down payment", "第一期须晚于首付款日期")
        out.append(Instalment(0, agreed_on, down_d))
    dates = due_dates(first_due, frequency, len(amounts), skip_holidays=skip_holidays,
                      after=agreed_on if down_d > 0 else None)
    out += [Instalment(i + 1, day, from_minor(minor, currency)) for i, (day, minor) in enumerate(zip(dates, amounts))]
    return out


# ------------------------------------------------------------------------ the plan
def _new_id() -> str:
    return str(uuid.uuid4())


def _optional_money(value: Any, currency: str, what: str) -> Decimal | None:
    return None if value is None else _money(value, currency, what)


def _minor_or_none(value: Decimal | None, currency: str) -> int | None:
    return None if value is None else to_minor(value, currency)


@dataclass(frozen=True, kw_only=True)
class RepaymentPlan:
    """An agreed schedule for one case; immutable (status changes return a new object).

    ``declared_income`` and ``declared_expenses`` are the debtor's monthly figures, if declared
    (affordability is assessed only when both are given).
    ``justification`` is the collector's written reason for going ahead despite a soft check.
    """

    case_ref: str
    currency: str
    total_due: Decimal
    instalments: tuple[Instalment, ...]
    agreed_on: dt.date
    frequency: str = "monthly"
    waiver: Decimal = Decimal(0)
    down_payment: Decimal = Decimal(0)
    default_terms: str = ""
    language: str = "zh-CN"
    declared_income: Decimal | None = None
    declared_expenses: Decimal | None = None
    collector: str = ""
    justification: str = ""
    status: str = DRAFT
    supersedes: str | None = None
    policy_version: str = ""  # "CN/1.0.0+acme.1": the rule pack the plan was judged under (set at sealing)
    id: str = field(default_factory=_new_id)

    def __post_init__(self) -> None:
        currency = str(self.currency).upper()
        exponent(currency)
        put = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 - frozen dataclass
        put("currency", currency)
        put("total_due", _money(self.total_due, currency, "total due"))
        put("waiver", _money(self.waiver, currency, "waiver"))
        put("down_payment", _money(self.down_payment, currency, "down payment"))
        put("declared_income", _optional_money(self.declared_income, currency, "declared income"))
        put("declared_expenses", _optional_money(self.declared_expenses, currency, "declared expenses"))
        put("instalments", tuple(sorted(
            (Instalment(int(i.number), i.due_on, _money(i.amount, currency, "instalment")) for i in self.instalments),
            key=lambda i: i.number)))
        self._validate()

    def _validate(self) -> None:
        if not self.case_ref:
            raise PlanError("a plan needs its case reference", "还款计划缺少案件编号")
        if self.frequency not in FREQUENCIES:
            raise PlanError(f"unknown frequency {self.frequency!r}", f"未知的还款频率 {self.frequency!r}")
        if self.status not in STATUSES:
            raise PlanError(f"unknown plan status {self.status!r}", f"未知的计划状态 {self.status!r}")
        if self.total_due <= 0:
            raise PlanError("the total due must be more than zero", "欠款总额必须大于零")
        if self.waiver + self.down_payment > self.total_due:
            raise PlanError("waiver and down payment together exceed the total due", "减免与首付款之和超过欠款总额")
        numbers = [i.number for i in self.instalments]
        expected = ([0] if self.down_payment > 0 else []) + list(range(1, len(numbers) + (0 if self.down_payment > 0 else 1)))
        if numbers != expected:
            raise PlanError(f"instalments must be numbered {expected[:3]}…, not {numbers[:3]}…", "分期编号不连续")
        if self.down_payment > 0 and (self.instalments[0].amount != self.down_payment
                                      or self.instalments[0].due_on != self.agreed_on):
            raise PlanError("instalment 0 must be the down payment, due on the day the plan is agreed",
                            "第 0 期须为首付款，并于签署当日到期")
        if any(i.amount <= 0 for i in self.instalments):
            raise PlanError("every instalment must be more than zero", "每期金额必须大于零")
        if sum((i.amount for i in self.instalments), Decimal(0)) != self.agreed_total:
            raise PlanError(f"the instalments add up to {sum(i.amount for i in self.instalments)}, not the agreed "
                            f"total of {self.agreed_total}", "各期金额之和与约定还款总额不符")
        days = [i.due_on for i in self.instalments]
        if any(b <= a for a, b in zip(days, days[1:])):
            raise PlanError("due dates must be strictly increasing", "各期到期日必须依次递增")
        if days and days[0] < self.agreed_on:
            raise PlanError("an instalment falls before the plan is agreed", "有分期早于签署日期")

    # ------------------------------------------------------------ derived figures
    @property
    def agreed_total(self) -> Decimal:
        """What the debtor agrees to pay: the total due less the waiver."""
        return self.total_due - self.waiver

    @property
    def regular_instalments(self) -> tuple[Instalment, ...]:
        return tuple(i for i in self.instalments if i.number > 0)

    @property
    def last_due(self) -> dt.date:
        return self.instalments[-1].due_on if self.instalments else self.agreed_on

    @property
    def term_months(self) -> int:
        """Whole calendar months from the agreement to the last due date, rounded up."""
        months = 0
        while add_months(self.agreed_on, months) < self.last_due:
            months += 1
        return months

    @property
    def disposable_income(self) -> Decimal | None:
        if self.declared_income is None or self.declared_expenses is None:
            return None
        return self.declared_income - self.declared_expenses

    # ------------------------------------------------------------ lifecycle
    def with_status(self, status: str) -> RepaymentPlan:
        """The same plan in ``status``; PlanError unless PRODUCT.md §5 allows that change."""
        if status not in STATUSES:
            raise PlanError(f"unknown plan status {status!r}", f"未知的计划状态 {status!r}")
        if status not in TRANSITIONS[self.status]:
            raise PlanError(f"a {self.status} plan cannot become {status}",
                            f"计划状态不能从“{STATUS_LABELS[self.status]['zh-CN']}”变为“{STATUS_LABELS[status]['zh-CN']}”")
        return replace(self, status=status)

    # ------------------------------------------------------------ canonical form
    def content(self) -> dict[str, Any]:
        """The agreement as canonical JSON-safe data (minor units, ISO dates); what the seal covers.

        The status is not part of it: it is the plan's lifecycle on record, not what was signed.
        """
        cur = self.currency
        return {
            "schema": "fieldapp.repayment_plan/1", "id": self.id, "case_ref": self.case_ref, "currency": cur,
            "total_due_minor": to_minor(self.total_due, cur), "waiver_minor": to_minor(self.waiver, cur),
            "down_payment_minor": to_minor(self.down_payment, cur), "agreed_total_minor": to_minor(self.agreed_total, cur),
            "frequency": self.frequency, "agreed_on": self.agreed_on.isoformat(),
            "instalments": [i.to_wire(cur) for i in self.instalments],
            "default_terms": self.default_terms, "language": self.language,
            "declared_income_minor": _minor_or_none(self.declared_income, cur),
            "declared_expenses_minor": _minor_or_none(self.declared_expenses, cur),
            "collector": self.collector, "justification": self.justification, "supersedes": self.supersedes,
            "policy_version": self.policy_version,
        }

    def content_hash(self) -> str:
        return content_hash(self.content())

    def to_wire(self) -> dict[str, Any]:
        """:meth:`content` plus the status, for sync."""
        return {**self.content(), "status": self.status}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> RepaymentPlan:
        cur = str(data["currency"]).upper()
        money = lambda key: None if data.get(key) is None else from_minor(int(data[key]), cur)  # noqa: E731
        plan = cls(
            id=str(data["id"]), case_ref=str(data["case_ref"]), currency=cur, total_due=money("total_due_minor"),
            waiver=money("waiver_minor"), down_payment=money("down_payment_minor"), frequency=str(data["frequency"]),
            agreed_on=dt.date.fromisoformat(data["agreed_on"]),
            instalments=tuple(Instalment.from_wire(i, cur) for i in data["instalments"]),
            default_terms=str(data.get("default_terms", "")), language=str(data.get("language", "zh-CN")),
            declared_income=money("declared_income_minor"), declared_expenses=money("declared_expenses_minor"),
            collector=str(data.get("collector", "")), justification=str(data.get("justification", "")),
            status=str(data.get("status", DRAFT)), supersedes=data.get("supersedes"),
            policy_version=str(data.get("policy_version", "")),
        )
        if "agreed_total_minor" in data and to_minor(plan.agreed_total, cur) != int(data["agreed_total_minor"]):
            raise PlanError("agreed total does not match total due less waiver", "约定还款总额与欠款减去减免不符")
        return plan


def draft_plan(case_ref: str, total_due: Decimal | int | str, *, currency: str, agreed_on: dt.date,
               first_due: dt.date, frequency: str = "monthly", count: int | None = None,
               instalment: Decimal | int | str | None = None, waiver: Decimal | int | str = 0,
               down_payment: Decimal | int | str = 0, skip_holidays: SkipHolidays = None, default_terms: str = "",
               language: str = "zh-CN", declared_income: Decimal | int | str | None = None,
               declared_expenses: Decimal | int | str | None = None, collector: str = "", justification: str = "",
               supersedes: str | None = None) -> RepaymentPlan:
    """A draft plan with its schedule computed by :func:`schedule_instalments` (what the editor calls)."""
    items = schedule_instalments(total_due, currency=currency, waiver=waiver, down_payment=down_payment,
                                 frequency=frequency, count=count, instalment=instalment, first_due=first_due,
                                 agreed_on=agreed_on, skip_holidays=skip_holidays)
    return RepaymentPlan(case_ref=case_ref, currency=currency, total_due=total_due, waiver=waiver,
                         down_payment=down_payment, instalments=tuple(items), agreed_on=agreed_on, frequency=frequency,
                         default_terms=default_terms, language=language, declared_income=declared_income,
                         declared_expenses=declared_expenses, collector=collector, justification=justification,
                         supersedes=supersedes)


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


# ------------------------------------------------------------------------ sealing
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
SEAL_VERSION = 1


def signature_hash(signature: bytes | bytearray | str | Mapping[str, Any] | Sequence[Any]) -> str:
    """Hex SHA-256 of a signature: raw bytes (PNG or stroke data), a hex hash already made, or JSON-safe strokes."""
    if isinstance(signature, (bytes, bytearray)):
        if not signature:
            raise PlanError("the signature is empty", "签名为空")
        return hashlib.sha256(bytes(signature)).hexdigest()
    if isinstance(signature, str):
        if not _HEX64.match(signature.lower()):
            raise PlanError("a signature given as text must be its SHA-256 hex digest", "以文本给出的签名须为 SHA-256 摘要")
        return signature.lower()
    if not signature:
        raise PlanError("the signature is empty", "签名为空")
    return hashlib.sha256(canonical_json(signature)).hexdigest()


@dataclass(frozen=True)
class SealedPlan:
    """A signed plan with its seal: SHA-256 over the canonical agreement and both signatures' hashes."""

    plan: RepaymentPlan
    debtor_signature: str  # hex SHA-256 of the debtor's signature (strokes or image)
    collector_signature: str
    seal: str

    @property
    def id(self) -> str:
        return self.plan.id

    def sealed_content(self) -> dict[str, Any]:
        return _sealed_content(self.plan, self.debtor_signature, self.collector_signature)

    def with_status(self, status: str) -> SealedPlan:
        """The same sealed agreement with its lifecycle status moved on (the seal still verifies)."""
        return replace(self, plan=self.plan.with_status(status))

    def to_wire(self) -> dict[str, Any]:
        return {"plan": self.plan.to_wire(), "debtor_signature_sha256": self.debtor_signature,
                "collector_signature_sha256": self.collector_signature, "seal_sha256": self.seal,
                "seal_version": SEAL_VERSION}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> SealedPlan:
        """Rebuild a sealed plan as received; call :func:`verify_seal` before trusting it."""
        return cls(RepaymentPlan.from_wire(data["plan"]), str(data["debtor_signature_sha256"]),
                   str(data["collector_signature_sha256"]), str(data["seal_sha256"]))


def _sealed_content(plan: RepaymentPlan, debtor: str, collector: str) -> dict[str, Any]:
    return {"seal_version": SEAL_VERSION, "plan": plan.content(),
            "signatures": {"debtor_sha256": debtor, "collector_sha256": collector}}


def seal_plan(plan: RepaymentPlan, debtor_signature: Any, collector_signature: Any, *,
              policy: PlanPolicy | None = None) -> SealedPlan:
    """Seal a draft plan at signing; the result's plan is ``signed``.

    Signatures are bytes (PNG or the stroke data as stored), JSON-safe strokes, or their hex SHA-256.
    With ``policy``, a plan the policy refuses (or a soft failure without ``plan.justification``)
    raises PlanError, and the pack's version is sealed with the plan (``policy_version``); then
    ``evaluate_plan(...).status_after_signing(...)`` says whether it goes to the lead or is active.
    """
    if plan.status != DRAFT:
        raise PlanError(f"only a draft plan can be signed, not a {plan.status} one", "只有草稿状态的计划可以签署")
    if policy is not None:
        evaluate_plan(plan, policy).status_after_signing(plan.justification)
        plan = replace(plan, policy_version=f"{policy.jurisdiction}/{policy.version}")
    debtor, collector = signature_hash(debtor_signature), signature_hash(collector_signature)
    if debtor == collector:
        raise PlanError("the debtor's and the collector's signatures are identical", "债务人与外访员的签名完全相同")
    signed = plan.with_status(SIGNED)
    return SealedPlan(signed, debtor, collector, content_hash(_sealed_content(signed, debtor, collector)))


def verify_seal(sealed: SealedPlan) -> bool:
    """True if the agreement and signature hashes are exactly those that were sealed."""
    expected = content_hash(_sealed_content(sealed.plan, sealed.debtor_signature, sealed.collector_signature))
    return hmac.compare_digest(expected, str(sealed.seal))


_NOT_CHANGEABLE = {"id", "supersedes", "status"}


def supersede(sealed: SealedPlan, **changes: Any) -> RepaymentPlan:
    """A new draft plan replacing ``sealed`` (new id, ``supersedes`` = the old id); the old one stays on record.

    ``changes`` are RepaymentPlan fields. A change of amounts or dates must bring its own
    ``instalments`` (from :func:`schedule_instalments`); PlanError if the new plan does not add up.
    """
    bad = sorted(set(changes) & _NOT_CHANGEABLE)
    if bad:
        raise PlanError(f"cannot set {', '.join(bad)} on a superseding plan", "新计划不能指定这些字段")
    if not verify_seal(sealed):
        raise PlanError("the sealed plan does not match its seal", "已签署计划与其封存摘要不符")
    return replace(sealed.plan, **changes, id=_new_id(), supersedes=sealed.plan.id, status=DRAFT)


# ------------------------------------------------------------------------ promises to pay
@dataclass(frozen=True)
class PromiseToPay:
    """A dated promise without a full plan (承诺还款). ``made_on``: the day it was given."""

    due_on: dt.date
    amount: Decimal
    currency: str = "CNY"
    made_on: dt.date | None = None
    case_ref: str = ""
    id: str = field(default_factory=_new_id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "currency", str(self.currency).upper())
        object.__setattr__(self, "amount", _money(self.amount, self.currency, "promise"))

    def problems(self, *, today: dt.date, balance: Decimal | int | str) -> list[dict[str, str]]:
        """Why this promise cannot be recorded (empty: it can), each in zh-CN and en."""
        out: list[dict[str, str]] = []
        if self.due_on < today:
            out.append({"zh-CN": f"承诺还款日期 {self.due_on} 已经过去。", "en": f"The promised date {self.due_on} is in the past."})
        if self.amount <= 0:
            out.append({"zh-CN": "承诺还款金额必须大于零。", "en": "The promised amount must be more than zero."})
        balance_d = _money(balance, self.currency, "total due")
        if self.amount > balance_d:
            out.append({"zh-CN": f"承诺还款金额 {_fmt(self.amount, self.currency)} 超过欠款余额 {_fmt(balance_d, self.currency)}。",
                        "en": f"The promised amount {_fmt(self.amount, self.currency)} is more than the balance "
                              f"{_fmt(balance_d, self.currency)}."})
        return out

    def validate(self, *, today: dt.date, balance: Decimal | int | str) -> PromiseToPay:
        """Self, or PlanError with the first problem (see :meth:`problems`)."""
        problems = self.problems(today=today, balance=balance)
        if problems:
            raise PlanError(problems[0]["en"], problems[0]["zh-CN"])
        return self

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "case_ref": self.case_ref, "currency": self.currency, "due_on": self.due_on.isoformat(),
                "amount_minor": to_minor(self.amount, self.currency),
                "made_on": self.made_on.isoformat() if self.made_on else None}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> PromiseToPay:
        cur = str(data["currency"]).upper()
        return cls(dt.date.fromisoformat(data["due_on"]), from_minor(int(data["amount_minor"]), cur), cur,
                   dt.date.fromisoformat(data["made_on"]) if data.get("made_on") else None,
                   str(data.get("case_ref", "")), str(data["id"]))


# ------------------------------------------------------------------------ payments
PAID, PARTLY_PAID, OVERDUE, DUE, UPCOMING = "paid", "partly_paid", "overdue", "due", "upcoming"
PENDING = "pending"


@dataclass(frozen=True, order=True)
class Payment:
    """Money received (from the lending system's import), on the debtor-local date it was paid."""

    paid_on: dt.date
    amount: Decimal
    reference: str = ""


@dataclass(frozen=True)
class InstalmentStatus:
    number: int
    due_on: dt.date
    amount: Decimal
    paid: Decimal
    status: str  # paid | partly_paid | overdue | due | upcoming
    paid_on: dt.date | None = None  # the day it was fully paid
    late: bool = False  # fully paid after its due date (plus grace)

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True)
class PromiseStatus:
    promise_id: str
    due_on: dt.date
    amount: Decimal
    paid: Decimal
    status: str  # kept | broken | pending
    kept_on: dt.date | None = None


@dataclass(frozen=True)
class PaymentReport:
    """The state of a schedule and promises as of a date; ``outcome`` is kept, broken or completed."""

    as_of: dt.date
    instalments: tuple[InstalmentStatus, ...]
    promises: tuple[PromiseStatus, ...]
    paid_total: Decimal
    outstanding: Decimal
    unapplied: Decimal  # paid beyond the whole schedule
    outcome: str

    @property
    def overdue(self) -> tuple[InstalmentStatus, ...]:
        return tuple(i for i in self.instalments if i.status == OVERDUE)


def apply_payments(instalments: RepaymentPlan | Iterable[Instalment], payments: Iterable[Payment], *, as_of: dt.date,
                   promises: Iterable[PromiseToPay] = (), grace_days: int = 0,
                   currency: str | None = None) -> PaymentReport:
    """Match payments to instalments (oldest due first) and promises, as of ``as_of``.

    Only payments made on or before ``as_of`` count. An instalment unpaid ``grace_days`` after its due
    date is overdue; any overdue instalment makes the outcome ``broken``, all paid ``completed``,
    otherwise ``kept``. A promise is kept when payments made from ``made_on`` up to its date (plus
    grace) reach its amount; each promise is judged on those payments alone. The result does not
    depend on the order in which payments or instalments are given.
    """
    if isinstance(instalments, RepaymentPlan):
        currency = currency or instalments.currency
        instalments = instalments.instalments
    cur = (currency or "CNY").upper()
    items = sorted(instalments, key=lambda i: (i.due_on, i.number))
    counted = sorted((Payment(p.paid_on, _money(p.amount, cur, "payment"), p.reference) for p in payments),
                     key=lambda p: (p.paid_on, p.reference, p.amount))
    counted = [p for p in counted if p.paid_on <= as_of]
    grace = dt.timedelta(days=grace_days)

    paid = [Decimal(0)] * len(items)
    paid_on: list[dt.date | None] = [None] * len(items)
    unapplied = Decimal(0)
    cursor = 0
    for payment in counted:
        left = payment.amount
        while left > 0 and cursor < len(items):
            take = min(left, items[cursor].amount - paid[cursor])
            paid[cursor] += take
            left -= take
            if paid[cursor] == items[cursor].amount:
                paid_on[cursor] = payment.paid_on
                cursor += 1
        unapplied += left

    statuses: list[InstalmentStatus] = []
    for k, item in enumerate(items):
        if paid[k] == item.amount:
            status = PAID
        elif item.due_on + grace < as_of:
            status = OVERDUE
        elif paid[k] > 0:
            status = PARTLY_PAID
        else:
            status = DUE if item.due_on <= as_of else UPCOMING
        statuses.append(InstalmentStatus(item.number, item.due_on, item.amount, paid[k], status, paid_on[k],
                                         bool(paid_on[k] and paid_on[k] > item.due_on + grace)))
    statuses.sort(key=lambda s: s.number)

    promise_states: list[PromiseStatus] = []
    for promise in sorted(promises, key=lambda p: (p.due_on, p.id)):
        deadline = promise.due_on + grace
        total = Decimal(0)
        kept_on = None
        for payment in counted:
            if payment.paid_on > deadline or (promise.made_on and payment.paid_on < promise.made_on):
                continue
            total += payment.amount
            if kept_on is None and total >= promise.amount:
                kept_on = payment.paid_on
        state = KEPT if kept_on else (BROKEN if as_of > deadline else PENDING)
        promise_states.append(PromiseStatus(promise.id, promise.due_on, promise.amount, min(total, promise.amount),
                                            state, kept_on))

    outstanding = sum((s.outstanding for s in statuses), Decimal(0))
    outcome = COMPLETED if statuses and outstanding == 0 else (BROKEN if any(s.status == OVERDUE for s in statuses) else KEPT)
    return PaymentReport(as_of, tuple(statuses), tuple(promise_states), sum((p.amount for p in counted), Decimal(0)),
                         outstanding, unapplied, outcome)


__all__ = (
    "ACTIVE", "APPROVED", "BROKEN", "COMPLETED", "DRAFT", "FREQUENCIES", "FREQUENCY_LABELS", "HolidayCalendar",
    "Instalment", "InstalmentStatus", "KEPT", "NEEDS_JUSTIFICATION", "PENDING_APPROVAL", "PaymentReport", "Payment",
    "PlanCheck", "PlanError", "PlanPolicy", "PlanRule", "PlanVerdict", "PromiseStatus", "PromiseToPay", "REFUSED",
    "REJECTED", "RepaymentPlan", "SIGNED", "STATUSES", "STATUS_LABELS", "SealedPlan", "TRANSITIONS", "WITHIN_AUTHORITY",
    "add_months", "apply_payments", "draft_plan", "due_dates", "evaluate_plan", "nominal_due_dates",
    "schedule_instalments", "seal_plan", "signature_hash", "supersede", "verify_seal",
)
