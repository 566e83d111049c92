"""Plan amounts, due dates and the plan itself: statuses, schedules, :class:`RepaymentPlan`, :func:`draft_plan`."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Union

from fieldapp.core.canonical import content_hash
from fieldapp.core.money import (
    MoneyError,
    exponent,
    format_amount,
    from_minor,
    parse_amount,
    to_minor,
)

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
