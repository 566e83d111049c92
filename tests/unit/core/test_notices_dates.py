"""US federal holidays and the Regulation F validation period (assumed receipt + 30 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.holidays import (
    add_business_days,
    federal_holidays,
    is_business_day,
    is_federal_holiday,
)
from fieldapp.core.notices import assumed_receipt, validation_period_end

D = dt.date


def test_across_thanksgiving() -> None:
    # Sent Wednesday 2026-11-25. Counting business days by hand:
    #   Thu 11-26 Thanksgiving (federal holiday) — not counted
    #   Fri 11-27 → 1;  Sat 11-28, Sun 11-29 — not counted
    #   Mon 11-30 → 2;  Tue 12-01 → 3;  Wed 12-02 → 4;  Thu 12-03 → 5  = assumed receipt
    # 30 days after Thu 2026-12-03 is Sat 2027-01-02 (Regulation F does not move it to a weekday).
    assert is_federal_holiday(D(2026, 11, 26))
    assert assumed_receipt(D(2026, 11, 25)) == D(2026, 12, 3)
    assert validation_period_end(D(2026, 11, 25)) == D(2027, 1, 2)


def test_across_a_weekend_only() -> None:
    # Sent Thursday 2026-10-01: Fri 10-02 → 1; Sat, Sun skipped; Mon 10-05 → 2; Tue → 3; Wed → 4;
    # Thu 10-08 → 5. Columbus Day (Mon 10-12) is after. End: 10-08 + 30 days = 11-07.
    assert assumed_receipt(D(2026, 10, 1)) == D(2026, 10, 8)
    assert validation_period_end(D(2026, 10, 1)) == D(2026, 11, 7)
    # Sent on a Saturday: Mon 10-05 → 1 ... Fri 10-09 → 5
    assert assumed_receipt(D(2026, 10, 3)) == D(2026, 10, 9)


def test_across_a_weekend_and_veterans_day() -> None:
    # Sent Friday 2026-11-06: Mon 11-09 → 1; Tue 11-10 → 2; Wed 11-11 Veterans Day skipped;
    # Thu 11-12 → 3; Fri 11-13 → 4; Mon 11-16 → 5. End: 12-16.
    assert assumed_receipt(D(2026, 11, 6)) == D(2026, 11, 16)
    assert validation_period_end(D(2026, 11, 6)) == D(2026, 12, 16)


def test_across_christmas_into_the_new_year() -> None:
    # Sent Wed 2026-12-23: Thu 12-24 → 1; Fri 12-25 Christmas skipped; Mon 12-28 → 2; Tue → 3; Wed → 4;
    # Thu 12-31 → 5. End: 2027-01-30.
    assert validation_period_end(D(2026, 12, 23)) == D(2027, 1, 30)
    # 2027: Christmas on a Saturday is observed Friday 12-24; New Year 2028 (a Saturday) on Friday 12-31.
    # Sent Thu 2027-12-23: Mon 12-27 → 1; Tue → 2; Wed → 3; Thu 12-30 → 4; Mon 2028-01-03 → 5.
    assert assumed_receipt(D(2027, 12, 23)) == D(2028, 1, 3)


def test_a_datetime_is_refused() -> None:
    with pytest.raises(TypeError):
        validation_period_end(dt.datetime(2026, 11, 25, 10, 0))


def test_known_years() -> None:
    assert list(federal_holidays(2026)) == [
        D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 5, 25), D(2026, 6, 19), D(2026, 7, 3),
        D(2026, 9, 7), D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 26), D(2026, 12, 25)]
    assert federal_holidays(2026)[D(2026, 7, 3)] == "Independence Day"  # July 4th 2026 is a Saturday
    # 2021: Juneteenth's first year (Saturday → Friday 18 June); New Year 2022 is a Saturday → 31 Dec 2021
    h2021 = federal_holidays(2021)
    assert D(2021, 6, 18) in h2021 and D(2021, 12, 24) in h2021 and h2021[D(2021, 12, 31)] == "New Year's Day"
    assert D(2022, 1, 1) not in federal_holidays(2022)
    assert D(2022, 6, 20) in federal_holidays(2022) and D(2022, 12, 26) in federal_holidays(2022)
    # 2023: New Year on a Sunday → Monday 2 January
    assert D(2023, 1, 2) in federal_holidays(2023) and D(2023, 11, 23) in federal_holidays(2023)
    # before 2021 there was no Juneteenth holiday
    assert not any(d.month == 6 for d in federal_holidays(2020))
    assert len(federal_holidays(2020)) == 10


@given(st.integers(min_value=1990, max_value=2200))
def test_observed_holidays_fall_on_weekdays(year: int) -> None:
    days = federal_holidays(year)
    assert all(d.weekday() < 5 for d in days)
    assert all(d.year == year for d in days)
    expected = 11 if year >= 2021 else 10
    new_year_next = D(year + 1, 1, 1).weekday() == 5  # observed on 31 Dec of this year
    new_year_this = D(year, 1, 1).weekday() == 5  # observed in the year before
    assert len(days) == expected + new_year_next - new_year_this
    thanksgiving = [d for d, name in days.items() if name == "Thanksgiving Day"][0]
    assert thanksgiving.weekday() == 3 and 22 <= thanksgiving.day <= 28


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.integers(min_value=0, max_value=40))
def test_add_business_days_counts_exactly_the_business_days(start: dt.date, count: int) -> None:
    end = add_business_days(start, count)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_business_day(d) for d in between) == count
    assert count == 0 or is_business_day(end)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_validation_period_is_35_to_45_days(sent: dt.date) -> None:
    days = (validation_period_end(sent) - sent).days
    assert 35 <= days <= 45  # 5 business days take 5 to 11 calendar days around long weekends
