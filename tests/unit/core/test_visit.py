"""A whole visit walked without Qt (core.visit.VisitSession): CN and US, the debtor and the third party.

The flow reads step roles, not step ids: the delivery, follow-up and person-at-the-door come from
``role:`` in the scripts; renaming a step cannot break them (the last test renames them all).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from fieldapp.core.rules import RulePack
from fieldapp.core.scripts import VisitScript, bundled_scripts
from fieldapp.core.visit import NOTHING_PRINTED, PromiseLimits, VisitSession

START = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


class Clock:
    """A minute per answer: each event at its own trusted time."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> dt.datetime:
        self.at += dt.timedelta(minutes=1)
        return self.at


def start(script_id: str, jurisdiction: str, scripts: dict[str, VisitScript] | None = None) -> VisitSession:
    scripts = scripts or bundled_scripts()
    return VisitSession.start("visit-1", scripts[script_id], policy=RulePack.bundled(jurisdiction).visit_policy(),
                              clock={"utc": START.isoformat(), "source": "server"}, device_clock_off=False,
                              library=scripts)


def walk_to_problem(session: VisitSession, answers: dict[str, Any], clock: Clock, *, print_letters: bool = True,
                    limits: PromiseLimits | None = None,
                    path: list[str] | None = None) -> tuple[str, dict[str, str]] | None:
    """Answer every step the visit reaches (``answers`` by step id; a say step is just read), printing
    the letter where the script offers it unless ``print_letters`` is false; stop at the first step
    that will not move on: (its id, why), or None at the end."""
    session.check_in(clock())
    path = [] if path is None else path
    while session.current_step is not None:
        step = session.current_step
        path.append(step.id)
        if (step.prints_notice or step.role == "delivery") and print_letters:
            session.add_notices([f"token-{step.id}"])
        if step.id in answers:
            session.answer(step.id, answers[step.id], clock())
        elif step.kind != "say":
            raise AssertionError(f"the walk reached {step.id!r} with no answer for it (path {path})")
        problem = session.advance(clock(), limits=limits)
        if problem is not None:
            return step.id, problem
        assert len(path) < 60, path
    return None


def walk(session: VisitSession, answers: dict[str, Any], clock: Clock, **options: Any) -> list[str]:
    """The whole walk (see walk_to_problem), which must reach the end; the step ids it took."""
    path: list[str] = []
    assert walk_to_problem(session, answers, clock, path=path, **options) is None, path
    return path


CN_DEBTOR = {"identity": "verified", "recording": "agree", "entry": "at_door", "notice": "signed",
             "response": "promise", "promise_date": "2026-12-10", "promise_amount": "500.00",
             "outcome": "promise_to_pay", "follow_up": "2026-12-11"}
US_DEBTOR = {"identify": "verified", "recording": "agree", "entry": "at_door", "notice": "accepted",
             "response": "promise", "promise_date": "2026-12-10", "promise_amount": "200.00",
             "outcome": "promise_to_pay", "follow_up": "2026-12-11"}
THIRD_PARTY = {"tp_situation": "not_home", "tp_callback": "will_pass_on", "tp_envelope": "accepted",
               "tp_do_not_contact": "no_objection", "tp_outcome": "third_party_only", "tp_person": "母亲"}


@pytest.mark.parametrize("script_id, jurisdiction, answers", [("cn-home-visit", "CN", CN_DEBTOR),
                                                              ("us-home-visit", "US", US_DEBTOR)])
def test_a_visit_with_the_debtor_from_the_door_to_the_follow_up(script_id: str, jurisdiction: str,
                                                                answers: dict[str, Any]) -> None:
    clock = Clock()
    session = start(script_id, jurisdiction)
    path = walk(session, answers, clock)
    assert path[0] in ("identity", "identify") and path[-1] == "follow_up" and "notice" in path
    assert session.runner.is_complete and session.outcome == "promise_to_pay"
    assert session.delivery() == "handed_to_debtor"  # the US "accepted" too: its choice says so
    state = session.state()
    assert state["follow_up_on"] == "2026-12-11" and state["delivery"] == "handed_to_debtor"
    assert state["visit"]["identity_confirmed"] is True and not state.get("third_party")
    events = session.take_events()
    assert [e[0] for e in events][:2] == ["visit_checked_in", "visit_step"] and session.events == []
    assert all(detail["visit_id"] == "visit-1" for _, detail, _ in events)
    times = [at for _, _, at in events]
    assert times == sorted(times) and times[0] > START


@pytest.mark.parametrize("script_id, jurisdiction", [("cn-home-visit", "CN"), ("us-home-visit", "US")])
def test_the_person_at_the_door_is_not_the_debtor(script_id: str, jurisdiction: str) -> None:
    """The switch to the third-party script: nothing about the debt, a sealed envelope where allowed."""
    clock = Clock()
    session = start(script_id, jurisdiction)
    first = "identity" if jurisdiction == "CN" else "identify"
    path = walk(session, {first: "not_debtor", **THIRD_PARTY}, clock)
    assert session.is_third_party and session.payload["third_party"] is True
    assert not {"notice", "amount", "purpose", "consequences"} & set(path)
    assert session.payload["contact_label"] == "母亲" and session.outcome == "third_party_only"
    events = [action for action, _, _ in session.take_events()]
    assert events.count("visit_third_party") == 1
    if jurisdiction == "CN":  # the CN pack allows a sealed envelope; the US script has no such step
        assert "tp_envelope" in path and session.delivery() == "sealed_envelope"
    else:
        assert "tp_envelope" not in path and session.delivery() == "not_delivered"


def test_a_refused_notice_and_a_wrong_address() -> None:
    clock = Clock()
    refused = start("cn-home-visit", "CN")
    walk(refused, {**CN_DEBTOR, "notice": "refused"}, clock)
    assert refused.delivery() == "refused"
    moved = start("cn-home-visit", "CN")
    with pytest.raises(ValueError):
        moved.wrong_address(clock(), "  ")  # what was found there is the lead's only lead
    moved.wrong_address(clock(), "新租户，三月起住这里，不认识债务人")
    assert moved.outcome == "wrong_address" and not moved.checked_in and moved.delivery() == "not_delivered"
    assert moved.payload["note"].startswith("新租户")


@pytest.mark.parametrize("script_id, jurisdiction, answers", [("cn-home-visit", "CN", CN_DEBTOR),
                                                              ("us-home-visit", "US", US_DEBTOR)])
def test_a_promise_given_in_the_script_is_a_promise(script_id: str, jurisdiction: str,
                                                    answers: dict[str, Any]) -> None:
    """The promise's date and amount steps (by role) make the visit's promise; another branch drops it."""
    clock = Clock()
    session = start(script_id, jurisdiction)
    walk(session, {**answers, "promise_amount": "3,000元" if jurisdiction == "CN" else "$200"}, clock)
    amount = "3000" if jurisdiction == "CN" else "200"
    assert session.promise() == {"due_on": "2026-12-10", "amount": amount}
    assert session.state()["promise"] == {"due_on": "2026-12-10", "amount": amount}
    other = start(script_id, jurisdiction)
    walk(other, {**answers, "response": "dispute", "dispute_details": "金额不对", "outcome": "disputes_debt"}, clock)
    assert other.promise() is None and other.state()["promise"] is None


def test_a_promise_must_be_due_and_within_the_balance() -> None:
    limits = PromiseLimits(today=dt.date(2026, 12, 3), balance_minor=218986, currency="CNY")
    clock = Clock()
    session = start("cn-home-visit", "CN")
    for past, amount in (("2026-12-02", "500"), ("2026-12-10", "2190"), ("2026-12-10", "0")):
        found = walk_to_problem(session, {**CN_DEBTOR, "promise_date": past, "promise_amount": amount}, clock,
                                limits=limits)
        assert found is not None
        step, problem = found
        assert step == ("promise_date" if past == "2026-12-02" else "promise_amount"), found
        assert problem["en"] and problem["zh-CN"]
        session = start("cn-home-visit", "CN")
    walk(session, {**CN_DEBTOR, "promise_amount": "2,189.86"}, clock, limits=limits)  # the whole balance is fine
    assert session.promise() == {"due_on": "2026-12-10", "amount": "2189.86"}


def test_a_letter_is_handed_over_only_once_printed() -> None:
    """Nothing printed: "handed over" is refused; "refused" is not. A letter printed before the visit
    (today's notices) counts."""
    clock = Clock()
    session = start("cn-home-visit", "CN")
    assert walk_to_problem(session, CN_DEBTOR, clock, print_letters=False) == ("notice", NOTHING_PRINTED)
    refused = start("cn-home-visit", "CN")
    walk(refused, {**CN_DEBTOR, "notice": "refused"}, clock, print_letters=False)
    assert refused.delivery() == "refused"
    before = VisitSession.start("visit-2", bundled_scripts()["cn-home-visit"],
                                policy=RulePack.bundled("CN").visit_policy(), clock={}, device_clock_off=False,
                                printed_before=["token-batch"])
    walk(before, CN_DEBTOR, clock, print_letters=False)
    assert before.delivery() == "handed_to_debtor" and before.letters() == ["token-batch"]


def test_a_saved_draft_resumes_where_it_stopped() -> None:
    clock = Clock()
    session = start("cn-home-visit", "CN")
    session.check_in(clock())
    for step_id, value in (("identity", "verified"), ("introduce", None), ("recording", "agree")):
        assert session.current_step is not None and session.current_step.id == step_id
        if value is not None:
            session.answer(step_id, value, clock())
        assert session.advance(clock()) is None
    session.add_attachment({"sha256": "a" * 64, "size": 3, "content_type": "image/png"})
    assert not session.add_attachment({"sha256": "a" * 64, "size": 3, "content_type": "image/png"})
    session.add_notices(["tok-1"])
    again = VisitSession.resume("visit-1", session.state())
    assert again.current_step is not None and again.current_step.id == session.current_step.id
    assert again.checked_in and again.payload["notices"] == ["tok-1"] and len(again.payload["attachments"]) == 1
    assert again.events == []  # events are the writer's, not the draft's


def test_a_step_needing_an_answer_says_so() -> None:
    clock = Clock()
    session = start("cn-home-visit", "CN")
    session.check_in(clock())
    problem = session.advance(clock())  # identity not answered
    assert problem is not None and problem.get("en")
    assert session.current_step is not None and session.current_step.id == "identity"


def test_renamed_steps_keep_their_meaning() -> None:
    """The flow follows roles: rename every step of both CN scripts and the record is the same."""
    renamed: dict[str, VisitScript] = {}
    for sid, script in bundled_scripts().items():
        data = copy.deepcopy(script.data)
        mapping = {step["id"]: f"s{n}_{step['id'][::-1]}" for n, step in enumerate(data["steps"])}

        def rename(value: Any, mapping: dict[str, str] = mapping) -> Any:
            return mapping.get(value, value) if isinstance(value, str) else value

        for step in data["steps"]:
            step["id"] = mapping[step["id"]]
            for key in ("next", "skip_to"):
                if isinstance(step.get(key), dict):
                    step[key] = {k: rename(v) for k, v in step[key].items()}
                elif key in step:
                    step[key] = rename(step[key])
        if "start" in data:
            data["start"] = mapping[data["start"]]
        renamed[sid] = VisitScript(data)
    clock = Clock()
    session = start("cn-home-visit", "CN", renamed)
    script = renamed["cn-home-visit"]
    by_old = {old: f"s{n}_{old[::-1]}" for n, old in enumerate(s["id"] for s in bundled_scripts()["cn-home-visit"].data["steps"])}
    walk(session, {by_old[k]: v for k, v in CN_DEBTOR.items()}, clock)
    assert script.start.startswith("s0_") and not script.has_step("notice")
    assert session.delivery() == "handed_to_debtor" and session.payload["follow_up_on"] == "2026-12-11"
