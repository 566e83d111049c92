"""Visit scripts as data: steps, choices, the placeholders they may use and the policy that gates them.

A :class:`VisitScript` is parsed from ``forms/scripts/*.yaml`` and identified by id, version and a
content hash; :mod:`fieldapp.core.script_runner` walks one visit through it. Its ScriptRunner holds the scripts a visit started with (a visit started on
a version finishes on it), the answers with their times, and enforces the gates that make the
compliant path the only path: nothing that reveals the debt before the debtor's identity is
confirmed, nothing that discloses it without recording consent (where the rule pack asks for
one), no amounts and no printing for a third party. It is Qt-free; the wizard only draws
``runner.current_step``. Its state is a plain dict (``to_dict``/``from_dict``) so the GUI can save
after every answer and resume after a crash.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
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

HEX64 = re.compile(r"^[0-9a-f]{64}$")


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
ROLE_PROMISE_DATE = "promise_date"  # the day the debtor promised to pay (a date capture)
ROLE_PROMISE_AMOUNT = "promise_amount"  # how much they promised (an amount capture)
STEP_ROLES = (ROLE_DELIVERY, ROLE_FOLLOW_UP, ROLE_THIRD_PARTY_PERSON, ROLE_PROMISE_DATE, ROLE_PROMISE_AMOUNT)
#: Deliveries that put a printed letter in someone's hand: one must have been printed first.
HANDED_DELIVERIES = ("handed_to_debtor", "sealed_envelope")
#: How a notice reached (or did not reach) the debtor. Never "posted on the door".
DELIVERIES = ("handed_to_debtor", "sealed_envelope", "refused", "not_delivered")


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
    "Choice", "END", "FACTS", "OUTCOMES", "ScriptError", "Step", "StepGated",
    "VisitPolicy", "VisitScript", "bundled_scripts", "fill_placeholders", "placeholders_in", "reachable_steps",
)
