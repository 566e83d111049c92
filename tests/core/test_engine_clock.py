"""TrustedClock: server time plus monotonic elapsed; a device clock that was moved is flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_helpers import UTC, FakeDeviceClock, FakeMonotonic

from fieldapp.core.clock import SOURCE_DEVICE, SOURCE_DEVICE_ADJUSTED, SOURCE_SERVER, TrustedClock

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
