"""schedule_instalments: exact sums, month-end roll from the anchor day, holidays moved, bad inputs refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.core.plans import (
    FREQUENCIES,
    HolidayCalendar,
    PlanError,
    PlanPolicy,
    add_months,
    draft_plan,
    schedule_instalments,
)

D = Decimal
CN_POLICY = PlanPolicy.bundled("CN")


def amounts(items) -> list[str]:
    return [str(i.amount) for i in items]


def days(items) -> list[str]:
    return [i.due_on.isoformat() for i in items]


# ------------------------------------------------------------------ worked examples (CNY)
def test_monthly_from_31_january_rolls_to_month_ends_never_chained() -> None:
    items = schedule_instalments("12000.00", currency="CNY", count=6, first_due=dt.date(2026, 1, 31))
    assert days(items) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]
    assert amounts(items) == ["2000.00"] * 6


def test_leap_year_february_and_a_29_february_anchor() -> None:
    items = schedule_instalments("300.00", currency="CNY", count=3, first_due=dt.date(2028, 1, 31))
    assert days(items) == ["2028-01-31", "2028-02-29", "2028-03-31"]
    anchored = schedule_instalments("1300.00", currency="CNY", count=13, first_due=dt.date(2028, 2, 29))
    assert days(anchored)[:3] == ["2028-02-29", "2028-03-29", "2028-04-29"]
    assert days(anchored)[-1] == "2029-02-28"  # no 29 February in 2029
    assert add_months(dt.date(2028, 2, 29), 48) == dt.date(2032, 2, 29)


def test_the_last_instalment_absorbs_the_rounding() -> None:
    items = schedule_instalments("1000.00", currency="CNY", count=3, first_due=dt.date(2026, 3, 1))
    assert amounts(items) == ["333.33", "333.33", "333.34"]
    by_amount = schedule_instalments("1000.00", currency="CNY", instalment="300", first_due=dt.date(2026, 3, 1))
    assert amounts(by_amount) == ["300.00", "300.00", "300.00", "100.00"]
    exact = schedule_instalments("900", currency="CNY", instalment="300", first_due=dt.date(2026, 3, 1))
    assert amounts(exact) == ["300.00"] * 3


def test_down_payment_is_instalment_zero_due_on_signing_and_waiver_reduces_the_total() -> None:
    items = schedule_instalments("10000.00", currency="CNY", waiver="1000.00", down_payment="999.99", count=4,
                                 first_due=dt.date(2026, 2, 10), agreed_on=dt.date(2026, 1, 31))
    assert items[0].number == 0 and items[0].due_on == dt.date(2026, 1, 31) and items[0].amount == D("999.99")
    assert [i.number for i in items] == [0, 1, 2, 3, 4]
    assert sum(i.amount for i in items) == D("9000.00")
    assert amounts(items[1:]) == ["2000.00", "2000.00", "2000.00", "2000.01"]


def test_a_down_payment_of_everything_left_is_a_single_instalment() -> None:
    items = schedule_instalments("500", currency="CNY", waiver="100", down_payment="400", count=3,
                                 first_due=dt.date(2026, 2, 1), agreed_on=dt.date(2026, 1, 1))
    assert [(i.number, str(i.amount)) for i in items] == [(0, "400.00")]


def test_weekly_and_fortnightly() -> None:
    weekly = schedule_instalments("700", currency="CNY", count=4, frequency="weekly", first_due=dt.date(2026, 11, 30))
    assert days(weekly) == ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"]
    assert amounts(weekly) == ["175.00"] * 4
    fortnightly = schedule_instalments("700", currency="CNY", count=3, frequency="fortnightly",
                                       first_due=dt.date(2026, 12, 21))
    assert days(fortnightly) == ["2026-12-21", "2027-01-04", "2027-01-18"]


def test_cn_public_holidays_move_due_dates_to_the_next_business_day() -> None:
    # Golden week 2026: 1–7 October off; 15 February–23 February for the Spring Festival.
    items = schedule_instalments("4000", currency="CNY", count=4, first_due=dt.date(2026, 8, 1),
                                 skip_holidays=CN_POLICY.skip_holidays)
    # 1 November 2026 is a Sunday: the CN pack does not skip weekends (repayment works online), so it stays.
    assert days(items) == ["2026-08-01", "2026-09-01", "2026-10-08", "2026-11-01"]
    weekly = schedule_instalments("300", currency="CNY", count=3, frequency="weekly", first_due=dt.date(2026, 2, 14),
                                  skip_holidays=CN_POLICY.skip_holidays)
    # 14 Feb is a working Saturday (调休); 21 Feb is in the holiday: moved to the 24th; 28 Feb stays.
    assert days(weekly) == ["2026-02-14", "2026-02-24", "2026-02-28"]


def test_moved_dates_stay_strictly_increasing() -> None:
    # Weekly through Golden Week: 1 Oct moves to 8 Oct, where the next nominal date already is.
    items = schedule_instalments("300", currency="CNY", count=3, frequency="weekly", first_due=dt.date(2026, 9, 24),
                                 skip_holidays={dt.date(2026, 10, d) for d in range(1, 8)} | {dt.date(2026, 9, 25)})
    assert days(items) == ["2026-09-24", "2026-10-08", "2026-10-09"]


def test_a_set_of_dates_or_a_predicate_may_be_given() -> None:
    closed = {dt.date(2026, 3, 2)}
    as_set = schedule_instalments("200", currency="CNY", count=2, first_due=dt.date(2026, 2, 2), skip_holidays=closed)
    as_fn = schedule_instalments("200", currency="CNY", count=2, first_due=dt.date(2026, 2, 2),
                                 skip_holidays=closed.__contains__)
    assert days(as_set) == days(as_fn) == ["2026-02-02", "2026-03-03"]


def test_weekends_are_skipped_only_when_the_pack_asks_for_it() -> None:
    calendar = HolidayCalendar("x", frozenset(), workdays=frozenset({dt.date(2026, 2, 14)}), years=frozenset({2026}))
    assert not calendar.is_closed(dt.date(2026, 2, 7))
    assert calendar.is_closed(dt.date(2026, 2, 7), skip_weekends=True)
    assert not calendar.is_closed(dt.date(2026, 2, 14), skip_weekends=True)  # a working Saturday


def test_bundled_cn_calendar_marks_2027_as_provisional() -> None:
    calendar = CN_POLICY.holiday_calendar
    assert calendar is not None and calendar.covers(dt.date(2027, 6, 1)) and not calendar.covers(dt.date(2028, 1, 1))
    assert calendar.provisional_years == {2027}
    assert calendar.is_holiday(dt.date(2027, 2, 6)) and calendar.is_holiday(dt.date(2026, 10, 7))
    assert not calendar.is_holiday(dt.date(2026, 10, 10))


@pytest.mark.parametrize("kwargs, message", [
    (dict(total="0", count=1), "more than zero"),
    (dict(total="100", count=1, waiver="60", down_payment="50", agreed_on=dt.date(2026, 1, 1)), "exceed"),
    (dict(total="100"), "either"),
    (dict(total="100", count=2, instalment="50"), "either"),
    (dict(total="100", count=0), "at least 1"),
    (dict(total="0.05", count=6), "zero"),
    (dict(total="100", instalment="0"), "more than zero"),
    (dict(total="100", count=1, down_payment="10"), "agreed"),
    (dict(total="100", count=1, down_payment="10", agreed_on=dt.date(2026, 3, 1)), "after the down payment"),
    (dict(total="100.001", count=1), "decimal places"),
    (dict(total="-5", count=1), "negative"),
    (dict(total="100", count=1, frequency="daily"), "frequency"),
    (dict(total="10000", instalment="0.01"), "more than 600"),
])
def test_impossible_schedules_are_refused_with_a_reason(kwargs: dict, message: str) -> None:
    total = kwargs.pop("total")
    with pytest.raises(PlanError, match=message) as info:
        schedule_instalments(total, currency="CNY", first_due=dt.date(2026, 3, 1), **kwargs)
    assert info.value.reason["zh-CN"] and info.value.reason["en"]


def test_floats_never_become_money() -> None:
    with pytest.raises(TypeError):
        schedule_instalments(100.5, currency="CNY", count=2, first_due=dt.date(2026, 3, 1))  # type: ignore[arg-type]


# ------------------------------------------------------------------ properties
money = st.integers(min_value=1, max_value=10_000_000_00)  # fen


@st.composite
def schedules(draw):
    total = draw(money)
    waiver = draw(st.integers(0, total // 2))
    down = draw(st.integers(0, (total - waiver) // 2))
    frequency = draw(st.sampled_from(FREQUENCIES))
    agreed = draw(st.dates(dt.date(2025, 1, 1), dt.date(2029, 12, 31)))
    first = agreed + dt.timedelta(days=draw(st.integers(1, 60)))
    remaining = total - waiver - down
    by_count = draw(st.booleans())
    kwargs: dict = {}
    if by_count:
        kwargs["count"] = draw(st.integers(1, max(1, min(60, remaining))))
    else:
        kwargs["instalment"] = D(draw(st.integers(max(1, remaining // 60 + 1), max(1, remaining) + 10))).scaleb(-2)
    skip = draw(st.sampled_from([None, CN_POLICY.skip_holidays, lambda d: d.weekday() >= 5]))
    return dict(total=D(total).scaleb(-2), waiver=D(waiver).scaleb(-2), down_payment=D(down).scaleb(-2),
                frequency=frequency, agreed_on=agreed, first_due=first, skip_holidays=skip, **kwargs)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_every_schedule_sums_exactly_to_the_agreed_total(args: dict) -> None:
    items = schedule_instalments(currency="CNY", **args)
    assert sum(i.amount for i in items) == args["total"] - args["waiver"]
    assert all(i.amount > 0 and i.amount == i.amount.quantize(D("0.01")) for i in items)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_due_dates_strictly_increase_and_none_falls_on_a_closed_day(args: dict) -> None:
    items = schedule_instalments(currency="CNY", **args)
    dates = [i.due_on for i in items]
    assert all(b > a for a, b in zip(dates, dates[1:]))
    if args["skip_holidays"] is not None:
        assert not any(args["skip_holidays"](i.due_on) for i in items if i.number > 0)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_only_the_last_instalment_may_differ_and_never_downwards_by_count(args: dict) -> None:
    items = [i for i in schedule_instalments(currency="CNY", **args) if i.number > 0]
    if not items:
        return
    head = {i.amount for i in items[:-1]}
    assert len(head) <= 1
    if "instalment" in args:
        assert all(i.amount == args["instalment"] for i in items[:-1]) and items[-1].amount <= args["instalment"]
    elif head:
        assert items[-1].amount >= head.pop()  # the rest is rounded down, so the last is never the smaller


@settings(max_examples=200, deadline=None)
@given(total=st.integers(100_00, 1_000_000_00), minimum=st.integers(1_00, 500_00), data=st.data())
def test_no_instalment_below_the_minimum_except_the_last(total: int, minimum: int, data) -> None:
    """Built the way the editor does (instalment ≥ the pack's minimum), only the last may be smaller."""
    instalment = data.draw(st.integers(max(minimum, total // 600 + 1), max(minimum, total)))
    items = schedule_instalments(D(total).scaleb(-2), currency="CNY", instalment=D(instalment).scaleb(-2),
                                 first_due=dt.date(2026, 1, 31))
    assert all(i.amount >= D(minimum).scaleb(-2) for i in items[:-1])


@settings(max_examples=300, deadline=None)
@given(anchor=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), count=st.integers(1, 40))
def test_monthly_dates_are_computed_from_the_anchor_day(anchor: dt.date, count: int) -> None:
    items = schedule_instalments(D(count), currency="CNY", count=count, first_due=anchor)
    for k, item in enumerate(items):
        month_index = anchor.month - 1 + k
        assert (item.due_on.year, item.due_on.month) == (anchor.year + month_index // 12, month_index % 12 + 1)
        assert item.due_on.day == anchor.day or (item.due_on.day < anchor.day and
                                                 (item.due_on + dt.timedelta(days=1)).day == 1)


def test_draft_plan_builds_a_valid_plan_with_the_policy_calendar() -> None:
    plan = draft_plan("CN-0001", "10000.00", currency="CNY", agreed_on=dt.date(2026, 9, 10),
                      first_due=dt.date(2026, 10, 1), count=3, skip_holidays=CN_POLICY.skip_holidays)
    assert [i.due_on for i in plan.instalments] == [dt.date(2026, 10, 8), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert plan.agreed_total == D("10000.00") and plan.term_months == 3
