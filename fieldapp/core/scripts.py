"""Visit scripts as data and the runner that walks one visit through them, step by step.

A :class:`VisitScript` is parsed from ``forms/scripts/*.yaml`` and identified by id, version and a
content hash. A :class:`ScriptRunner` holds the scripts a visit started with (a visit started on
a version finishes on it), the answers with their times, and enforces the gates that make the
compliant path the only path: nothing that reveals the debt before the debtor's identity is
confirmed, nothing that discloses it without recording consent (where the rule pack asks for
one), no amounts and no printing for a third party. It is Qt-free; the wizard only draws
``runner.current_step``. Its state is a plain dict (``to_dict``/``from_dict``) so the GUI can save
after every answer and resume after a crash.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fieldapp.core.canonical import content_hash
from fieldapp.core.forms import LANGUAGES, FormError, bundled_script_data

STEP_KINDS = ("say", "ask", "confirm", "capture")
CAPTURE_TYPES = ("text", "number", "amount", "date", "datetime", "attachment", "plan")
#: Facts an answer may set (``choices[].sets``); everything else about a visit is in its answers.
FACTS = ("identity_confirmed", "recording_consent", "entry_consent", "do_not_contact", "notice_delivered")
#: Visit outcomes (PRODUCT.md §3); the same strings as ``protocol.VisitOutcome``.
OUTCOMES = ("paid_on_spot", "plan_signed", "promise_to_pay", "refused", "disputes_debt", "hardship",
            "not_at_home", "moved", "wrong_address", "deceased", "third_party_only")
AUDIENCES = ("debtor", "third_party")
END = "end"
SAY_DONE = "done"

#: Placeholders a script's text may use. Amount placeholders only on ``shows_amount`` steps; the
#: disclosing ones (they tell a listener who is owed or by whom it is collected) only on steps gated
#: by identity; a third-party script may use only the neutral ones.
AMOUNT_PLACEHOLDERS = frozenset({"amount", "total_due", "principal", "fees", "currency"})
DISCLOSING_PLACEHOLDERS = AMOUNT_PLACEHOLDERS | frozenset(
    {"creditor_name", "agency_name", "account_ref", "dpd", "overdue_since", "creditor_phone", "dispute_phone",
     "dispute_address", "verify_url"})
NEUTRAL_PLACEHOLDERS = frozenset({"debtor_name", "collector_name", "collector_id", "callback_phone", "today"})
PLACEHOLDERS = DISCLOSING_PLACEHOLDERS | NEUTRAL_PLACEHOLDERS
#: Settings of :class:`VisitPolicy` a step may name in ``only_if``.
POLICY_SWITCHES = ("sealed_envelope_allowed", "entry_consent_required")

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ScriptError(ValueError):
    """A runner operation that is not allowed now; ``reason`` holds the message in zh-CN and en."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.reason = {"zh-CN": zh or en, "en": en}


class StepGated(ScriptError):
    """The step the answer leads to is closed: identity not confirmed or no recording consent."""


@dataclass(frozen=True)
class VisitPolicy:
    """What the rule pack asks of a visit's script (from ``RulePack.visit_policy()``).

    The defaults are the strictest reading, so a runner made without a pack errs on the safe side.
    """

    identity_before_disclosure: bool = True
    recording_before_disclosure: bool = True
    entry_consent_required: bool = True
    sealed_envelope_allowed: bool = False
    collector_disclosure_first: bool = False

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VisitPolicy:
        return cls(**{k: bool(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Choice:
    value: str
    text: Mapping[str, str]
    sets: Mapping[str, bool] = field(default_factory=dict)
    switch_to: str | None = None
    #: On a ``delivery`` step: how the notice letter went when this is the answer.
    delivery: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    text: Mapping[str, str]
    hint: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    capture: str | None = None
    next: str | Mapping[str, str] | None = None
    discloses_debt: bool = False
    discloses_collector: bool = False
    requires_identity: bool = False
    requires_recording: bool = False
    shows_amount: bool = False
    prints_notice: bool = False
    outcome: bool = False
    only_if: str | None = None
    skip_to: str | None = None
    #: What the visit does with the answer beyond the script (STEP_ROLES): the notice's delivery,
    #: the follow-up date, who the third party at the door is. The flow reads roles, never step ids.
    role: str | None = None

    def choice(self, value: str) -> Choice | None:
        for choice in self.choices:
            if choice.value == value:
                return choice
        return None

    @property
    def gated_by_identity(self) -> bool:
        """Anything that tells the listener about the debt, its creditor or its amount."""
        return (self.requires_identity or self.discloses_debt or self.discloses_collector
                or self.shows_amount or self.prints_notice)

    def gated_by_recording(self, policy: VisitPolicy) -> bool:
        return self.requires_recording or (self.discloses_debt and policy.recording_before_disclosure)

    def route(self, value: str | None) -> str:
        """The step id (or ``END``) an answer leads to; ScriptError if the script has no route."""
        if self.next is None:
            return END
        if isinstance(self.next, str):
            return self.next
        if value is not None and value in self.next:
            return self.next[value]
        if "default" in self.next:
            return self.next["default"]
        raise ScriptError(f"step {self.id!r} has no next step for answer {value!r}",
                          f"步骤“{self.id}”没有与回答“{value}”对应的下一步")

    def routes(self) -> dict[str, set[str | None]]:
        """Every target of this step with the answers that lead there (None: no answer/any)."""
        out: dict[str, set[str | None]] = {}
        values: list[str | None] = [c.value for c in self.choices] or [None]
        if not self.required:
            values.append(None)
        for value in values:
            choice = self.choice(value) if value is not None else None
            if choice is not None and choice.switch_to:
                continue
            try:
                target = self.route(value)
            except ScriptError:
                continue
            out.setdefault(target, set()).add(value)
        if self.only_if:
            out.setdefault(self.skip_to or END, set()).add(None)
        return out


def _text(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()}


def _choices(step: Mapping[str, Any]) -> tuple[Choice, ...]:
    raw = step.get("choices")
    if raw is None and step.get("kind") == "confirm":
        raw = [{"value": "yes", "text": {"zh-CN": "是", "en": "Yes"}},
               {"value": "no", "text": {"zh-CN": "否", "en": "No"}}]
    return tuple(
        Choice(value=str(c["value"]), text=_text(c.get("text")), sets=dict(c.get("sets") or {}),
               switch_to=c.get("switch_to"), delivery=c.get("delivery"))
        for c in raw or ()
    )


def _step(raw: Mapping[str, Any]) -> Step:
    nxt = raw.get("next")
    if isinstance(nxt, Mapping):
        nxt = {str(k): str(v) for k, v in nxt.items()}
    return Step(
        id=str(raw["id"]), kind=str(raw["kind"]), text=_text(raw.get("text")), hint=_text(raw.get("hint")),
        required=bool(raw.get("required", False)), choices=_choices(raw), default=raw.get("default"),
        capture=raw.get("capture"), next=nxt,
        **{flag: bool(raw.get(flag, False)) for flag in (
            "discloses_debt", "discloses_collector", "requires_identity", "requires_recording", "shows_amount",
            "prints_notice", "outcome")},
        only_if=raw.get("only_if"), skip_to=raw.get("skip_to"), role=raw.get("role"),
    )


class VisitScript:
    """One version of one visit script, immutable once loaded."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.data: dict[str, Any] = dict(data)
            self.id: str = str(data["id"])
            self.version: str = str(data["version"])
            self.jurisdiction: str = str(data.get("jurisdiction", ""))
            self.audience: str = str(data.get("audience", "debtor"))
            self.title: dict[str, str] = _text(data.get("title"))
            self.steps: tuple[Step, ...] = tuple(_step(s) for s in data["steps"])
        except (KeyError, TypeError, AttributeError) as exc:
            raise FormError(f"not a visit script: missing or malformed {exc}") from None
        self._by_id = {s.id: s for s in self.steps}
        if not self.steps:
            raise FormError(f"script {self.id!r} has no steps")
        self.start: str = str(data.get("start") or self.steps[0].id)
        for step in self.steps:
            for target in list(step.routes()) + [self.start]:
                if target != END and target not in self._by_id:
                    raise FormError(f"script {self.id!r}: step {step.id!r} leads to unknown step {target!r}")
        #: sha256 of the canonical JSON of the parsed script: what a visit records.
        self.content_hash: str = content_hash(self.data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VisitScript:
        """Structural load only (used to restore a runner); use ``from_yaml`` for untrusted text."""
        return cls(data)

    def step(self, step_id: str) -> Step:
        try:
            return self._by_id[step_id]
        except KeyError:
            raise ScriptError(f"script {self.id!r} has no step {step_id!r}") from None

    def has_step(self, step_id: str) -> bool:
        return step_id in self._by_id

    @property
    def switch_targets(self) -> set[str]:
        return {c.switch_to for s in self.steps for c in s.choices if c.switch_to}

    def render(self, step_id: str, language: str, values: Mapping[str, Any] | None = None) -> str:
        """The step's text in ``language`` with placeholders filled; unknown ones stay ``{name}``."""
        text = self.step(step_id).text.get(language) or self.step(step_id).text.get("en", "")
        return fill_placeholders(text, values or {})

    def __repr__(self) -> str:
        return f"VisitScript({self.id!r}, version={self.version!r})"


def placeholders_in(text: str) -> set[str]:
    """Names of ``{placeholder}`` fields in a text."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


class _Keep(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_placeholders(text: str, values: Mapping[str, Any]) -> str:
    try:
        return text.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError):
        return text


def bundled_scripts() -> dict[str, VisitScript]:
    """The scripts shipped in ``forms/scripts`` by id (the server publishes newer versions)."""
    return {sid: VisitScript(data) for sid, data in bundled_script_data().items()}


#: Step roles (the script schema's ``role``): what the visit takes from such a step's answer.
ROLE_DELIVERY = "delivery"  # how the notice letter went (each choice names its ``delivery``)
ROLE_FOLLOW_UP = "follow_up"  # the follow-up date (a date capture)
ROLE_THIRD_PARTY_PERSON = "third_party_person"  # how the person at the door is related (a text capture)
STEP_ROLES = (ROLE_DELIVERY, ROLE_FOLLOW_UP, ROLE_THIRD_PARTY_PERSON)
#: How a notice reached (or did not reach) the debtor. Never "posted on the door".
DELIVERIES = ("handed_to_debtor", "sealed_envelope", "refused", "not_delivered")


# ------------------------------------------------------------------------------------ the runner
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
    return at.astimezone(dt.timezone.utc)


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
            amount = Decimal(str(value).replace(",", "").strip())
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
        if not isinstance(value, str) or not _HEX64.match(value):
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


def reachable_steps(script: VisitScript, *, without: Callable[[Step, str | None], bool] | None = None,
                    start: str | None = None) -> set[str]:
    """Step ids reachable from the start; ``without(step, value)`` closes edges taken with that answer."""
    start = start or script.start
    seen = {start}
    todo = [start]
    while todo:
        current = todo.pop()
        if current == END:
            continue
        step = script.step(current)
        for target, values in step.routes().items():
            if without is not None and all(without(step, v) for v in values):
                continue
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def all_languages_present(text: Mapping[str, str], languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Languages missing or blank in a bilingual text."""
    return [lang for lang in languages if not str(text.get(lang, "")).strip()]


__all__: Sequence[str] = (
    "Answer", "Choice", "END", "FACTS", "OUTCOMES", "ScriptError", "ScriptRunner", "Step", "StepGated",
    "VisitPolicy", "VisitScript", "bundled_scripts", "fill_placeholders", "normalise_value", "placeholders_in",
)
