"""Rule packs as data and the one question they answer: may I do this now, for this case?

``RulePack.check(action, case, history, now)`` evaluates every rule of a jurisdiction's pack
(``forms/rules/*.yaml``) and returns a :class:`Verdict`: allowed, blocked (a hard rule, with its id
and a reason in zh-CN and en) or needs_justification (a soft rule: the action may go ahead once
the collector writes why, and the record is flagged for the team lead). Times are judged in the
debtor's local zone (zoneinfo), so DST changes and odd offsets such as +05:45 come out right;
``now`` should come from :class:`fieldapp.core.clock.TrustedClock`, never the bare device clock.

A lender's policy may only be stricter than the pack: ``RulePack.with_override`` merges an
override file and refuses any change that loosens a number, a flag list or a severity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fieldapp.core.canonical import content_hash
from fieldapp.core.forms import FormError, bundled_rule_pack_data
from fieldapp.core.scripts import VisitPolicy, fill_placeholders

#: What a collector may ask to do. Calls and SMS to a third party pass ``contact=``.
ACTIONS = ("start_visit", "call", "sms", "print_notice", "leave_sealed_envelope", "contact_third_party")
CHANNELS = ("call", "sms", "wechat", "letter", "visit")
RULE_TYPES = ("time_window", "blocked_times", "daily_limit", "rolling_limit", "after_conversation", "flag_block", "min_interval",
              "blocked_contact", "third_party_once", "sealed_envelope", "credential", "visit_requirement", "retention")
SEVERITIES = ("hard", "soft")
#: Case flags (protocol.FLAGS) plus the ones some markets add.
FLAGS = ("attorney", "cease_contact", "dispute_open", "vulnerable", "bereavement", "lacks_capacity",
         "complaint_open")
FLAG_LABELS: dict[str, dict[str, str]] = {
    "attorney": {"zh-CN": "债务人已委托律师", "en": "represented by an attorney"},
    "cease_contact": {"zh-CN": "债务人要求停止联系", "en": "asked us to cease contact"},
    "dispute_open": {"zh-CN": "债务异议处理中", "en": "a dispute is open"},
    "vulnerable": {"zh-CN": "弱势或需特别关照", "en": "vulnerable"},
    "bereavement": {"zh-CN": "家中有丧事", "en": "bereavement"},
    "lacks_capacity": {"zh-CN": "可能缺乏行为能力", "en": "may lack mental capacity"},
    "complaint_open": {"zh-CN": "投诉处理中", "en": "a complaint is open"},
}

ALLOWED, BLOCKED, NEEDS_JUSTIFICATION = "allowed", "blocked", "needs_justification"
# Counting rules are about contact with the debtor; a call to a third party passes ``contact=``.
_DEBTOR_COUNTING = ("daily_limit", "rolling_limit", "after_conversation", "min_interval")


class PolicyError(FormError):
    """An override that would loosen the pack; ``problems`` lists each loosened setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CaseFacts:
    """What a check needs to know about the case (build it from the store's Case row)."""

    jurisdiction: str
    timezone: str  # IANA zone of the debtor's address
    flags: frozenset[str] = frozenset()
    appointment_at: dt.datetime | None = None  # an agreed appointment on record
    blocked_contacts: frozenset[str] = frozenset()  # third parties who said "do not contact me"
    collector_credential_valid_until: dt.date | None = None  # IN2: ID card and authorisation letter
    #: Debtor-local ("HH:MM", "HH:MM") spans the debtor said are inconvenient (US1, UK1 preferences).
    blocked_times: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "flags", frozenset(self.flags))
        object.__setattr__(self, "blocked_contacts", frozenset(self.blocked_contacts))


@dataclass(frozen=True)
class ContactRecord:
    """One earlier contact attempt or visit, by anyone (lender and agencies together)."""

    at: dt.datetime
    channel: str  # call | sms | wechat | letter | visit
    connected: bool = False  # spoke with the debtor (a conversation)
    by: str = ""
    contact: str | None = None  # None: the debtor; else the third party's id
    appointment_at: dt.datetime | None = None


@dataclass(frozen=True)
class Finding:
    """One rule that objects, with its reason and the numbers behind it."""

    rule_id: str
    severity: str
    reason: dict[str, str]
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Retention:
    """Minimisation and retention (PRODUCT.md §6 CN12–15, CN6, US8): a case that left the laptop, all its
    records acknowledged, is deleted there ``device_purge_days`` after the last work on it; the server keeps
    a case's records ``server_retention_days`` after its last activity and refuses to delete them sooner."""

    device_purge_days: int = 30
    server_retention_days: int = 1825


@dataclass(frozen=True)
class Verdict:
    """The answer to "may I do this now?"; ``rule_id``/``reason`` are those of the deciding rule."""

    status: str
    rule_id: str | None = None
    reason: dict[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    local_time: dt.datetime | None = None  # the debtor-local time the check was made for

    @property
    def allowed(self) -> bool:
        return self.status == ALLOWED

    @property
    def blocked(self) -> bool:
        return self.status == BLOCKED

    @property
    def needs_justification(self) -> bool:
        return self.status == NEEDS_JUSTIFICATION

    @property
    def flag_for_lead(self) -> bool:
        """A record made despite this verdict (or with a justification) is flagged for the lead."""
        return self.status != ALLOWED

    def permits(self, justification: str | None = None) -> bool:
        """True if the action may go ahead: allowed, or soft-blocked and a justification is given."""
        return self.allowed or (self.needs_justification and bool(justification and justification.strip()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "rule_id": self.rule_id, "reason": dict(self.reason),
            "findings": [{"rule_id": f.rule_id, "severity": f.severity, "reason": f.reason, "detail": f.detail}
                         for f in self.findings],
            "local_time": self.local_time.isoformat() if self.local_time else None,
        }


def _hhmm(text: str) -> dt.time:
    hours, minutes = str(text).split(":")
    return dt.time(int(hours), int(minutes))


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    severity: str
    applies_to: tuple[str, ...]
    reason: dict[str, str]
    params: dict[str, Any]

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Rule:
        known = {"id", "type", "severity", "applies_to", "reason", "source", "title"}
        return cls(id=str(raw["id"]), type=str(raw["type"]), severity=str(raw.get("severity", "hard")),
                   applies_to=tuple(raw.get("applies_to") or ()), reason={str(k): str(v) for k, v in raw["reason"].items()},
                   params={k: v for k, v in raw.items() if k not in known})

    def finding(self, **detail: Any) -> Finding:
        values = {k: (FLAG_LABELS.get(v, {}) if k == "flag" else v) for k, v in detail.items()}
        reason = {}
        for lang, text in self.reason.items():
            filled = {k: (v.get(lang, "") if isinstance(v, dict) else v) for k, v in values.items()}
            reason[lang] = fill_placeholders(text, filled)
        return Finding(self.id, self.severity, reason, {k: v for k, v in detail.items()})


class RulePack:
    """One jurisdiction's rules, possibly tightened by a lender policy; immutable."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.data: dict[str, Any] = dict(data)
            self.jurisdiction: str = str(data["jurisdiction"])
            self.version: str = str(data["version"])
            self.rules: tuple[Rule, ...] = tuple(Rule.from_dict(r) for r in data["rules"])
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise FormError(f"not a rule pack: missing or malformed {exc}") from None
        self.id: str = str(data.get("id") or self.jurisdiction.lower())
        self.content_hash: str = content_hash(self.data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RulePack:
        return cls(data)

    @classmethod
    def bundled(cls, jurisdiction: str) -> RulePack:
        """The pack shipped in ``forms/rules`` for ``jurisdiction`` (CN, US, IN, UK)."""
        packs = bundled_rule_pack_data()
        try:
            return cls(packs[jurisdiction.upper()])
        except KeyError:
            raise FormError(f"no rule pack for jurisdiction {jurisdiction!r}") from None

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def __repr__(self) -> str:
        return f"RulePack({self.jurisdiction!r}, version={self.version!r})"

    # ------------------------------------------------------------------ the question
    def check(self, action: str, case: CaseFacts, history: Iterable[ContactRecord], now: dt.datetime, *,
              contact: str | None = None) -> Verdict:
        """May ``action`` be done at ``now`` (trusted UTC) for ``case``, given the contact ``history``?

        ``contact`` names the third party the action is aimed at (None: the debtor). History
        records after ``now`` are ignored. ValueError for an unknown action or a naive time.
        """
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
        now = _aware(now, "now")
        try:
            zone = ZoneInfo(case.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {case.timezone!r}") from None
        local = now.astimezone(zone)
        past = [r for r in history if _aware(r.at, "history time") <= now]
        findings: list[Finding] = []
        for rule in self.rules:
            if action not in rule.applies_to:
                continue
            if contact is not None and rule.type in _DEBTOR_COUNTING:
                continue
            finding = _EVALUATORS[rule.type](rule, case, past, now, local, contact)
            if finding is not None:
                findings.append(finding)
        hard = [f for f in findings if f.severity == "hard"]
        if hard:
            return Verdict(BLOCKED, hard[0].rule_id, hard[0].reason, tuple(findings), local)
        if findings:
            return Verdict(NEEDS_JUSTIFICATION, findings[0].rule_id, findings[0].reason, tuple(findings), local)
        return Verdict(ALLOWED, local_time=local)

    def review_logged(self, action: str, case: CaseFacts, history: Iterable[ContactRecord], at: dt.datetime, *,
                      contact: str | None = None) -> Verdict:
        """Judge an attempt logged after the fact (e.g. a call from a personal phone) at its own time.

        Logging is never refused — the record is the truth — but a verdict that is not ``allowed``
        means the record must be saved with ``flagged=True`` for the team lead.
        """
        earlier = [r for r in history if r.at < at]
        return self.check(action, case, earlier, at, contact=contact)

    def retention(self) -> Retention:
        """How long the laptop keeps a case that left it, and the server its records (the strictest rule)."""
        rules = [r for r in self.rules if r.type == "retention"]
        if not rules:
            return Retention()
        return Retention(device_purge_days=min(int(r.params["device_purge_days"]) for r in rules),
                         server_retention_days=max(int(r.params["server_retention_days"]) for r in rules))

    def visit_policy(self) -> VisitPolicy:
        """What this pack asks of a visit script's runner (recording, identity, envelope...)."""
        # Identity before disclosure is never off: a third party must not learn of the debt in any market.
        values = {"identity_before_disclosure": True, "recording_before_disclosure": False,
                  "entry_consent_required": False, "collector_disclosure_first": False}
        for rule in self.rules:
            if rule.type == "visit_requirement":
                for key in ("recording_before_disclosure", "entry_consent_required", "collector_disclosure_first"):
                    values[key] = values[key] or bool(rule.params.get(key, False))
        envelope = [bool(r.params.get("allowed", False)) for r in self.rules if r.type == "sealed_envelope"]
        values["sealed_envelope_allowed"] = bool(envelope) and all(envelope)  # any rule that forbids it wins
        return VisitPolicy(**values)

    # ------------------------------------------------------------------ lender policy
    def with_override(self, override: Mapping[str, Any]) -> RulePack:
        """This pack tightened by a lender policy (``kind: rule_override``).

        An existing rule's settings may only get stricter; new rules may be added; nothing may be
        removed. Raises PolicyError naming every setting that would loosen the pack.
        """
        problems = loosening_problems(self.data, override)
        if problems:
            raise PolicyError(problems)
        return RulePack(merge_override(self.data, override))


# -------------------------------------------------------------------------------- evaluators
def _appointment_near(case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime, grace: int) -> bool:
    candidates = [case.appointment_at] + [r.appointment_at for r in past]
    return any(a is not None and abs(_aware(a, "appointment") - now) <= dt.timedelta(minutes=grace)
               for a in candidates)


def _time_window(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                 local: dt.datetime, contact: str | None) -> Finding | None:
    start, end = _hhmm(rule.params["start"]), _hhmm(rule.params["end"])
    wall = local.time().replace(tzinfo=None)
    inside = start <= wall < end if start < end else (wall >= start or wall < end)
    if inside:
        return None
    if rule.params.get("appointment_exception") and _appointment_near(
            case, past, now, int(rule.params.get("appointment_grace_minutes", 60))):
        return None
    return rule.finding(start=rule.params["start"], end=rule.params["end"], local_time=local.strftime("%H:%M"),
                        zone=case.timezone)


def _blocked_times(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                   local: dt.datetime, contact: str | None) -> Finding | None:
    if contact is not None:
        return None  # the debtor's preferences are about contacting the debtor
    wall = local.time().replace(tzinfo=None)
    for start_text, end_text in case.blocked_times:
        start, end = _hhmm(start_text), _hhmm(end_text)
        inside = start <= wall < end if start < end else (wall >= start or wall < end)
        if inside:
            return rule.finding(start=start_text, end=end_text, local_time=local.strftime("%H:%M"))
    return None


def _counted(rule: Rule, past: Sequence[ContactRecord]) -> list[ContactRecord]:
    channels = rule.params.get("channels") or ["call"]
    connected_only = bool(rule.params.get("connected_only", False))
    return [r for r in past if r.contact is None and r.channel in channels and (r.connected or not connected_only)]


def _daily_limit(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                 local: dt.datetime, contact: str | None) -> Finding | None:
    zone = local.tzinfo
    today = [r for r in _counted(rule, past) if r.at.astimezone(zone).date() == local.date()]
    if len(today) >= int(rule.params["max"]):
        return rule.finding(count=len(today), max=rule.params["max"])
    return None


def _rolling_limit(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                   local: dt.datetime, contact: str | None) -> Finding | None:
    since = now - dt.timedelta(days=int(rule.params["days"]))
    recent = [r for r in _counted(rule, past) if r.at > since]
    if len(recent) >= int(rule.params["max"]):
        return rule.finding(count=len(recent), max=rule.params["max"], days=rule.params["days"])
    return None


def _after_conversation(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                        local: dt.datetime, contact: str | None) -> Finding | None:
    since = now - dt.timedelta(days=int(rule.params["days"]))
    channels = rule.params.get("channels") or ["call"]
    talks = [r for r in past if r.contact is None and r.connected and r.channel in channels and r.at > since]
    if talks:
        last = max(r.at for r in talks).astimezone(local.tzinfo)
        return rule.finding(days=rule.params["days"], last=last.strftime("%Y-%m-%d %H:%M"))
    return None


def _flag_block(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                local: dt.datetime, contact: str | None) -> Finding | None:
    for flag in rule.params["flags"]:  # the pack's order decides which flag the reason names
        if flag in case.flags:
            return rule.finding(flag=flag)
    return None


def _min_interval(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                  local: dt.datetime, contact: str | None) -> Finding | None:
    since = now - dt.timedelta(days=int(rule.params["days"]))
    channels = rule.params.get("channels") or ["visit"]
    recent = [r for r in past if r.contact is None and r.channel in channels and r.at > since]
    if recent:
        last = max(r.at for r in recent).astimezone(local.tzinfo)
        return rule.finding(days=rule.params["days"], last=last.strftime("%Y-%m-%d"))
    return None


def _blocked_contact(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                     local: dt.datetime, contact: str | None) -> Finding | None:
    if contact is not None and contact in case.blocked_contacts:
        return rule.finding(contact=contact)
    return None


def _third_party_once(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                      local: dt.datetime, contact: str | None) -> Finding | None:
    if contact is None:
        return None
    earlier = [r for r in past if r.contact == contact]
    if len(earlier) >= int(rule.params.get("max", 1)):
        return rule.finding(contact=contact, count=len(earlier), max=rule.params.get("max", 1))
    return None


def _sealed_envelope(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                     local: dt.datetime, contact: str | None) -> Finding | None:
    return None if rule.params.get("allowed") else rule.finding()


def _credential(rule: Rule, case: CaseFacts, past: Sequence[ContactRecord], now: dt.datetime,
                local: dt.datetime, contact: str | None) -> Finding | None:
    until = case.collector_credential_valid_until
    if until is None or until < local.date():
        return rule.finding(valid_until=until.isoformat() if until else "—")
    return None


def _never(rule: Rule, *args: Any) -> Finding | None:
    return None  # visit_requirement shapes the script runner (visit_policy), not a yes/no check


_EVALUATORS = {
    "time_window": _time_window, "blocked_times": _blocked_times, "daily_limit": _daily_limit, "rolling_limit": _rolling_limit,
    "after_conversation": _after_conversation, "flag_block": _flag_block, "min_interval": _min_interval,
    "blocked_contact": _blocked_contact, "third_party_once": _third_party_once,
    "sealed_envelope": _sealed_envelope, "credential": _credential, "visit_requirement": _never, "retention": _never,
}


# ---------------------------------------------------------------------------- stricter only
#: How each setting may change in a lender override without loosening the pack.
_TIGHTEN = {
    "max": "not_more", "appointment_grace_minutes": "not_more", "days": "not_less",
    "start": "not_earlier", "end": "not_later",
    "flags": "superset", "channels": "superset", "applies_to": "superset",
    "connected_only": "may_turn_off", "appointment_exception": "may_turn_off", "allowed": "may_turn_off",
    "identity_before_disclosure": "may_turn_on", "recording_before_disclosure": "may_turn_on",
    "entry_consent_required": "may_turn_on", "collector_disclosure_first": "may_turn_on",
    "severity": "severity", "type": "fixed", "id": "fixed",
    "reason": "free", "source": "free", "title": "free",
    "device_purge_days": "not_more", "server_retention_days": "not_less",
}
_DEFAULTS = {"connected_only": False, "appointment_exception": False, "allowed": False, "channels": [],
             "applies_to": [], "flags": [], "appointment_grace_minutes": 60, "identity_before_disclosure": False,
             "recording_before_disclosure": False, "entry_consent_required": False,
             "collector_disclosure_first": False}


def loosens(how: str, base: Any, new: Any) -> bool:
    if how == "not_more":
        return int(new) > int(base)
    if how == "not_less":
        return int(new) < int(base)
    if how == "not_earlier":
        return _hhmm(new) < _hhmm(base)
    if how == "not_later":
        return _hhmm(new) > _hhmm(base)
    if how == "superset":
        return not set(base or []) <= set(new or [])
    if how == "may_turn_off":
        return bool(new) and not bool(base)
    if how == "may_turn_on":
        return bool(base) and not bool(new)
    if how == "severity":
        return base == "hard" and new != "hard"
    if how == "fixed":
        return new != base
    return False


def loosening_problems(pack: Mapping[str, Any], override: Mapping[str, Any]) -> list[str]:
    """Every way ``override`` would loosen ``pack`` (empty: it only tightens or adds)."""
    return [message for _, _, message in loosening_details(pack, override)]


def loosening_details(pack: Mapping[str, Any], override: Mapping[str, Any]) -> list[tuple[str | None, str | None, str]]:
    """Like :func:`loosening_problems` with the rule id and setting of each (for line numbers)."""
    problems: list[tuple[str | None, str | None, str]] = []
    if override.get("jurisdiction") and override["jurisdiction"] != pack.get("jurisdiction"):
        problems.append((None, "jurisdiction",
                         f"override is for {override['jurisdiction']}, not {pack.get('jurisdiction')}"))
    base_rules = {r["id"]: r for r in pack.get("rules", [])}
    for change in override.get("rules", []):
        rid = change.get("id")
        if change.get("remove") or change.get("enabled") is False:
            key = "remove" if change.get("remove") else "enabled"
            problems.append((rid, key, f"{rid}: a lender policy cannot remove or disable a rule"))
            continue
        if rid not in base_rules:
            continue  # a new rule only adds restrictions
        base = base_rules[rid]
        for key, new in change.items():
            how = _TIGHTEN.get(key)
            if how is None:
                problems.append((rid, key, f"{rid}: unknown setting {key!r}"))
                continue
            old = base.get(key, _DEFAULTS.get(key))
            if old is None and how != "free":
                problems.append((rid, key, f"{rid}: setting {key!r} does not apply to this rule"))
                continue
            try:
                looser = loosens(how, old, new)
            except (TypeError, ValueError):
                problems.append((rid, key, f"{rid}: {key} {new!r} is not a valid value"))
                continue
            if looser:
                problems.append((rid, key, f"{rid}: {key} {old!r} → {new!r} would loosen the rule; "
                                           "a lender policy may only be stricter"))
    problems += [(None, "plans", message) for message in plan_loosening_problems(pack, override)]
    return problems


# ------------------------------------------------------------------ plans: stricter only
#: How each setting of a plan check (``plans.checks``) may change in a lender override.
_PLAN_TIGHTEN = {
    "months": "not_more", "max_amount": "not_more", "max_percent": "not_more", "min_amount": "not_less",
    "requires_declaration": "may_turn_on", "severity": "plan_severity", "type": "fixed", "id": "fixed",
    "title": "free", "reason": "free", "source": "free",
}
#: Plan check severities from the most lenient to the strictest.
_PLAN_SEVERITY_ORDER = ("soft", "approval", "hard")


def plan_loosening_problems(pack: Mapping[str, Any], override: Mapping[str, Any]) -> list[str]:
    """Every way the override's ``plans`` section would loosen the pack's plan checks."""
    from decimal import Decimal, InvalidOperation

    changes = (override.get("plans") or {}).get("checks") or []
    base_checks = {c["id"]: c for c in (pack.get("plans") or {}).get("checks", [])}
    problems: list[str] = []
    for change in changes:
        cid = change.get("id")
        if change.get("remove") or change.get("enabled") is False:
            problems.append(f"plans {cid}: a lender policy cannot remove or disable a plan check")
            continue
        if cid not in base_checks:  # a new check only adds restrictions, but it must be whole
            missing = [k for k in ("type", "severity", "title", "reason") if k not in change]
            if missing:
                problems.append(f"plans {cid}: a new plan check needs {', '.join(missing)}")
            continue
        base = base_checks[cid]
        for key, new in change.items():
            how = _PLAN_TIGHTEN.get(key)
            if how is None:
                problems.append(f"plans {cid}: unknown setting {key!r}")
                continue
            old = base.get(key, False if key == "requires_declaration" else None)
            if old is None and how != "free":
                problems.append(f"plans {cid}: setting {key!r} does not apply to this check")
                continue
            try:
                if how in ("not_more", "not_less"):
                    looser = (Decimal(str(new)) > Decimal(str(old))) if how == "not_more" else (
                        Decimal(str(new)) < Decimal(str(old)))
                elif how == "plan_severity":
                    looser = _PLAN_SEVERITY_ORDER.index(new) < _PLAN_SEVERITY_ORDER.index(old)
                else:
                    looser = loosens(how, old, new)
            except (TypeError, ValueError, InvalidOperation):
                problems.append(f"plans {cid}: {key} {new!r} is not a valid value")
                continue
            if looser:
                problems.append(f"plans {cid}: {key} {old!r} → {new!r} would loosen the check; "
                                "a lender policy may only be stricter")
    return problems


def merge_override(pack: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """The pack's data with the override's rules merged in (no strictness check: see with_override)."""
    merged = dict(pack)
    rules = [dict(r) for r in pack.get("rules", [])]
    index = {r["id"]: r for r in rules}
    for change in override.get("rules", []):
        if change["id"] in index:
            index[change["id"]].update(change)
        else:
            rules.append(dict(change))
    merged["rules"] = rules
    if (override.get("plans") or {}).get("checks"):
        plans = dict(pack.get("plans") or {})
        checks = [dict(c) for c in plans.get("checks", [])]
        by_id = {c["id"]: c for c in checks}
        for change in override["plans"]["checks"]:
            if change["id"] in by_id:
                by_id[change["id"]].update(change)
            else:
                checks.append(dict(change))
        plans["checks"] = checks
        merged["plans"] = plans
    merged["policy"] = {"id": override.get("id"), "version": str(override.get("version", ""))}
    merged["version"] = f"{pack.get('version')}+{override.get('id')}.{override.get('version', '')}"
    return merged


__all__ = (
    "ACTIONS", "CaseFacts", "ContactRecord", "FLAG_LABELS", "Finding", "PolicyError", "Rule", "RulePack", "Verdict",
    "loosening_problems", "merge_override", "plan_loosening_problems",
)
