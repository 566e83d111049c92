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

The modules: :mod:`.schedule` (amounts, dates, statuses, the plan), :mod:`.policy` (holiday
calendars, the rule pack's checks, verdicts), :mod:`.lifecycle` (seal, promises, payments).
"""

from __future__ import annotations

from fieldapp.core.plans.lifecycle import (  # noqa: F401
    DUE,
    OVERDUE,
    PAID,
    PARTLY_PAID,
    PENDING,
    SEAL_VERSION,
    UPCOMING,
    InstalmentStatus,
    Payment,
    PaymentReport,
    PromiseStatus,
    PromiseToPay,
    SealedPlan,
    apply_payments,
    seal_plan,
    signature_hash,
    supersede,
    verify_seal,
)
from fieldapp.core.plans.policy import (  # noqa: F401
    HolidayCalendar,
    PlanCheck,
    PlanPolicy,
    PlanRule,
    PlanVerdict,
    evaluate_plan,
)

# The package is split by stage (schedule → policy → lifecycle); everything is importable from here.
from fieldapp.core.plans.schedule import (  # noqa: F401
    ACTIVE,
    APPROVED,
    BROKEN,
    CHECK_SEVERITIES,
    CHECK_TYPES,
    COMPLETED,
    DRAFT,
    FREQUENCIES,
    FREQUENCY_LABELS,
    KEPT,
    MAX_INSTALMENTS,
    NEEDS_JUSTIFICATION,
    PENDING_APPROVAL,
    PERIODS_PER_YEAR,
    REFUSED,
    REJECTED,
    SIGNED,
    STATUS_LABELS,
    STATUSES,
    TRANSITIONS,
    WITHIN_AUTHORITY,
    Instalment,
    PlanError,
    RepaymentPlan,
    SkipHolidays,
    add_months,
    closed_day_predicate,
    draft_plan,
    due_dates,
    nominal_due_dates,
    schedule_instalments,
)
