"""TrustedClock: server time plus monotonic elapsed; a device clock that was moved is flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_helpers import UTC, FakeDeviceClock, FakeMonotonic

from fieldapp.core.clock import (
    SOURCE_DEVICE,
    SOURCE_DEVICE_ADJUSTED,
    SOURCE_SERVER,
    TrustedClock,
)

SERVER = dt.datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def make(device_offset: dt.timedelta = dt.timedelta()) -> tuple[TrustedClock, FakeMonotonic, FakeDeviceClock]:
    mono, device = FakeMonotonic(), FakeDeviceClock(SERVER + device_offset)
    return TrustedClock(monotonic=mono, device_now=device), mono, device


def test_before_any_sync_the_device_clock_is_used_and_says_so() -> None:
    clock, _, device = make(dt.timedelta(hours=3))
    assert not clock.synced and clock.source == SOURCE_DEVICE
    assert clock.now() == device.value
    assert clock.device_skew_seconds() is None and not clock.is_device_clock_off()
    reading = clock.reading()
    assert reading.source == "device" and reading.device_skew_seconds is None


def test_after_a_sync_time_is_server_time_plus_monotonic_elapsed() -> None:
    clock, mono, device = make()
    clock.learn(SERVER)
    mono.advance(90)
    device.value = SERVER + dt.timedelta(seconds=90)
    assert clock.source == SOURCE_SERVER
    assert clock.now() == SERVER + dt.timedelta(seconds=90)
    assert clock.now().tzinfo is not None and clock.now().utcoffset() == dt.timedelta(0)
    assert clock.device_skew_seconds() == pytest.approx(0)
    assert not clock.is_device_clock_off()


@pytest.mark.parametrize("moved", [dt.timedelta(hours=-2), dt.timedelta(minutes=6), dt.timedelta(days=-1)])
def test_moving_the_device_clock_does_not_move_trusted_time_and_is_flagged(moved: dt.timedelta) -> None:
    clock, mono, device = make()
    clock.learn(SERVER)
    mono.advance(600)
    device.value = SERVER + dt.timedelta(seconds=600) + moved
    assert clock.now() == SERVER + dt.timedelta(seconds=600)
    assert clock.device_skew_seconds() == pytest.approx(moved.total_seconds())
    assert clock.is_device_clock_off()
    assert clock.reading().device_clock_off


def test_threshold_decides_what_is_off() -> None:
    clock, mono, device = make(dt.timedelta(seconds=200))
    clock.learn(SERVER)
    assert not clock.is_device_clock_off()  # default threshold 300 s
    assert clock.is_device_clock_off(threshold=120)


def test_a_device_that_was_off_at_sync_is_flagged_right_away() -> None:
    clock, _, _ = make(dt.timedelta(hours=-2))
    clock.learn(SERVER)
    assert clock.device_skew_seconds() == pytest.approx(-7200)
    assert clock.is_device_clock_off()


def test_restored_after_a_restart_and_after_a_reboot() -> None:
    clock, mono, device = make(dt.timedelta(minutes=10))
    clock.learn(SERVER)
    state = clock.to_dict()
    # app restart within the same boot: monotonic keeps counting
    mono.advance(60)
    device.value += dt.timedelta(seconds=60)
    again = TrustedClock(monotonic=mono, device_now=device)
    again.restore(state)
    assert again.source == SOURCE_SERVER and again.now() == SERVER + dt.timedelta(seconds=60)
    # reboot: the monotonic clock starts again from a small number; fall back to the device clock
    # corrected by the skew seen at the last sync, and say so
    rebooted = TrustedClock(monotonic=FakeMonotonic(5.0), device_now=device)
    rebooted.restore(state)
    assert rebooted.source == SOURCE_DEVICE_ADJUSTED
    assert rebooted.now() == SERVER + dt.timedelta(seconds=60)
    assert rebooted.is_device_clock_off()


def test_learn_needs_an_aware_time() -> None:
    clock, _, _ = make()
    with pytest.raises(ValueError):
        clock.learn(dt.datetime(2026, 5, 1, 12, 0))


# ------------------------------------------------------------------------------ the collector's day
from zoneinfo import ZoneInfo  # noqa: E402

from fieldapp.core.clock import (  # noqa: E402
    CollectorDay,
    known_zone,
    laptop_zone,
    zone_name,
    zone_named,
)

SHANGHAI, LOS_ANGELES, KATHMANDU = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Kathmandu")


@pytest.mark.parametrize("instant, zone, today", [
    ("2026-12-03T18:20:00+00:00", SHANGHAI, dt.date(2026, 12, 4)),  # a UTC evening is Beijing's next morning
    ("2026-12-03T18:20:00+00:00", UTC, dt.date(2026, 12, 3)),
    ("2026-11-02T07:40:00+00:00", LOS_ANGELES, dt.date(2026, 11, 1)),  # 23:40 on the day DST ends
    ("2026-12-31T17:30:00+00:00", ZoneInfo("Pacific/Kiritimati"), dt.date(2027, 1, 1)),
    ("2028-02-29T20:00:00+00:00", KATHMANDU, dt.date(2028, 3, 1)),  # 01:45 at +05:45
    ("2028-02-29T12:00:00+00:00", SHANGHAI, dt.date(2028, 2, 29)),
])
def test_today_is_the_date_in_the_collectors_zone(instant: str, zone: dt.tzinfo, today: dt.date) -> None:
    day = CollectorDay.at(dt.datetime.fromisoformat(instant), zone)
    assert day.today() == today
    assert day.now().utcoffset() == dt.timedelta(0)
    start, end = day.bounds()
    assert start <= day.now() < end
    assert start.astimezone(zone).time() == dt.time(0) and end.astimezone(zone).date() == today + dt.timedelta(days=1)


def test_a_day_across_a_dst_change_runs_from_midnight_to_midnight() -> None:
    day = CollectorDay.at(dt.datetime(2026, 11, 1, 12, tzinfo=LOS_ANGELES), LOS_ANGELES)
    start, end = day.bounds()
    assert end - start == dt.timedelta(hours=25)  # the clocks went back an hour
    start, end = day.bounds(dt.date(2027, 3, 14))
    assert end - start == dt.timedelta(hours=23)  # and forward
    assert day.bounds(dt.date(2027, 3, 15))[0] == end


def test_the_collectors_day_moves_with_the_trusted_clock() -> None:
    clock, mono, _ = make()
    clock.learn(dt.datetime(2026, 12, 3, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai
    day = CollectorDay(clock.now, SHANGHAI)
    assert day.today() == dt.date(2026, 12, 3)
    mono.advance(120)
    assert day.today() == dt.date(2026, 12, 4) and day.days_from_today(dt.date(2026, 12, 5)) == 1
    assert day.date_of(dt.datetime(2026, 12, 3, 23, 0, tzinfo=UTC)) == dt.date(2026, 12, 4)


def test_a_debtors_zone_is_named_only_when_their_clock_shows_another_time() -> None:
    day = CollectorDay.at(dt.datetime(2026, 12, 3, 2, tzinfo=UTC), SHANGHAI)
    assert not day.shows_other_time("Asia/Shanghai") and not day.shows_other_time("Asia/Chongqing")
    assert day.shows_other_time("America/New_York") and day.shows_other_time(KATHMANDU)
    assert day.shows_other_time("Mars/Olympus_Mons")  # an unknown zone is named, not hidden


def test_zone_names_and_the_fallbacks() -> None:
    assert known_zone("Asia/Shanghai") == SHANGHAI
    for bad in ("", None, "Mars/Olympus_Mons", "../etc/passwd", "Asia/Shang\x00hai", "x" * 100):
        assert known_zone(bad) is None
    assert zone_named("nowhere") is UTC and zone_named("nowhere", SHANGHAI) is SHANGHAI
    assert zone_name(SHANGHAI) == "Asia/Shanghai"
    assert laptop_zone().utcoffset(dt.datetime(2026, 12, 3)) is not None
    with pytest.raises(ValueError):
        CollectorDay.at(dt.datetime(2026, 12, 3, 2), SHANGHAI)
