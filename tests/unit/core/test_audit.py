"""The audit chain detects an edited, removed or reordered event."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from engine_helpers import UTC
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.audit import GENESIS, AuditChain, AuditEvent, verify
from fieldapp.core.canonical import content_hash

T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=UTC)


def chain_of(n: int) -> AuditChain:
    chain = AuditChain()
    for i in range(n):
        chain.append("collector-1", "device-1", f"action-{i}", {"step": i, "amount": Decimal("12.50")},
                     T0 + dt.timedelta(minutes=i))
    return chain


def test_events_link_to_the_previous_hash() -> None:
    chain = chain_of(3)
    events = chain.events
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert events[0].hash == content_hash(events[0].body())
    assert events[0].detail["amount"] == "12.50"
    assert chain.head == events[-1].hash and verify(events) is None and chain.verify() is None


def test_round_trip_through_json_keeps_the_chain() -> None:
    stored = json.loads(json.dumps([e.to_dict() for e in chain_of(4).events]))
    assert verify(stored) is None
    assert verify([AuditEvent.from_dict(d) for d in stored]) is None


@pytest.mark.parametrize("index", [0, 2, 4])
def test_an_edited_event_is_found(index: int) -> None:
    events = chain_of(5).events
    events[index] = dataclasses.replace(events[index], detail={"step": 99})
    assert verify(events) == index
    stored = [e.to_dict() for e in chain_of(5).events]
    stored[index]["who"] = "someone-else"
    assert verify(stored) == index


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link() -> None:
    events = chain_of(5).events
    forged = dataclasses.replace(events[2], action="nothing happened", hash="")
    events[2] = forged
    assert verify(events) == 3


@pytest.mark.parametrize("index", [0, 2, 4])
def test_a_removed_event_is_found(index: int) -> None:
    events = chain_of(5).events
    del events[index]
    expected = None if index == 4 else index  # removing the tail is only seen against the synced head
    assert verify(events) == expected


def test_a_removed_tail_is_seen_against_the_known_head() -> None:
    chain = chain_of(5)
    assert verify(chain.events, head=chain.head) is None
    assert verify(chain.events[:-1], head=chain.head) == 4
    assert verify([], head=chain.head) == 0


def test_reordered_events_are_found() -> None:
    events = chain_of(5).events
    events[1], events[3] = events[3], events[1]
    assert verify(events) == 1


def test_continuation_is_verified_from_the_last_known_hash() -> None:
    events = chain_of(6).events
    assert verify(events[3:], start_hash=events[2].hash) is None
    assert verify(events[3:]) == 0


def test_a_broken_chain_cannot_be_extended() -> None:
    events = chain_of(3).events
    events[1] = dataclasses.replace(events[1], device="device-2")
    with pytest.raises(ValueError, match="broken at event 1"):
        AuditChain(events)


def test_details_must_be_exact() -> None:
    chain = AuditChain()
    with pytest.raises(TypeError):
        chain.append("c", "d", "a", {"amount": 12.5}, T0)
    with pytest.raises(ValueError):
        chain.append("c", "d", "a", {}, dt.datetime(2026, 5, 1))


@given(st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=12), st.data())
def test_any_single_swap_or_removal_breaks_the_chain(actions: list[str], data: st.DataObject) -> None:
    chain = AuditChain()
    for i, action in enumerate(actions):
        chain.append("u", "d", action, {"i": i}, T0 + dt.timedelta(seconds=i))
    events = chain.events
    i = data.draw(st.integers(0, len(events) - 2))
    j = data.draw(st.integers(i + 1, len(events) - 1))
    swapped = list(events)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert verify(swapped) == i
    removed = events[:i] + events[i + 1:]
    assert verify(removed) == i
