"""US federal holidays (5 U.S.C. 6103) computed by rule, and business-day arithmetic for Regulation F.

Fixed-date holidays that fall on a Saturday are observed on the Friday before, on a Sunday on the
Monday after (Executive Order 11582). New Year's Day on a Saturday is observed on 31 December of
the year before, so that Friday belongs to the earlier year's list. Juneteenth counts from 2021.
Nothing is looked up: the rules below are the whole calendar, correct for any year from 1986
(when Martin Luther King Jr. Day began); a new holiday by statute means a new line here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` (0 = Monday) of the month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def observed(day: dt.date) -> dt.date:
    """The weekday on which a holiday falling on ``day`` is observed."""
    if day.weekday() == SAT:
        return day - dt.timedelta(days=1)
    if day.weekday() == SUN:
        return day + dt.timedelta(days=1)
    return day


def _actual(year: int) -> dict[str, dt.date]:
    """The holidays' own dates in ``year`` (before weekend observance)."""
    days = {
        "New Year's Day": dt.date(year, 1, 1),
        "Birthday of Martin Luther King, Jr.": nth_weekday(year, 1, MON, 3),
        "Washington's Birthday": nth_weekday(year, 2, MON, 3),
        "Memorial Day": nth_weekday(year, 5, MON, -1),
        "Independence Day": dt.date(year, 7, 4),
        "Labor Day": nth_weekday(year, 9, MON, 1),
        "Columbus Day": nth_weekday(year, 10, MON, 2),
        "Veterans Day": dt.date(year, 11, 11),
        "Thanksgiving Day": nth_weekday(year, 11, THU, 4),
        "Christmas Day": dt.date(year, 12, 25),
    }
    if year >= 2021:
        days["Juneteenth National Independence Day"] = dt.date(year, 6, 19)
    return days


@lru_cache(maxsize=256)
def federal_holidays(year: int) -> dict[dt.date, str]:
    """Observed US federal holidays falling in ``year``: {date: name}, sorted by date.

    Every date is a weekday. Includes 31 December when the next New Year's Day is a Saturday.
    """
    out: dict[dt.date, str] = {}
    for y in (year, year + 1):
        for name, day in _actual(y).items():
            when = observed(day)
            if when.year == year:
                out[when] = name
    return dict(sorted(out.items()))


def is_federal_holiday(day: dt.date) -> bool:
    """True when ``day`` is a legal public holiday: the holiday itself or the day it is observed on."""
    if day in federal_holidays(day.year):
        return True
    return day in _actual(day.year).values()  # the actual date too (a weekend day, so not a business day anyway)


def is_business_day(day: dt.date) -> bool:
    """Any day but Saturday, Sunday and a legal public holiday (Regulation F §1006.34(b)(5))."""
    return day.weekday() < SAT and not is_federal_holiday(day)


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` business days after ``start`` (``start`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


__all__ = ("add_business_days", "federal_holidays", "is_business_day", "is_federal_holiday", "nth_weekday",
           "observed")
