"""One visit's flow as data: check-in, the script's steps, the switch to the third-party script,
evidence, the notice's delivery, the outcome and the follow-up.

The wizard only draws ``session.current_step`` and calls these methods; what the visit record carries
is decided here, from the steps' *roles* in the script (``role: delivery``, ``follow_up``,
``third_party_person``) — never from step ids, so renaming a step in ``forms/`` cannot quietly break
the delivery record. Everything is Qt-free and is walked whole in tests (tests/unit/core/test_visit.py).
Not thread-safe: one session belongs to one wizard on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldapp.core.money import MoneyError, format_amount, parse_amount, to_minor
from fieldapp.core.script_runner import ScriptRunner
from fieldapp.core.scripts import (
    HANDED_DELIVERIES,
    ROLE_DELIVERY,
    ROLE_FOLLOW_UP,
    ROLE_PROMISE_AMOUNT,
    ROLE_PROMISE_DATE,
    ROLE_THIRD_PARTY_PERSON,
    Step,
    VisitPolicy,
    VisitScript,
)

#: Audit actions the session writes (with the visit id, each at the trusted time it happened).
CHECKED_IN = "visit_checked_in"
STEP = "visit_step"
THIRD_PARTY = "visit_third_party"
NOT_DELIVERED = "not_delivered"

#: An audit event waiting to be written with the next save: (action, detail, at).
Event = tuple[str, dict[str, Any], dt.datetime]


@dataclass(frozen=True)
class PromiseLimits:
    """What a promise given at the door must respect: not before the debtor's today, more than
    nothing and not more than the balance (minor units, in the case's currency)."""

    today: dt.date
    balance_minor: int
    currency: str = "CNY"

    def problem(self, promise: Mapping[str, str]) -> dict[str, str] | None:
        """Why ``promise`` ({"due_on", "amount"}, either may be missing yet) cannot stand, or None."""
        due = promise.get("due_on")
        if due and dt.date.fromisoformat(due) < self.today:
            return {"zh-CN": f"承诺还款日期 {due} 已经过去，请选择今天或以后的日期。",
                    "en": f"The promised date {due} is in the past: choose today or a later day."}
        amount = promise.get("amount")
        if amount is None:
            return None
        try:
            minor = to_minor(parse_amount(amount, self.currency), self.currency)
        except MoneyError:
            return {"zh-CN": "请输入数字金额，例如 3000 或 3,000.50。", "en": "Type the amount in digits, such as 3000."}
        if minor <= 0:
            return {"zh-CN": "承诺还款金额必须大于零。", "en": "The promised amount must be more than zero."}
        if minor > self.balance_minor:
            balance = format_amount(self.balance_minor, self.currency)
            return {"zh-CN": f"承诺还款金额超过欠款余额 {balance}。",
                    "en": f"The promised amount is more than the balance of {balance}."}
        return None


#: Why a letter cannot be recorded as handed over: none was printed for this case.
NOTHING_PRINTED = {"zh-CN": "本案还没有打印通告函，不能记录为已交付。请先点“打印通告函”，或选择“拒绝接收”。",
                   "en": "No notice letter has been printed for this case, so it cannot be recorded as handed "
                         "over. Print it first, or choose \u201cRefused\u201d."}


class VisitSession:
    """A visit in progress: the script runner plus what the visit adds around it (``payload``).

    ``payload`` is the draft the store keeps (JSON-safe): check-in, attachments, notices printed,
    follow-up date, who was at the door, flags. ``events`` are the audit events not yet saved;
    ``take_events()`` hands them to the writer.
    """

    def __init__(self, visit_id: str, runner: ScriptRunner, payload: dict[str, Any]) -> None:
        self.visit_id = visit_id
        self.runner = runner
        self.payload = payload
        self.events: list[Event] = []

    @classmethod
    def start(cls, visit_id: str, script: VisitScript, *, policy: VisitPolicy, clock: dict[str, Any],
              device_clock_off: bool, start_check: dict[str, Any] | None = None, justification: str = "",
              library: Mapping[str, VisitScript] | None = None,
              printed_before: list[str] | None = None) -> VisitSession:
        """A new visit on ``script``. ``clock`` is the trusted clock's reading (ClockReading.to_dict());
        a device clock that disagrees, or a rule overridden to start (``justification``), flags it.
        ``library`` holds the scripts it may switch to (default: those bundled); ``printed_before``
        the tokens of letters printed for the case earlier and not yet delivered."""
        payload: dict[str, Any] = {
            "address_confirmed": False, "attachments": [], "start_check": start_check or {},
            "flagged": bool(justification) or device_clock_off, "justification": justification,
            "clock": clock, "notices": [], "printed_before": list(printed_before or ()),
        }
        return cls(visit_id, ScriptRunner(script, library=library, policy=policy), payload)

    @classmethod
    def resume(cls, visit_id: str, payload: dict[str, Any]) -> VisitSession:
        """The visit a saved draft holds, where it stopped, on the script version it started with."""
        return cls(visit_id, ScriptRunner.from_dict(payload["runner"]), dict(payload))

    # ------------------------------------------------------------------ events
    def event(self, action: str, detail: dict[str, Any], at: dt.datetime) -> None:
        self.events.append((action, {"visit_id": self.visit_id, **detail}, at))

    def take_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events

    # ------------------------------------------------------------------ the door
    @property
    def checked_in(self) -> bool:
        return bool(self.payload.get("address_confirmed"))

    def check_in(self, at: dt.datetime) -> None:
        """The collector is at the address on the case."""
        self.payload["address_confirmed"] = True
        self.event(CHECKED_IN, {"address_confirmed": True}, at)

    def wrong_address(self, at: dt.datetime, note: str) -> None:
        """Nobody of that name lives here: the visit ends as ``wrong_address``, with what the collector
        found (a new tenant, a demolished building …): the lead needs it to trace the debtor."""
        if not note.strip():
            raise ValueError("say what was found at the address")
        self.payload["address_confirmed"] = False
        self.payload["outcome_override"] = "wrong_address"
        self.payload["note"] = note.strip()
        self.event(CHECKED_IN, {"address_confirmed": False, "note": note.strip()}, at)

    def stop_for_blocked_contact(self, label: str, note: str) -> None:
        """The person at the door asked before not to be contacted again: stop, say nothing more."""
        self.payload["outcome_override"] = "third_party_only"
        self.payload["contact_label"] = label
        self.payload["note"] = note

    # ------------------------------------------------------------------ the script
    @property
    def current_step(self) -> Step | None:
        return self.runner.current_step

    @property
    def is_third_party(self) -> bool:
        return self.runner.is_third_party

    def answer(self, step_id: str, value: Any, at: dt.datetime) -> None:
        self.runner.answer(step_id, value, at)

    def advance(self, at: dt.datetime, *, limits: PromiseLimits | None = None) -> dict[str, str] | None:
        """Move past the current step: None when it moved, else why not (zh-CN and en).

        A ``say`` step counts as done when the collector moves on. A letter is recorded as handed
        over only when one was printed for the case (in this visit or before it); a promise's date
        and amount are checked against ``limits``. Raises ScriptError for an answer the script
        refuses (its reason is on the exception).
        """
        step = self.runner.current_step
        if step is None:
            return None
        if step.kind == "say" and self.runner.pending_answer is None:
            self.runner.answer(step.id, "done", at)
        problem = self.runner.advance_problem()
        if problem is not None:
            return problem
        answered = self.runner.pending_answer
        if step.role == ROLE_DELIVERY and not self.letters():
            choice = step.choice(str(answered))
            if choice is not None and choice.delivery in HANDED_DELIVERIES:
                return NOTHING_PRINTED
        if step.role in (ROLE_PROMISE_DATE, ROLE_PROMISE_AMOUNT) and limits is not None:
            key = "due_on" if step.role == ROLE_PROMISE_DATE else "amount"
            problem = limits.problem({**(self.promise(partial=True) or {}), key: str(answered)})
            if problem is not None:
                return problem
        was_third_party = self.runner.is_third_party
        script_id = self.runner.script.id
        self.runner.advance(at)
        if step.role == ROLE_FOLLOW_UP:
            self.payload["follow_up_on"] = answered
        elif step.role == ROLE_THIRD_PARTY_PERSON and isinstance(answered, str):
            self.payload["contact_label"] = answered
        if self.runner.is_third_party and not was_third_party:
            self.payload["third_party"] = True
            self.event(THIRD_PARTY, {"script": self.runner.script.id, "script_version": self.runner.script.version}, at)
        self.event(STEP, {"script": script_id, "step": step.id, "answer": answered}, at)
        return None

    def back(self, at: dt.datetime) -> None:
        self.runner.back(at)

    # ------------------------------------------------------------------ evidence and the notice
    def add_attachment(self, info: dict[str, Any]) -> bool:
        """Keep an attachment's record (``sha256``, type …) once; False when it was already there."""
        attachments = self.payload.setdefault("attachments", [])
        if any(a["sha256"] == info["sha256"] for a in attachments):
            return False
        attachments.append(info)
        return True

    def add_notices(self, tokens: list[str]) -> None:
        """Notices printed during the visit: their delivery is recorded when the visit completes."""
        self.payload.setdefault("notices", []).extend(tokens)

    def letters(self) -> list[str]:
        """The letters the collector has for this case: printed in this visit, or printed before it
        (today's notices, printed in one job) and not yet delivered."""
        return [*self.payload.get("printed_before", []), *self.payload.get("notices", [])]

    def plan_answer(self) -> str:
        """The plan the plan step was answered with: a sealed plan's id, or ``promise:<id>`` when the
        debtor gave a promise in the plan editor instead; "" when none."""
        current = self.runner.current_step
        if current is not None and current.capture == "plan" and self.runner.pending_answer is not None:
            return str(self.runner.pending_answer)  # answered, not yet moved past
        for answer in self.runner.answers:
            step = self.runner.step_of(answer)
            if step.kind == "capture" and step.capture == "plan":
                return str(answer.value)
        return ""

    def promise(self, *, partial: bool = False) -> dict[str, str] | None:
        """The promise to pay given in the script ({"due_on", "amount"}), from the answers on the
        path taken (going back and choosing otherwise drops it); None when none was given."""
        found: dict[str, str] = {}
        for answer in self.runner.answers:
            role = self.runner.step_of(answer).role
            if role == ROLE_PROMISE_DATE:
                found["due_on"] = str(answer.value)
            elif role == ROLE_PROMISE_AMOUNT:
                found["amount"] = str(answer.value)
        if partial:
            return found or None
        return found if len(found) == 2 else None

    def delivery(self) -> str:
        """How the notice letter went, from the last answer to a ``delivery`` step (its choice names it):
        handed to the verified debtor, sealed envelope, refused — or not delivered."""
        found = NOT_DELIVERED
        for answer in self.runner.answers:
            step = self.runner.step_of(answer)
            if step.role != ROLE_DELIVERY:
                continue
            choice = step.choice(str(answer.value))
            found = (choice.delivery if choice is not None and choice.delivery else NOT_DELIVERED)
        return found

    # ------------------------------------------------------------------ the record
    @property
    def outcome(self) -> str:
        return self.runner.outcome or self.payload.get("outcome_override") or ""

    def state(self) -> dict[str, Any]:
        """The draft to save: the payload with the runner's log, the visit fields and the delivery."""
        self.payload["runner"] = self.runner.to_dict()
        self.payload["visit"] = self.runner.visit_fields()
        self.payload["delivery"] = self.delivery()
        self.payload["promise"] = self.promise()
        return dict(self.payload)


__all__ = ("CHECKED_IN", "NOTHING_PRINTED", "STEP", "THIRD_PARTY", "Event", "PromiseLimits", "VisitSession")
