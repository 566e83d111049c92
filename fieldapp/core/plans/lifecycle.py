"""After agreement: the seal over a signed plan, promises to pay, and payments applied to instalments."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from fieldapp.core.canonical import canonical_json, content_hash
from fieldapp.core.money import from_minor, to_minor
from fieldapp.core.plans.policy import PlanPolicy, evaluate_plan
from fieldapp.core.plans.schedule import (
    BROKEN,
    COMPLETED,
    DRAFT,
    KEPT,
    SIGNED,
    Instalment,
    PlanError,
    RepaymentPlan,
    _fmt,
    _money,
    _new_id,
)

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

