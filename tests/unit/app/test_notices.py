"""app.notices without Qt: the one print permission the GUI and ``fieldapp notice render`` both ask."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from client_fixtures import case_record

from fieldapp.app.notices import print_permission
from fieldapp.store import repo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def store(device_store: Any) -> Any:
    with device_store.session() as session:
        repo.apply_case(session, case_record(1))
        repo.apply_case(session, case_record(2, flags=["cease_contact"]))
        repo.apply_case(session, case_record(3, jurisdiction="US", timezone="America/New_York", currency="USD",
                                             debtor_name="Jane Doe"))
        session.commit()
    return device_store


def test_before_identity_a_cn_notice_is_only_for_a_sealed_envelope(store: Any) -> None:
    permission = print_permission(store, 1, now=NOON)
    assert permission.allowed and permission.mode == "sealed_envelope"
    assert "sealed envelope" in permission.reason["en"]


def test_after_identity_it_is_handed_to_the_debtor(store: Any) -> None:
    permission = print_permission(store, 1, now=NOON, identity_confirmed=True)
    assert permission.allowed and permission.mode == "handed_to_debtor"


def test_a_case_that_asked_to_cease_contact_is_refused_with_the_rule(store: Any) -> None:
    permission = print_permission(store, 2, now=NOON, identity_confirmed=True)
    assert not permission.allowed and permission.rule_id and permission.rule_id.startswith("CN")
    assert permission.reason["en"] and permission.reason["zh-CN"]


def test_at_night_no_envelope_is_left(store: Any) -> None:
    permission = print_permission(store, 1, now=dt.datetime(2026, 11, 25, 22, 30, tzinfo=SHANGHAI))
    assert not permission.allowed and permission.rule_id == "CN1"


def test_a_us_notice_needs_identity_first(store: Any) -> None:
    noon_ny = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    refused = print_permission(store, 3, now=noon_ny)
    assert not refused.allowed and "identity" in refused.reason["en"]
    assert print_permission(store, 3, now=noon_ny, identity_confirmed=True).mode == "handed_to_debtor"


def test_a_case_no_longer_on_the_laptop_is_said_plainly(store: Any) -> None:
    permission = print_permission(store, 99, now=NOON)
    assert not permission.allowed and "no longer on this laptop" in permission.reason["en"]
