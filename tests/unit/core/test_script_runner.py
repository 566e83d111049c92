"""The five scenarios of issue 4 at engine level: rules, runner, trusted clock and audit, no GUI."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_helpers import UTC, FakeDeviceClock, FakeMonotonic, local

from fieldapp.core.audit import AuditChain, verify
from fieldapp.core.clock import TrustedClock
from fieldapp.core.rules import FLAG_LABELS, CaseFacts, ContactRecord, RulePack
from fieldapp.core.script_runner import ScriptRunner
from fieldapp.core.scripts import StepGated, bundled_scripts

CN = CaseFacts("CN", "Asia/Shanghai")
US = CaseFacts("US", "America/Chicago")
IN = CaseFacts("IN", "Asia/Kolkata", collector_credential_valid_until=dt.date(2030, 1, 1))


def runner_for(script_id: str, jurisdiction: str) -> ScriptRunner:
    scripts = bundled_scripts()
    return ScriptRunner(scripts[script_id], library=scripts, policy=RulePack.bundled(jurisdiction).visit_policy())


# ------------------------------------------------------------------ 1. night window, trusted clock
def test_cn_visit_at_2205_is_blocked_naming_the_night_window_and_audited() -> None:
    pack = RulePack.bundled("CN")
    now = local("Asia/Shanghai", 2026, 5, 1, 22, 5)
    verdict = pack.check("start_visit", CN, [], now)
    assert verdict.blocked and verdict.rule_id == "CN1"
    assert "08:00–22:00" in verdict.reason["en"] and "22:05" in verdict.reason["en"]
    assert "08:00–22:00" in verdict.reason["zh-CN"] and "22:05" in verdict.reason["zh-CN"]
    assert verdict.local_time is not None and verdict.local_time.hour == 22

    chain = AuditChain()
    event = chain.append("collector-1", "device-1", "visit_blocked",
                         {"case": 42, "action": "start_visit", "verdict": verdict.to_dict()}, now)
    assert event.detail["verdict"]["rule_id"] == "CN1"
    assert verify(chain.events) is None


def test_cn_visit_inside_the_window_or_at_an_agreed_appointment_is_allowed() -> None:
    pack = RulePack.bundled("CN")
    assert pack.check("start_visit", CN, [], local("Asia/Shanghai", 2026, 5, 1, 21, 59)).allowed
    assert pack.check("start_visit", CN, [], local("Asia/Shanghai", 2026, 5, 1, 8, 0)).allowed
    assert pack.check("start_visit", CN, [], local("Asia/Shanghai", 2026, 5, 1, 7, 59)).blocked
    late = local("Asia/Shanghai", 2026, 5, 1, 22, 5)
    agreed = CaseFacts("CN", "Asia/Shanghai", appointment_at=local("Asia/Shanghai", 2026, 5, 1, 22, 0))
    assert pack.check("start_visit", agreed, [], late).allowed
    # an appointment for another day does not open tonight's window
    other_day = CaseFacts("CN", "Asia/Shanghai", appointment_at=local("Asia/Shanghai", 2026, 5, 2, 22, 0))
    assert pack.check("start_visit", other_day, [], late).blocked


@pytest.mark.parametrize(
    ("jurisdiction", "case", "now", "rule"),
    [
        ("US", US, local("America/Chicago", 2026, 7, 1, 21, 30), "US1"),
        ("IN", IN, local("Asia/Kolkata", 2026, 7, 1, 19, 10), "IN1"),
    ],
)
def test_us_at_2130_and_in_at_1910_debtor_local_are_blocked(jurisdiction: str, case: CaseFacts,
                                                             now: dt.datetime, rule: str) -> None:
    verdict = RulePack.bundled(jurisdiction).check("start_visit", case, [], now)
    assert verdict.blocked and verdict.rule_id == rule
    assert now.strftime("%H:%M") in verdict.reason["en"]
    # the same instant seen from the collector's own zone changes nothing
    assert RulePack.bundled(jurisdiction).check("start_visit", case, [], now.astimezone(UTC)).rule_id == rule


def test_device_clock_set_back_two_hours_still_blocked() -> None:
    pack = RulePack.bundled("CN")
    synced = local("Asia/Shanghai", 2026, 5, 1, 21, 0)
    mono, device = FakeMonotonic(), FakeDeviceClock(synced.astimezone(UTC))
    clock = TrustedClock(monotonic=mono, device_now=device)
    clock.learn(synced)
    # 65 minutes later the collector has set the laptop's clock back two hours
    mono.advance(65 * 60)
    device.value = (synced + dt.timedelta(minutes=65) - dt.timedelta(hours=2)).astimezone(UTC)
    assert pack.check("start_visit", CN, [], device.value).allowed  # what the bare device clock would say
    verdict = pack.check("start_visit", CN, [], clock.now())
    assert verdict.blocked and verdict.rule_id == "CN1"
    assert "22:05" in verdict.reason["en"]
    assert clock.is_device_clock_off()
    assert clock.device_skew_seconds() == pytest.approx(-7200)


# ------------------------------------------------------------------ 2. not the debtor
def test_not_the_debtor_hides_amounts_and_printing_and_loads_the_third_party_script() -> None:
    at = local("Asia/Shanghai", 2026, 5, 1, 10, 0)
    runner = runner_for("cn-home-visit", "CN")
    assert not runner.amounts_visible and not runner.printing_allowed
    runner.answer("identity", "not_debtor", at)
    runner.advance(at)
    assert runner.script.id == "cn-third-party" and runner.script.audience == "third_party"
    assert runner.started_script.id == "cn-home-visit"
    assert runner.is_third_party
    assert not runner.amounts_visible and not runner.printing_allowed
    text = runner.render("zh-CN", {"debtor_name": "张三", "total_due": "¥12,345.00", "creditor_name": "某银行"})
    assert "张三" in text and "¥12,345.00" not in text and "某银行" not in text
    # nothing in the third-party script can disclose
    assert not any(s.gated_by_identity for s in runner.script.steps)


def test_do_not_contact_is_recorded_and_that_contact_is_refused_next_time() -> None:
    at = local("Asia/Shanghai", 2026, 5, 1, 10, 0)
    runner = runner_for("cn-home-visit", "CN")
    for step, value in [("identity", "not_debtor"), ("tp_intro", "done"), ("tp_situation", "declines"),
                        ("tp_do_not_contact", "do_not_contact")]:
        runner.answer(step, value, at)
        runner.advance(at)
    assert runner.facts["do_not_contact"]
    # the store records the contact as blocked; the next approach is refused
    case = CaseFacts("CN", "Asia/Shanghai", blocked_contacts=frozenset({"contact-7"}))
    later = at + dt.timedelta(days=3)
    pack = RulePack.bundled("CN")
    for action in ("contact_third_party", "call", "leave_sealed_envelope"):
        verdict = pack.check(action, case, [], later, contact="contact-7")
        assert verdict.blocked and verdict.rule_id == "CN3", action
    assert pack.check("contact_third_party", case, [], later, contact="contact-8").allowed
    us_case = CaseFacts("US", "America/New_York", blocked_contacts=frozenset({"contact-7"}))
    assert RulePack.bundled("US").check("contact_third_party", us_case, [], later, contact="contact-7").blocked


def test_us_third_party_contacted_again_needs_a_justification() -> None:
    pack = RulePack.bundled("US")
    case = CaseFacts("US", "America/New_York")
    now = local("America/New_York", 2026, 5, 4, 11, 0)
    before = [ContactRecord(now - dt.timedelta(days=2), "visit", contact="neighbour-1")]
    verdict = pack.check("contact_third_party", case, before, now, contact="neighbour-1")
    assert verdict.needs_justification and verdict.rule_id == "US4"
    assert not verdict.permits("") and verdict.permits("she asked me to come back with a card")
    assert verdict.flag_for_lead


# ------------------------------------------------------------------ 3. no recording consent
def test_without_recording_consent_the_disclosure_steps_cannot_be_reached() -> None:
    at = local("Asia/Shanghai", 2026, 5, 1, 10, 0)
    runner = runner_for("cn-home-visit", "CN")
    for step, value in [("identity", "verified"), ("introduce", "done")]:
        runner.answer(step, value, at)
        runner.advance(at)
    runner.answer("recording", "decline", at)
    disclosing = [s.id for s in runner.script.steps if s.discloses_debt]
    assert disclosing and not any(runner.is_reachable(s) for s in disclosing)
    runner.advance(at)
    visited = []
    while not runner.is_complete:
        step = runner.current_step
        assert step is not None
        visited.append(step.id)
        assert not step.discloses_debt and not step.shows_amount and not step.prints_notice
        value = {"say": "done", "capture": "2026-05-08"}.get(step.kind) or runner.available_choices()[0].value
        runner.answer(step.id, "refused" if step.outcome else value, at)
        runner.advance(at)
    assert visited[0] == "no_recording"
    assert runner.outcome == "refused"


def test_the_runner_refuses_a_disclosure_even_if_a_script_routes_to_one() -> None:
    # defence in depth: a script the checker would reject still cannot disclose without consent
    from fieldapp.core.scripts import VisitScript

    script = VisitScript({
        "kind": "script", "id": "bad", "version": "1", "jurisdiction": "CN", "audience": "debtor",
        "title": {"zh-CN": "坏", "en": "bad"},
        "steps": [
            {"id": "who", "kind": "ask", "required": True, "text": {"zh-CN": "是", "en": "you?"},
             "choices": [{"value": "yes", "text": {"zh-CN": "是", "en": "yes"}, "sets": {"identity_confirmed": True}}],
             "next": "rec"},
            {"id": "rec", "kind": "confirm", "required": True, "text": {"zh-CN": "录", "en": "record?"},
             "choices": [{"value": "yes", "text": {"zh-CN": "是", "en": "yes"}, "sets": {"recording_consent": True}},
                         {"value": "no", "text": {"zh-CN": "否", "en": "no"}}],
             "next": "owe"},
            {"id": "owe", "kind": "say", "required": True, "discloses_debt": True, "shows_amount": True,
             "text": {"zh-CN": "{total_due}", "en": "{total_due}"}},
        ],
    })
    at = dt.datetime(2026, 5, 1, 2, tzinfo=UTC)
    runner = ScriptRunner(script)
    runner.answer("who", "yes", at)
    runner.advance(at)
    runner.answer("rec", "no", at)
    assert not runner.can_advance
    assert "recording" in runner.advance_problem()["en"]
    with pytest.raises(StepGated):
        runner.advance(at)
    assert runner.current_step.id == "rec"


# ------------------------------------------------------------------ 4. contact frequency
def test_cn_fourth_connected_call_today_is_blocked_and_a_logged_one_is_flagged() -> None:
    pack = RulePack.bundled("CN")
    now = local("Asia/Shanghai", 2026, 5, 1, 15, 0)
    calls = [ContactRecord(local("Asia/Shanghai", 2026, 5, 1, h, 0), "call", connected=True, by=who)
             for h, who in [(9, "agency-a"), (11, "lender"), (13, "agency-b")]]
    verdict = pack.check("call", CN, calls, now)
    assert verdict.blocked and verdict.rule_id == "CN2"
    assert "3" in verdict.reason["en"] and "3" in verdict.reason["zh-CN"]
    # unanswered calls and yesterday's calls do not count
    unanswered = [ContactRecord(c.at, "call", connected=False) for c in calls]
    yesterday = [ContactRecord(local("Asia/Shanghai", 2026, 4, 30, 23, 30), "call", connected=True)] + calls[:2]
    assert pack.check("call", CN, unanswered, now).allowed
    assert pack.check("call", CN, yesterday, now).allowed
    # a call made anyway (from a personal phone) and logged afterwards is flagged for the lead
    fourth = ContactRecord(local("Asia/Shanghai", 2026, 5, 1, 16, 0), "call", connected=True)
    review = pack.review_logged("call", CN, calls + [fourth], fourth.at)
    assert review.flag_for_lead and review.rule_id == "CN2"
    assert not pack.review_logged("call", CN, calls[:2] + [fourth], fourth.at).flag_for_lead


def test_us_call_after_a_conversation_yesterday_is_blocked() -> None:
    pack = RulePack.bundled("US")
    case = CaseFacts("US", "America/New_York")
    now = local("America/New_York", 2026, 5, 5, 10, 0)
    talk = ContactRecord(local("America/New_York", 2026, 5, 4, 16, 0), "call", connected=True)
    verdict = pack.check("call", case, [talk], now)
    assert verdict.blocked and verdict.rule_id == "US3b"
    assert "7" in verdict.reason["en"]
    old_talk = ContactRecord(now - dt.timedelta(days=8), "call", connected=True)
    assert pack.check("call", case, [old_talk], now).allowed
    seven = [ContactRecord(now - dt.timedelta(hours=20 * i + 1), "call") for i in range(7)]
    assert pack.check("call", case, seven, now).rule_id == "US3a"
    assert pack.check("call", case, seven[:6], now).allowed


# ------------------------------------------------------------------ 5. blocking flags
@pytest.mark.parametrize("jurisdiction,zone", [("CN", "Asia/Shanghai"), ("US", "America/Denver"),
                                               ("IN", "Asia/Kolkata"), ("UK", "Europe/London")])
@pytest.mark.parametrize("flag", ["attorney", "cease_contact", "bereavement", "vulnerable"])
def test_flagged_case_cannot_start_a_visit_and_the_reason_names_the_flag(jurisdiction: str, zone: str,
                                                                           flag: str) -> None:
    case = CaseFacts(jurisdiction, zone, flags=frozenset({flag}), collector_credential_valid_until=dt.date(2030, 1, 1))
    now = local(zone, 2026, 6, 3, 11, 0)
    verdict = RulePack.bundled(jurisdiction).check("start_visit", case, [], now)
    assert verdict.blocked
    assert FLAG_LABELS[flag]["en"] in verdict.reason["en"]
    assert FLAG_LABELS[flag]["zh-CN"] in verdict.reason["zh-CN"]
    unflagged = CaseFacts(jurisdiction, zone, collector_credential_valid_until=dt.date(2030, 1, 1))
    assert RulePack.bundled(jurisdiction).check("start_visit", unflagged, [], now).allowed
