"""RulePack.check beyond the scenarios, and lender policies that may only tighten a pack."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_helpers import UTC, local

from fieldapp.core.forms import load_yaml
from fieldapp.core.rules import (
    CaseFacts,
    ContactRecord,
    PolicyError,
    RulePack,
    loosening_problems,
)

CN = CaseFacts("CN", "Asia/Shanghai")


def override(*rules: dict, jurisdiction: str = "CN") -> dict:
    return {"kind": "rule_override", "id": "acme", "jurisdiction": jurisdiction, "version": "1",
            "title": {"zh-CN": "某贷款方政策", "en": "ACME policy"}, "rules": list(rules)}


def test_bundled_packs_load_with_an_id_version_and_hash() -> None:
    for jurisdiction in ("CN", "US", "IN", "UK"):
        pack = RulePack.bundled(jurisdiction)
        assert pack.jurisdiction == jurisdiction and pack.version and len(pack.content_hash) == 64
        assert all(r.severity in ("hard", "soft") for r in pack.rules)
        assert all(r.reason["zh-CN"] and r.reason["en"] for r in pack.rules)


def test_check_refuses_unknown_actions_naive_times_and_unknown_zones() -> None:
    pack = RulePack.bundled("CN")
    with pytest.raises(ValueError, match="unknown action"):
        pack.check("shout", CN, [], local("Asia/Shanghai", 2026, 5, 1, 10, 0))
    with pytest.raises(ValueError, match="aware"):
        pack.check("call", CN, [], dt.datetime(2026, 5, 1, 10, 0))
    with pytest.raises(ValueError, match="zone"):
        pack.check("call", CaseFacts("CN", "Mars/Olympus"), [], local("Asia/Shanghai", 2026, 5, 1, 10, 0))


def test_history_after_now_is_ignored() -> None:
    pack = RulePack.bundled("CN")
    now = local("Asia/Shanghai", 2026, 5, 1, 10, 0)
    later = [ContactRecord(now + dt.timedelta(hours=h), "call", connected=True) for h in (1, 2, 3)]
    assert pack.check("call", CN, later, now).allowed


def test_soft_rules_ask_for_a_justification() -> None:
    pack = RulePack.bundled("CN")
    now = local("Asia/Shanghai", 2026, 5, 3, 10, 0)
    visit = ContactRecord(local("Asia/Shanghai", 2026, 5, 1, 15, 0), "visit")
    verdict = pack.check("start_visit", CN, [visit], now)
    assert verdict.needs_justification and verdict.rule_id == "CN-P3"
    assert "2026-05-01" in verdict.reason["en"]
    assert pack.check("start_visit", CN, [visit], now + dt.timedelta(days=2)).allowed
    disputed = CaseFacts("CN", "Asia/Shanghai", flags=frozenset({"dispute_open"}))
    assert pack.check("start_visit", disputed, [], now).needs_justification
    # a hard rule wins over a soft one, and every finding is kept for the record
    both = pack.check("start_visit", disputed, [visit], local("Asia/Shanghai", 2026, 5, 3, 23, 0))
    assert both.blocked and both.rule_id == "CN1"
    assert [f.rule_id for f in both.findings] == ["CN1", "CN-P2", "CN-P3"]


def test_india_needs_a_valid_collector_credential() -> None:
    pack = RulePack.bundled("IN")
    now = local("Asia/Kolkata", 2026, 5, 1, 11, 0)
    assert pack.check("start_visit", CaseFacts("IN", "Asia/Kolkata"), [], now).rule_id == "IN2"
    expired = CaseFacts("IN", "Asia/Kolkata", collector_credential_valid_until=dt.date(2026, 4, 30))
    assert pack.check("start_visit", expired, [], now).rule_id == "IN2"
    valid = CaseFacts("IN", "Asia/Kolkata", collector_credential_valid_until=dt.date(2026, 5, 1))
    assert pack.check("start_visit", valid, [], now).allowed
    assert pack.check("call", CaseFacts("IN", "Asia/Kolkata"), [], now).allowed  # calls need no ID card


def test_sealed_envelope_depends_on_the_pack() -> None:
    now_cn = local("Asia/Shanghai", 2026, 5, 1, 11, 0)
    assert RulePack.bundled("CN").check("leave_sealed_envelope", CN, [], now_cn).allowed
    us = CaseFacts("US", "America/New_York")
    verdict = RulePack.bundled("US").check("leave_sealed_envelope", us, [], local("America/New_York", 2026, 5, 1, 11, 0))
    assert verdict.blocked and verdict.rule_id == "US-P4"
    assert RulePack.bundled("CN").visit_policy().sealed_envelope_allowed
    assert not RulePack.bundled("US").visit_policy().sealed_envelope_allowed


def test_visit_policy_reflects_the_pack() -> None:
    cn, us = RulePack.bundled("CN").visit_policy(), RulePack.bundled("US").visit_policy()
    assert cn.recording_before_disclosure and cn.entry_consent_required and cn.identity_before_disclosure
    assert not us.recording_before_disclosure and us.collector_disclosure_first and us.identity_before_disclosure


def test_calls_to_a_third_party_are_not_counted_as_calls_to_the_debtor() -> None:
    pack = RulePack.bundled("CN")
    now = local("Asia/Shanghai", 2026, 5, 1, 15, 0)
    calls = [ContactRecord(now - dt.timedelta(hours=h), "call", connected=True) for h in (1, 2, 3)]
    assert pack.check("call", CN, calls, now).blocked
    assert pack.check("call", CN, calls, now, contact="sister-1").allowed
    mixed = [ContactRecord(c.at, "call", connected=True, contact="sister-1") for c in calls]
    assert pack.check("call", CN, mixed, now).allowed


# ------------------------------------------------------------------ lender policy: stricter only
def test_override_may_tighten_numbers_and_add_rules() -> None:
    pack = RulePack.bundled("CN").with_override(override(
        {"id": "CN2", "max": 2},
        {"id": "CN1", "start": "09:00", "end": "20:00", "appointment_exception": False},
        {"id": "CN-P1", "flags": ["attorney", "cease_contact", "bereavement", "vulnerable", "lacks_capacity",
                                  "dispute_open"]},
        {"id": "CN-P3", "severity": "hard", "days": 7},
        {"id": "CN-ACME1", "type": "sealed_envelope", "severity": "hard", "applies_to": ["leave_sealed_envelope"],
         "allowed": False, "reason": {"zh-CN": "本公司不留信件", "en": "ACME never leaves letters"}},
    ))
    assert pack.version.endswith("+acme.1") and pack.data["policy"] == {"id": "acme", "version": "1"}
    now = local("Asia/Shanghai", 2026, 5, 1, 15, 0)
    two = [ContactRecord(now - dt.timedelta(hours=h), "call", connected=True) for h in (1, 2)]
    assert pack.check("call", CN, two, now).rule_id == "CN2"
    assert pack.check("call", CN, [], local("Asia/Shanghai", 2026, 5, 1, 20, 30)).rule_id == "CN1"
    agreed = CaseFacts("CN", "Asia/Shanghai", appointment_at=local("Asia/Shanghai", 2026, 5, 1, 21, 0))
    assert pack.check("start_visit", agreed, [], local("Asia/Shanghai", 2026, 5, 1, 21, 0)).blocked
    assert pack.check("start_visit", CaseFacts("CN", "Asia/Shanghai", flags=frozenset({"dispute_open"})), [],
                      now).blocked
    assert pack.check("leave_sealed_envelope", CN, [], now).rule_id == "CN-ACME1"
    assert not pack.visit_policy().sealed_envelope_allowed  # any envelope rule that forbids it wins
    assert RulePack.bundled("CN").check("call", CN, two, now).allowed  # the bundled pack is untouched


@pytest.mark.parametrize(
    ("change", "jurisdiction"),
    [
        ({"id": "CN2", "max": 4}, "CN"),
        ({"id": "CN2", "connected_only": True, "channels": ["call", "sms"], "max": 5}, "CN"),
        ({"id": "CN2", "channels": ["sms"]}, "CN"),
        ({"id": "CN1", "start": "07:00"}, "CN"),
        ({"id": "CN1", "end": "22:30"}, "CN"),
        ({"id": "CN1", "appointment_grace_minutes": 120}, "CN"),
        ({"id": "CN1", "severity": "soft"}, "CN"),
        ({"id": "CN1", "applies_to": ["start_visit"]}, "CN"),
        ({"id": "CN-P1", "flags": ["attorney"]}, "CN"),
        ({"id": "CN6", "recording_before_disclosure": False}, "CN"),
        ({"id": "CN1", "enabled": False}, "CN"),
        ({"id": "CN1", "remove": True}, "CN"),
        ({"id": "CN1", "type": "credential"}, "CN"),
        ({"id": "IN1", "appointment_exception": True}, "IN"),
        ({"id": "US-P4", "allowed": True}, "US"),
        ({"id": "US3b", "days": 3}, "US"),
        ({"id": "US3a", "max": 8}, "US"),
        ({"id": "US4", "max": 2}, "US"),
    ],
)
def test_override_refuses_to_loosen(change: dict, jurisdiction: str) -> None:
    pack = RulePack.bundled(jurisdiction)
    with pytest.raises(PolicyError) as info:
        pack.with_override(override(change, jurisdiction=jurisdiction))
    assert info.value.problems and change["id"] in info.value.problems[0]


def test_override_for_another_jurisdiction_is_refused() -> None:
    assert loosening_problems(RulePack.bundled("CN").data, override({"id": "US1", "end": "20:00"}, jurisdiction="US"))


def test_override_file_loads_from_yaml() -> None:
    text = """
kind: rule_override
id: acme
jurisdiction: US
version: "2"
title: {zh-CN: 某贷款方政策, en: ACME policy}
rules:
  - id: US1
    start: "09:00"
    end: "20:00"
"""
    pack = RulePack.bundled("US").with_override(load_yaml(text))
    now = local("America/Los_Angeles", 2026, 5, 1, 20, 15)
    assert pack.check("call", CaseFacts("US", "America/Los_Angeles"), [], now).rule_id == "US1"
    assert "after 20:00" in pack.check("call", CaseFacts("US", "America/Los_Angeles"), [], now).reason["en"]
    assert now.astimezone(UTC).hour == 3


def test_times_the_debtor_called_inconvenient_are_honoured() -> None:
    case = CaseFacts("US", "America/Chicago", blocked_times=(("12:00", "13:30"), ("20:00", "09:00")))
    pack = RulePack.bundled("US")
    lunch = pack.check("call", case, [], local("America/Chicago", 2026, 5, 1, 12, 45))
    assert lunch.blocked and lunch.rule_id == "US1b" and "12:00–13:30" in lunch.reason["en"]
    assert pack.check("call", case, [], local("America/Chicago", 2026, 5, 1, 8, 30)).rule_id == "US1b"  # overnight span
    assert pack.check("call", case, [], local("America/Chicago", 2026, 5, 1, 14, 0)).allowed
    assert RulePack.bundled("UK").check(
        "start_visit", CaseFacts("UK", "Europe/London", blocked_times=(("09:00", "17:00"),)), [],
        local("Europe/London", 2026, 5, 1, 10, 0)).rule_id == "UK1a"


def test_a_tightened_pack_is_still_a_valid_rule_pack() -> None:
    from fieldapp.core.formcheck import check_document
    from fieldapp.core.forms import YamlDocument

    pack = RulePack.bundled("CN").with_override(override({"id": "CN2", "max": 2}))
    assert check_document(YamlDocument(pack.data), kind="rule_pack") == []
