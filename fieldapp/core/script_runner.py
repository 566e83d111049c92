"""The runner that walks one visit through its scripts, step by step, and keeps the compliant path the only path.

A :class:`ScriptRunner` holds the scripts a visit started with (a visit started on a version
finishes on it), the answers with their times, and enforces the gates: nothing that reveals the
debt before the debtor's identity is confirmed, nothing that discloses it without recording consent
(where the rule pack asks for one), no amounts and no printing for a third party. It is Qt-free;
:class:`fieldapp.core.visit.VisitSession` drives it and the wizard only draws the current step. Its
state is a plain dict (``to_dict``/``from_dict``) so the GUI can save after every answer and resume
after a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from fieldapp.core.forms import FormError
from fieldapp.core.money import clean_amount_text
from fieldapp.core.scripts import (
    DISCLOSING_PLACEHOLDERS,
    END,
    FACTS,
    HEX64,
    SAY_DONE,
    Choice,
    ScriptError,
    Step,
    StepGated,
    VisitPolicy,
    VisitScript,
    bundled_scripts,
)


@dataclass(frozen=True)
class Answer:
    """A committed answer: the step, its value (JSON-safe) and when it was given (UTC)."""

    script_id: str
    step_id: str
    value: Any
    at: dt.datetime


def _utc(at: dt.datetime) -> dt.datetime:
    if not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ScriptError("answer times must be timezone-aware", "回答时间必须带时区")
    return at.astimezone(dt.UTC)


def normalise_value(step: Step, value: Any) -> Any:
    """The JSON-safe form of an answer to ``step``; ScriptError if it is not a valid answer."""
    def bad(what: str) -> ScriptError:
        return ScriptError(f"step {step.id!r}: {what}", f"步骤“{step.id}”：回答无效（{what}）")

    if step.kind == "say":
        if value is True or value == SAY_DONE:
            return SAY_DONE
        raise bad(f"a 'say' step is answered with {SAY_DONE!r}")
    if step.kind in ("ask", "confirm"):
        if step.kind == "confirm" and isinstance(value, bool):
            value = "yes" if value else "no"
        if not isinstance(value, str) or step.choice(value) is None:
            raise bad(f"{value!r} is not one of {[c.value for c in step.choices]}")
        return value
    kind = step.capture or "text"
    if kind == "text":
        if not isinstance(value, str) or (step.required and not value.strip()):
            raise bad("text is required")
        return value.strip()
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("a whole number is required")
        return value
    if kind == "amount":
        if isinstance(value, float):
            raise bad("amounts are never floats; pass a decimal string")
        try:
            amount = Decimal(clean_amount_text(str(value)))
        except InvalidOperation:
            raise bad(f"{value!r} is not an amount") from None
        if not amount.is_finite() or amount < 0:
            raise bad(f"{value!r} is not an amount")
        return str(amount)
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise bad("a date without a time is required")
        try:
            return (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).isoformat()
        except ValueError:
            raise bad(f"{value!r} is not a date") from None
    if kind == "datetime":
        try:
            moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise bad(f"{value!r} is not a date and time") from None
        return _utc(moment).isoformat()
    if kind == "attachment":
        if not isinstance(value, str) or not HEX64.match(value):
            raise bad("an attachment is named by its SHA-256 (64 lowercase hex digits)")
        return value
    if kind == "plan":
        if not isinstance(value, str) or not value.strip():
            raise bad("a repayment plan id is required")
        return value.strip()
    raise bad(f"unknown capture type {kind!r}")  # pragma: no cover - the schema forbids it


_UNSET: Any = object()
STATE_VERSION = 1


class ScriptRunner:
    """Walks one visit through its script; every change is an entry in an append-only log.

    The wizard calls ``answer()`` when the collector picks or types an answer (it may change it
    before moving on) and ``advance()`` on "Next"; ``back()`` steps back within the current
    script. State is derived by replaying the log, so ``to_dict()`` after each call is enough to
    resume after a crash. Not thread-safe: use it from the GUI thread only.
    """

    def __init__(self, script: VisitScript, *, library: Mapping[str, VisitScript] | None = None,
                 policy: VisitPolicy | None = None) -> None:
        self.policy = policy or VisitPolicy()
        self._scripts: dict[str, VisitScript] = {script.id: script}
        todo = list(script.switch_targets)
        while todo:  # hold every script the visit may switch to, at the version it starts with
            sid = todo.pop()
            if sid in self._scripts:
                continue
            if library is None:
                library = bundled_scripts()
            if sid not in library:
                raise FormError(f"script {script.id!r} switches to {sid!r}, which is not available")
            self._scripts[sid] = library[sid]
            todo.extend(library[sid].switch_targets)
        self._start_id = script.id
        self._log: list[dict[str, Any]] = []
        self._script_id = script.id
        self._segments = [script.id]
        self._path: list[Answer] = []
        self._pending: Any = _UNSET
        self._finished = False
        self._step_id = self._skip_closed(script, script.start)
        if self._step_id == END:
            self._finished = True

    # ------------------------------------------------------------------ what the wizard reads
    @property
    def started_script(self) -> VisitScript:
        """The script the visit started on: its id, version and hash go on the visit record."""
        return self._scripts[self._start_id]

    @property
    def script(self) -> VisitScript:
        """The script now being followed (the third-party script after a switch)."""
        return self._scripts[self._script_id]

    @property
    def scripts_used(self) -> list[VisitScript]:
        return [self._scripts[s] for s in self._segments]

    @property
    def current_step(self) -> Step | None:
        """The step to show, or None when the visit's script is complete."""
        return None if self._finished else self.script.step(self._step_id)

    @property
    def pending_answer(self) -> Any:
        """The answer given to the current step but not yet moved past (None if none)."""
        return None if self._pending is _UNSET else self._pending

    def step_of(self, answer: Answer) -> Step:
        """The step ``answer`` answered, in the script it was given in."""
        return self._scripts[answer.script_id].step(answer.step_id)

    @property
    def answers(self) -> list[Answer]:
        """Committed answers in order, each with its time (what the visit record carries)."""
        return list(self._path)

    @property
    def log(self) -> list[dict[str, Any]]:
        """Every operation in order, including changed and retracted answers (for the audit)."""
        return [dict(e) for e in self._log]

    @property
    def facts(self) -> dict[str, bool]:
        """Facts set by the answers so far (identity_confirmed, recording_consent, ...)."""
        facts = dict.fromkeys(FACTS, False)
        for answer in self._path:
            facts.update(self._sets_of(answer.script_id, answer.step_id, answer.value))
        return facts

    @property
    def is_third_party(self) -> bool:
        """True once the person at the door said they are not the debtor."""
        return any(self._scripts[s].audience == "third_party" for s in self._segments)

    @property
    def identity_confirmed(self) -> bool:
        return self.facts["identity_confirmed"] and not self.is_third_party

    @property
    def recording_consent(self) -> bool:
        return self.facts["recording_consent"]

    @property
    def amounts_visible(self) -> bool:
        """May the wizard show the amount owed? Only to the confirmed debtor."""
        return self.identity_confirmed

    @property
    def printing_allowed(self) -> bool:
        """May the notice be printed or handed over? Only after identity is confirmed."""
        return self.identity_confirmed

    @property
    def is_complete(self) -> bool:
        return self._finished

    @property
    def outcome(self) -> str | None:
        """The last answer to an outcome step (PRODUCT.md §3 outcomes), if any."""
        for answer in reversed(self._path):
            if self._scripts[answer.script_id].step(answer.step_id).outcome:
                return answer.value
        return None

    def available_choices(self) -> list[Choice]:
        """The current step's choices whose route is open now (the wizard disables the others)."""
        step = self.current_step
        if step is None:
            return []
        return [c for c in step.choices if self._route_problem(step, c.value) is None]

    def allowed_next(self) -> list[str]:
        """Step ids (or ``END``) the current step may lead to, given the facts so far.

        A switch to another script shows as ``"<script id>:<its start step>"``.
        """
        step = self.current_step
        if step is None:
            return []
        values: list[str | None] = [c.value for c in step.choices] or [None]
        out: list[str] = []
        for value in values:
            choice = step.choice(value) if value is not None else None
            if choice is not None and choice.switch_to:
                target = f"{choice.switch_to}:{self._scripts[choice.switch_to].start}"
            else:
                try:
                    target = self._skip_closed(self.script, step.route(value))
                except ScriptError:
                    continue
                if self._route_problem(step, value) is not None:
                    continue
            if target not in out:
                out.append(target)
        return out

    def advance_problem(self) -> dict[str, str] | None:
        """Why "Next" is not possible now, in zh-CN and en; None if it is."""
        step = self.current_step
        if step is None:
            return {"zh-CN": "本次脚本已完成", "en": "the script is complete"}
        if self._pending is _UNSET:
            if step.required:
                return {"zh-CN": "这一步必须完成后才能继续", "en": "this step is required before going on"}
            value = None
        else:
            value = self._pending
        problem = self._route_problem(step, value)
        return problem.reason if problem else None

    @property
    def can_advance(self) -> bool:
        return self.advance_problem() is None

    def pending_required(self) -> list[str]:
        """Required steps of the current script still ahead on every path to its end."""
        step = self.current_step
        if step is None:
            return []
        script = self.script
        out = []
        if step.required and self._pending is _UNSET:
            out.append(step.id)
        for candidate in script.steps:
            if not candidate.required or candidate.id == step.id:
                continue
            if _reachable(script, step.id, candidate.id) and not _reachable(script, step.id, END, avoid=candidate.id):
                out.append(candidate.id)
        return out

    def is_reachable(self, step_id: str) -> bool:
        """Can the visit still get to ``step_id`` of the current script with the facts so far?

        Steps gated by identity or recording count as unreachable until the fact is set.
        """
        step = self.current_step
        if step is None or not self.script.has_step(step_id):
            return False
        if self._gate_problem(self.script.step(step_id), self.facts) is not None:
            return False
        return _reachable(self.script, step.id, step_id)

    # ------------------------------------------------------------------ what the wizard does
    def answer(self, step_id: str, value: Any, at: dt.datetime) -> None:
        """Record the collector's answer to the current step (it may be changed until ``advance``)."""
        self._apply({"op": "answer", "script": self._script_id, "step": step_id, "value": value,
                     "at": _utc(at).isoformat()})

    def advance(self, at: dt.datetime) -> Step | None:
        """Commit the current answer and move on; returns the new current step (None at the end).

        Raises ScriptError if the step is required and unanswered, StepGated if the answer leads to
        a step that is closed (e.g. a disclosure without recording consent).
        """
        self._apply({"op": "advance", "script": self._script_id, "step": self._step_id,
                     "at": _utc(at).isoformat()})
        return self.current_step

    def back(self, at: dt.datetime) -> Step:
        """Step back to the previous step of the current script; its answer becomes pending again."""
        self._apply({"op": "back", "script": self._script_id, "step": self._step_id, "at": _utc(at).isoformat()})
        step = self.current_step
        assert step is not None
        return step

    def render(self, language: str, values: Mapping[str, Any] | None = None) -> str:
        """The current step's text with placeholders filled; amounts withheld unless visible."""
        step = self.current_step
        if step is None:
            return ""
        safe = dict(values or {})
        if not self.amounts_visible:
            for name in DISCLOSING_PLACEHOLDERS:
                safe.pop(name, None)
        return self.script.render(step.id, language, safe)

    def visit_fields(self) -> dict[str, Any]:
        """What the visit record carries, JSON-safe, named like ``protocol.VisitPayload``'s fields.

        Answers given in a script other than the one the visit started on (the third-party
        script) have ``step_id`` written as ``"<script id>/<step id>"``.
        """
        return {
            "script_id": self.started_script.id,
            "script_version": self.started_script.version,
            "script_hash": self.started_script.content_hash,
            "scripts_used": [{"id": s.id, "version": s.version, "hash": s.content_hash} for s in self.scripts_used],
            "identity_confirmed": self.identity_confirmed,
            "answers": [
                {"step_id": a.step_id if a.script_id == self._start_id else f"{a.script_id}/{a.step_id}",
                 "answer": a.value, "answered_at": a.at.isoformat()}
                for a in self._path
            ],
            "outcome": self.outcome,
            "facts": self.facts,
        }

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe state: the scripts held (full content) and the operation log."""
        return {
            "state_version": STATE_VERSION,
            "start": self._start_id,
            "scripts": {sid: s.data for sid, s in self._scripts.items()},
            "hashes": {sid: s.content_hash for sid, s in self._scripts.items()},
            "policy": self.policy.to_dict(),
            "log": self.log,
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> ScriptRunner:
        """Rebuild a runner from ``to_dict()``; FormError if a held script does not match its hash."""
        if state.get("state_version") != STATE_VERSION:
            raise FormError(f"unknown visit state version {state.get('state_version')!r}")
        scripts = {sid: VisitScript.from_dict(data) for sid, data in state["scripts"].items()}
        for sid, script in scripts.items():
            if script.content_hash != state["hashes"][sid]:
                raise FormError(f"the saved copy of script {sid!r} does not match its hash")
        runner = cls(scripts[state["start"]], library=scripts, policy=VisitPolicy.from_dict(state["policy"]))
        for entry in state["log"]:
            runner._apply(dict(entry))
        return runner

    # ------------------------------------------------------------------ internals
    def _sets_of(self, script_id: str, step_id: str, value: Any) -> dict[str, bool]:
        step = self._scripts[script_id].step(step_id)
        choice = step.choice(value) if isinstance(value, str) else None
        return dict(choice.sets) if choice else {}

    def _skip_closed(self, script: VisitScript, target: str) -> str:
        """Follow ``only_if`` steps the policy closes to their ``skip_to``."""
        seen = set()
        while target != END and target not in seen:
            seen.add(target)
            step = script.step(target)
            if step.only_if and not getattr(self.policy, step.only_if, False):
                target = step.skip_to or END
            else:
                break
        return target

    def _gate_problem(self, step: Step, facts: Mapping[str, bool]) -> StepGated | None:
        if step.gated_by_identity and self.policy.identity_before_disclosure and (
                not facts.get("identity_confirmed") or self.is_third_party):
            return StepGated(f"step {step.id!r} is closed until the debtor's identity is confirmed",
                             f"核实债务人本人身份之前，不能进入步骤“{step.id}”")
        if step.gated_by_recording(self.policy) and not facts.get("recording_consent"):
            return StepGated(f"step {step.id!r} discloses the debt and needs recording consent first",
                             f"步骤“{step.id}”涉及债务信息，须先取得录音同意")
        return None

    def _route_problem(self, step: Step, value: Any) -> ScriptError | None:
        choice = step.choice(value) if isinstance(value, str) else None
        if choice is not None and choice.switch_to:
            return None
        try:
            target = self._skip_closed(self.script, step.route(value))
        except ScriptError as exc:
            return exc
        if target == END:
            return None
        facts = self.facts
        if choice is not None:
            facts.update(choice.sets)
        return self._gate_problem(self.script.step(target), facts)

    def _apply(self, entry: dict[str, Any]) -> None:
        op = entry.get("op")
        at = dt.datetime.fromisoformat(entry["at"])
        if self._finished and op != "back":
            raise ScriptError("the script is already complete", "本次脚本已完成")
        if entry.get("script") != self._script_id or entry.get("step") != self._step_id:
            raise ScriptError(f"step {entry.get('step')!r} is not the current step ({self._step_id!r})",
                              f"“{entry.get('step')}”不是当前步骤")
        if op == "answer":
            entry["value"] = normalise_value(self.script.step(self._step_id), entry["value"])
            self._pending = entry["value"]
        elif op == "advance":
            self._do_advance(at)
        elif op == "back":
            self._do_back()
        else:
            raise ScriptError(f"unknown operation {op!r}")
        self._log.append(entry)

    def _do_advance(self, at: dt.datetime) -> None:
        problem = self.advance_problem()
        if problem is not None:
            step = self.current_step
            assert step is not None
            if self._pending is _UNSET and step.required:
                raise ScriptError(problem["en"], problem["zh-CN"])
            raise self._route_problem(step, self.pending_answer) or ScriptError(problem["en"], problem["zh-CN"])
        step = self.script.step(self._step_id)
        value = self.pending_answer
        self._path.append(Answer(self._script_id, step.id, value, at))
        self._pending = _UNSET
        choice = step.choice(value) if isinstance(value, str) else None
        if choice is not None and choice.switch_to:
            self._script_id = choice.switch_to
            self._segments.append(choice.switch_to)
            target = self._skip_closed(self.script, self.script.start)
        else:
            target = self._skip_closed(self.script, step.route(value))
        if target == END:
            self._finished = True
        else:
            self._step_id = target

    def _do_back(self) -> None:
        if not self._path or self._path[-1].script_id != self._script_id:
            raise ScriptError("there is no earlier step in this script to go back to", "没有可以返回的上一步")
        last = self._path.pop()
        self._step_id = last.step_id
        self._pending = last.value if last.value is not None else _UNSET
        self._finished = False


def _reachable(script: VisitScript, source: str, target: str, *, avoid: str | None = None) -> bool:
    """Is ``target`` (a step id or END) reachable from ``source`` without passing ``avoid``?"""
    seen = {source}
    todo = [source]
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current == END:
            continue
        for nxt in script.step(current).routes():
            if nxt not in seen and nxt != avoid:
                seen.add(nxt)
                todo.append(nxt)
    return False


