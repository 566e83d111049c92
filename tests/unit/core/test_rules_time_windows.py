"""Time windows in the debtor's local time: property tests across zones, DST changes and +05:45."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from engine_helpers import UTC, local
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.core.rules import CaseFacts, RulePack

PACKS = {j: RulePack.bundled(j) for j in ("CN", "US", "IN", "UK")}
WINDOWS = {"CN": (dt.time(8), dt.time(22)), "US": (dt.time(8), dt.time(21)), "IN": (dt.time(8), dt.time(19)),
           "UK": (dt.time(8), dt.time(21))}
ZONES = ["America/New_York", "Europe/London", "Asia/Kathmandu", "Asia/Shanghai", "Asia/Kolkata",
         "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "America/Los_Angeles", "UTC"]
CREDENTIAL = dt.date(2100, 1, 1)


def window_rule(verdict) -> bool:  # noqa: ANN001
    return any(f.rule_id in ("CN1", "US1", "IN1", "UK1") for f in verdict.findings)


def wall_times() -> st.SearchStrategy[dt.datetime]:
    return st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2031, 12, 31))


@settings(max_examples=400, deadline=None)
@given(jurisdiction=st.sampled_from(sorted(PACKS)), zone=st.sampled_from(ZONES), wall=wall_times(),
       fold=st.integers(0, 1))
def test_window_judges_the_debtor_local_wall_clock(jurisdiction: str, zone: str, wall: dt.datetime,
                                                   fold: int) -> None:
    tz = ZoneInfo(zone)
    moment = wall.replace(tzinfo=tz, fold=fold)
    instant = moment.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return  # a wall time skipped by a spring-forward change does not exist
    case = CaseFacts(jurisdiction, zone, collector_credential_valid_until=CREDENTIAL)
    start, end = WINDOWS[jurisdiction]
    inside = start <= wall.time() < end
    verdict = PACKS[jurisdiction].check("start_visit", case, [], instant)
    assert window_rule(verdict) == (not inside)
    assert verdict.local_time.replace(tzinfo=None) == wall


@settings(max_examples=300, deadline=None)
@given(jurisdiction=st.sampled_from(sorted(PACKS)), zone=st.sampled_from(ZONES),
       instant=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2031, 12, 31),
                            timezones=st.just(UTC)),
       offset_minutes=st.integers(-14 * 60, 14 * 60))
def test_the_verdict_does_not_depend_on_the_zone_now_is_written_in(jurisdiction: str, zone: str,
                                                                    instant: dt.datetime, offset_minutes: int) -> None:
    case = CaseFacts(jurisdiction, zone, collector_credential_valid_until=CREDENTIAL)
    written = instant.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))
    a = PACKS[jurisdiction].check("call", case, [], instant)
    b = PACKS[jurisdiction].check("call", case, [], written)
    assert (a.status, a.rule_id) == (b.status, b.rule_id)


@settings(max_examples=200, deadline=None)
@given(instant=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2031, 12, 31),
                            timezones=st.just(UTC)))
def test_kathmandu_plus_0545_matches_a_fixed_offset(instant: dt.datetime) -> None:
    wall = (instant + dt.timedelta(hours=5, minutes=45)).replace(tzinfo=None)
    verdict = PACKS["IN"].check("call", CaseFacts("IN", "Asia/Kathmandu"), [], instant)
    assert window_rule(verdict) == (not dt.time(8) <= wall.time() < dt.time(19))


@pytest.mark.parametrize(
    ("jurisdiction", "zone", "utc", "allowed"),
    [
        # New York springs forward on 2026-03-08: 12:30 UTC is 08:30 EDT (it would be 07:30 in EST)
        ("US", "America/New_York", dt.datetime(2026, 3, 8, 12, 30), True),
        ("US", "America/New_York", dt.datetime(2026, 3, 7, 12, 30), False),  # 07:30 EST the day before
        # and falls back on 2026-11-01: 12:30 UTC is 07:30 EST (it would be 08:30 in EDT)
        ("US", "America/New_York", dt.datetime(2026, 11, 1, 12, 30), False),
        ("US", "America/New_York", dt.datetime(2026, 10, 31, 12, 30), True),
        ("US", "America/New_York", dt.datetime(2026, 11, 2, 1, 59), True),  # 20:59 EST
        ("US", "America/New_York", dt.datetime(2026, 11, 2, 2, 0), False),  # 21:00 EST
        # London: BST from 2026-03-29; 07:30 UTC is 08:30 BST, 07:30 GMT the day before
        ("UK", "Europe/London", dt.datetime(2026, 3, 29, 7, 30), True),
        ("UK", "Europe/London", dt.datetime(2026, 3, 28, 7, 30), False),
        ("UK", "Europe/London", dt.datetime(2026, 10, 25, 20, 30), True),  # 20:30 GMT after fall-back
        ("UK", "Europe/London", dt.datetime(2026, 10, 24, 20, 30), False),  # 21:30 BST
        # Kathmandu +05:45: 13:14 UTC is 18:59, 13:15 UTC is 19:00
        ("IN", "Asia/Kathmandu", dt.datetime(2026, 6, 1, 13, 14), True),
        ("IN", "Asia/Kathmandu", dt.datetime(2026, 6, 1, 13, 15), False),
        ("IN", "Asia/Kathmandu", dt.datetime(2026, 6, 1, 2, 14), False),  # 07:59
        ("IN", "Asia/Kathmandu", dt.datetime(2026, 6, 1, 2, 15), True),  # 08:00
        # Shanghai: 22:00 is outside, 21:59 inside
        ("CN", "Asia/Shanghai", dt.datetime(2026, 6, 1, 13, 59), True),
        ("CN", "Asia/Shanghai", dt.datetime(2026, 6, 1, 14, 0), False),
    ],
)
def test_window_edges_around_dst_changes_and_odd_offsets(jurisdiction: str, zone: str, utc: dt.datetime,
                                                         allowed: bool) -> None:
    case = CaseFacts(jurisdiction, zone, collector_credential_valid_until=CREDENTIAL)
    verdict = PACKS[jurisdiction].check("call", case, [], utc.replace(tzinfo=UTC))
    assert verdict.allowed is allowed, verdict.reason


def test_cn_daily_call_limit_counts_by_the_debtor_local_day() -> None:
    from fieldapp.core.rules import ContactRecord

    # 23:30 Shanghai yesterday is 15:30 UTC, the same UTC date as today's 09:00 Shanghai (01:00 UTC next day)
    case = CaseFacts("CN", "Asia/Shanghai")
    now = local("Asia/Shanghai", 2026, 5, 2, 10, 0)
    history = [ContactRecord(local("Asia/Shanghai", 2026, 5, 1, 23, 30), "call", connected=True),
               ContactRecord(local("Asia/Shanghai", 2026, 5, 2, 8, 30), "call", connected=True),
               ContactRecord(local("Asia/Shanghai", 2026, 5, 2, 9, 0), "call", connected=True)]
    assert PACKS["CN"].check("call", case, history, now).allowed
    history.append(ContactRecord(local("Asia/Shanghai", 2026, 5, 2, 9, 30), "call", connected=True))
    assert PACKS["CN"].check("call", case, history, now).rule_id == "CN2"
