"""``fieldapp forms check``: every form file against its JSON Schema, then the checks a schema cannot do.

Problems come back as ``file:line: problem``; lines are found through the YAML node marks, so a
compliance officer editing a script sees where to look. Each kind of file (``kind:`` at its top)
has a schema in ``forms/schemas/<kind>.schema.json`` and an optional semantic check; a new kind
(notice templates, later) plugs in by adding its schema file, and its semantic check with
:func:`register_kind`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.core.forms import (
    FormError,
    Path_,
    YamlDocument,
    bundled_forms,
    bundled_rule_pack_data,
    bundled_schema,
    bundled_script_data,
    parse_yaml,
)
from fieldapp.core.notices import NoticeTemplate, template_problems
from fieldapp.core.rules import (
    RulePack,
    loosening_details,
    loosening_problems,
    loosens,
    merge_override,
)
from fieldapp.core.scripts import (
    AMOUNT_PLACEHOLDERS,
    DISCLOSING_PLACEHOLDERS,
    END,
    OUTCOMES,
    PLACEHOLDERS,
    VisitPolicy,
    VisitScript,
    placeholders_in,
)

SCHEMA_BASE = "https://fieldapp.invalid/schemas/"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


Found = tuple[int, str]  # (line, message) before the file name is known


@dataclass
class Context:
    """What cross-file checks may consult: the scripts and packs of the folder being checked
    (falling back to the bundled ones)."""

    scripts: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    packs: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    overrides: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    notices: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def script(self, script_id: str) -> Mapping[str, Any] | None:
        if script_id in self.scripts:
            return self.scripts[script_id]
        return _bundled_or_empty(bundled_script_data).get(script_id)

    def pack(self, jurisdiction: str) -> Mapping[str, Any] | None:
        if jurisdiction in self.packs:
            return self.packs[jurisdiction]
        return _bundled_or_empty(bundled_rule_pack_data).get(jurisdiction)

    def effective_pack(self, jurisdiction: str) -> Mapping[str, Any] | None:
        """The pack as the lender policies of the folder tighten it: scripts must work under it."""
        pack = self.pack(jurisdiction)
        for override in self.overrides.get(jurisdiction, []):
            if pack is not None and not loosening_problems(pack, override):
                pack = merge_override(pack, override)
        return pack


def _bundled_or_empty(loader: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return loader()
    except Exception:  # a broken bundled file must not hide the problems of the folder checked
        return {}


@dataclass(frozen=True)
class Kind:
    name: str
    schema: str  # file name stem in forms/schemas
    semantic: Callable[[YamlDocument, Context], list[Found]] | None = None


KINDS: dict[str, Kind] = {}


def register_kind(name: str, schema: str | None = None,
                  semantic: Callable[[YamlDocument, Context], list[Found]] | None = None) -> None:
    """Make ``kind: <name>`` files checkable (schema ``forms/schemas/<schema or name>.schema.json``)."""
    KINDS[name] = Kind(name, schema or name, semantic)


# ------------------------------------------------------------------------------ schema part
_VALIDATORS: dict[str, Any] = {}


def _validator(schema_name: str) -> Any:
    if schema_name not in _VALIDATORS:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource

        names = [e.name.removesuffix(".schema.json") for e in (bundled_forms() / "schemas").iterdir()
                 if e.name.endswith(".schema.json")]
        registry: Registry = Registry()
        for name in names:
            schema = bundled_schema(name)
            registry = registry.with_resource(schema.get("$id", SCHEMA_BASE + f"{name}.schema.json"),
                                              Resource.from_contents(schema))
        schema = bundled_schema(schema_name)
        Draft202012Validator.check_schema(schema)
        _VALIDATORS[schema_name] = Draft202012Validator(schema, registry=registry)
    return _VALIDATORS[schema_name]


def _has_schema(kind: str) -> bool:
    return (bundled_forms() / "schemas" / f"{kind}.schema.json").is_file()


def _path_text(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problems(doc: YamlDocument, schema_name: str, *, base: Path_ = ()) -> list[Found]:
    """Validate ``doc.data`` (or the part at ``base``) against a schema; lines from the node marks."""
    instance = doc.data
    for part in base:
        instance = instance[part]
    found: list[Found] = []
    for error in _validator(schema_name).iter_errors(instance):
        path = base + tuple(error.absolute_path)
        where = _path_text(path)
        prefix = f"{where}: " if where else ""
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    found.append((doc.line_of(path + (key,)), f"{prefix}unknown key {key!r}"))
            continue
        if error.validator == "required":
            found.append((doc.line_of(path), f"{prefix}{error.message.replace('is a required property', 'is missing')}"))
            continue
        if error.validator == "oneOf" and error.context:
            best = min(error.context, key=lambda e: len(e.message))
            found.append((doc.line_of(path), f"{prefix}{best.message}"))
            continue
        found.append((doc.line_of(path), f"{prefix}{error.message}"))
    return found


# ------------------------------------------------------------------------------ the driver
def check_document(doc: YamlDocument, kind: str | None = None, *, context: Context | None = None) -> list[Problem]:
    """Schema and semantic problems of one parsed document (file name left as ``<text>``)."""
    return [Problem("<text>", line, msg) for line, msg in _check(doc, kind, context or Context())]


def _check(doc: YamlDocument, kind: str | None, context: Context) -> list[Found]:
    found: list[Found] = [(line, f"duplicate key {_path_text(path)!r}") for path, line in doc.duplicate_keys]
    if not isinstance(doc.data, Mapping):
        return found + [(1, "expected a mapping with a 'kind' key at the top")]
    kind = kind or doc.data.get("kind")
    if kind not in KINDS and isinstance(kind, str) and _has_schema(kind):
        register_kind(kind)  # a new kind plugs in with just its schema; semantics can be added later
    if kind not in KINDS:
        return found + [(doc.line_of(("kind",)), f"unknown kind {doc.data.get('kind')!r}; expected one of {sorted(KINDS)}")]
    spec = KINDS[kind]
    schema_found = schema_problems(doc, spec.schema)
    found += schema_found
    if not schema_found and spec.semantic is not None:
        found += spec.semantic(doc, context)
    return found


def _files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith((".yaml", ".yml"))]
    return out


def check_dir(root: str | os.PathLike[str] | None = None) -> tuple[list[Problem], int]:
    """Check every ``*.yaml`` under ``root`` (default: the bundled forms); (problems, files checked)."""
    if root is None:
        from importlib.resources import as_file

        with as_file(bundled_forms()) as path:
            return check_dir(path)
    root = Path(root)
    parsed: list[tuple[str, YamlDocument | None, list[Found]]] = []
    context = Context()
    for path in _files(root):
        name = str(path)
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"))
        except FormError as exc:
            line, _, message = str(exc).partition(": ")
            parsed.append((name, None, [(int(line.removeprefix("line ")), message)]))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            parsed.append((name, None, [(1, f"cannot read: {exc}")]))
            continue
        parsed.append((name, doc, []))
        if isinstance(doc.data, Mapping):
            if doc.data.get("kind") == "script" and isinstance(doc.data.get("id"), str):
                if doc.data["id"] in context.scripts:
                    parsed[-1][2].append((doc.line_of(("id",)), f"script id {doc.data['id']!r} is used twice"))
                context.scripts[doc.data["id"]] = doc.data
            elif doc.data.get("kind") == "rule_pack" and isinstance(doc.data.get("jurisdiction"), str):
                if doc.data["jurisdiction"] in context.packs:
                    parsed[-1][2].append((doc.line_of(("jurisdiction",)),
                                          f"a second rule pack for {doc.data['jurisdiction']}"))
                context.packs[doc.data["jurisdiction"]] = doc.data
            elif doc.data.get("kind") == "notice" and isinstance(doc.data.get("id"), str):
                if doc.data["id"] in context.notices:
                    parsed[-1][2].append((doc.line_of(("id",)), f"notice template id {doc.data['id']!r} is used twice"))
                context.notices[doc.data["id"]] = doc.data
            elif doc.data.get("kind") == "rule_override" and isinstance(doc.data.get("jurisdiction"), str):
                if isinstance(doc.data.get("rules"), list) and all(
                        isinstance(r, Mapping) and isinstance(r.get("id"), str) for r in doc.data["rules"]):
                    context.overrides.setdefault(doc.data["jurisdiction"], []).append(doc.data)
    problems: list[Problem] = []
    for name, doc, early in parsed:
        found = list(early)
        if doc is not None:
            try:
                found += _check(doc, None, context)
            except Exception as exc:  # a checker bug must still point at the file, not crash the run
                found.append((1, f"could not be checked: {type(exc).__name__}: {exc}"))
        problems += [Problem(name, line, msg) for line, msg in found]
    return sorted(set(problems)), len(parsed)


# ------------------------------------------------------------------------------ semantics
def _script_semantics(doc: YamlDocument, context: Context) -> list[Found]:
    data = doc.data
    raw_steps = data["steps"]
    found: list[Found] = []

    def at(*path: str | int) -> int:
        return doc.line_of(path)

    ids: dict[str, int] = {}
    for i, raw in enumerate(raw_steps):
        if raw["id"] in ids:
            found.append((at("steps", i, "id"), f"step id {raw['id']!r} is used twice (first at step {ids[raw['id']]})"))
        ids.setdefault(raw["id"], i)
    if "start" in data and data["start"] not in ids:
        found.append((at("start"), f"start step {data['start']!r} does not exist"))

    for i, raw in enumerate(raw_steps):
        choices = raw.get("choices") or []
        values = [c["value"] for c in choices]
        for j, value in enumerate(values):
            if value in values[:j]:
                found.append((at("steps", i, "choices", j, "value"), f"choice {value!r} is used twice in step {raw['id']!r}"))
        if raw["kind"] == "confirm" and choices and sorted(values) != ["no", "yes"]:
            found.append((at("steps", i, "choices"), "a confirm step's choices are exactly 'yes' and 'no'"))
        if raw["kind"] == "confirm" and not choices:
            values = ["yes", "no"]
        if "default" in raw and raw["default"] not in values:
            found.append((at("steps", i, "default"), f"default {raw['default']!r} is not one of the choices"))
        found.extend(_role_problems(raw, i, at))
        nxt = raw.get("next")
        targets: list[tuple[Path_, str]] = []
        if isinstance(nxt, str):
            targets.append((("steps", i, "next"), nxt))
        elif isinstance(nxt, Mapping):
            if raw["kind"] in ("say", "capture") and set(nxt) != {"default"}:
                found.append((at("steps", i, "next"), f"a {raw['kind']} step has one next step, not a branch"))
            for key, target in nxt.items():
                targets.append((("steps", i, "next", key), target))
                if key != "default" and key not in values:
                    found.append((at("steps", i, "next", key), f"branch {key!r} is not one of the step's answers"))
            for j, choice in enumerate(choices or [{"value": v} for v in values]):
                if not choice.get("switch_to") and choice["value"] not in nxt and "default" not in nxt:
                    line = at("steps", i, "choices", j) if choices else at("steps", i, "next")
                    found.append((line, f"answer {choice['value']!r} of step {raw['id']!r} leads nowhere "
                                        "(add it under next, or a default)"))
        if "skip_to" in raw:
            targets.append((("steps", i, "skip_to"), raw["skip_to"]))
        for path, target in targets:
            if target != END and target not in ids:
                found.append((doc.line_of(path), f"next step {target!r} does not exist"))
        for j, choice in enumerate(choices):
            if choice.get("switch_to") and context.script(choice["switch_to"]) is None:
                found.append((at("steps", i, "choices", j, "switch_to"),
                              f"switches to script {choice['switch_to']!r}, which does not exist"))
        if raw.get("outcome"):
            for j, value in enumerate(values):
                if value not in OUTCOMES:
                    found.append((at("steps", i, "choices", j, "value"),
                                  f"{value!r} is not a visit outcome; expected one of {', '.join(OUTCOMES)}"))
    if found:
        return found  # the graph checks below need a well-formed graph

    script = VisitScript(data)
    pack = context.effective_pack(script.jurisdiction)
    if pack is not None:
        try:
            policy = RulePack(pack).visit_policy()
        except FormError:
            policy = VisitPolicy()
    else:
        policy = VisitPolicy()
    index = {s.id: i for i, s in enumerate(script.steps)}

    def step_line(step_id: str, *key: str) -> int:
        return at("steps", index[step_id], *key) if key else at("steps", index[step_id])

    # texts: placeholders, and what a third party may hear
    for step in script.steps:
        i = index[step.id]
        texts: list[tuple[Path_, str]] = [(("steps", i, "text", lang), t) for lang, t in step.text.items()]
        texts += [(("steps", i, "choices", j, "text", lang), t)
                  for j, c in enumerate(step.choices) for lang, t in c.text.items()]
        for path, text in texts:
            names = placeholders_in(text)
            for name in sorted(names - PLACEHOLDERS):
                found.append((doc.line_of(path), f"unknown placeholder {{{name}}}"))
            if names & AMOUNT_PLACEHOLDERS and not step.shows_amount:
                found.append((doc.line_of(path), f"step {step.id!r} shows an amount but is not marked shows_amount"))
            elif names & DISCLOSING_PLACEHOLDERS and not step.gated_by_identity:
                found.append((doc.line_of(path), f"step {step.id!r} names the creditor or the debt but is not gated "
                                                 "by identity (mark it discloses_debt or requires_identity)"))
        if script.audience == "third_party" and step.gated_by_identity:
            found.append((step_line(step.id), f"a third-party script must not disclose anything: step {step.id!r}"))
        if script.audience == "third_party" and any(c.sets.get("identity_confirmed") for c in step.choices):
            found.append((step_line(step.id), "a third-party script cannot confirm the debtor's identity"))

    # reachability
    reachable = _walk(script)
    for step in script.steps:
        if step.id not in reachable:
            what = "required step" if step.required else "step"
            found.append((step_line(step.id), f"{what} {step.id!r} is unreachable from the start"))

    def confirms(fact: str) -> Callable[[Any, str | None], bool]:
        def closed(step: Any, value: str | None) -> bool:
            choice = step.choice(value) if value is not None else None
            return bool(choice is not None and choice.sets.get(fact))
        return closed

    gated_identity = [s for s in script.steps if s.gated_by_identity]
    if gated_identity and script.audience == "debtor" and not any(
            c.sets.get("identity_confirmed") for s in script.steps for c in s.choices):
        found.append((at("steps"), "the script discloses the debt but no answer confirms the debtor's identity"))
    parents = _walk(script, closed=confirms("identity_confirmed"))
    for step in gated_identity:
        if step.id in parents:
            found.append((step_line(step.id), f"step {step.id!r} discloses the debt but can be reached before the "
                                              f"identity check: {' → '.join(_trail(parents, step.id))}"))
    parents = _walk(script, closed=confirms("recording_consent"))
    for step in script.steps:
        if step.gated_by_recording(policy) and step.id in parents:
            found.append((step_line(step.id), f"step {step.id!r} needs recording consent but can be reached without "
                                              f"it: {' → '.join(_trail(parents, step.id))}"))
    if pack is not None and policy.recording_before_disclosure:
        for step in script.steps:
            if step.discloses_debt and not step.requires_recording:
                found.append((step_line(step.id, "discloses_debt"),
                              f"the {script.jurisdiction} rule pack asks for recording before disclosure: "
                              f"mark step {step.id!r} requires_recording"))
    if policy.collector_disclosure_first and script.audience == "debtor":
        for step in script.steps:
            for choice in step.choices:
                if choice.sets.get("identity_confirmed") and not choice.switch_to:
                    target = step.route(choice.value) if step.next is not None else END
                    if target == END or not script.step(target).discloses_collector:
                        found.append((step_line(step.id),
                                      f"the {script.jurisdiction} rule pack asks for the debt-collector disclosure "
                                      f"first: after {step.id!r} = {choice.value!r} comes {target!r}, "
                                      "which is not marked discloses_collector"))

    # every way to the end passes an outcome
    if not any(s.outcome for s in script.steps) and not script.switch_targets:
        found.append((at("steps"), "the script records no outcome (add an ask step with outcome: true)"))
    else:
        parents = _walk(script, stop=lambda s: s.outcome)
        if END in parents:
            trail = _trail(parents, END)
            found.append((step_line(trail[-2]) if len(trail) > 1 else at("steps"),
                          f"this path ends without an outcome: {' → '.join(trail)}"))
    return found


#: What each step role needs of its step (the visit session reads the answer by the role).
_ROLE_NEEDS = {"delivery": ("ask", None), "follow_up": ("capture", "date"), "third_party_person": ("capture", "text"),
               "promise_date": ("capture", "date"), "promise_amount": ("capture", "amount")}


def _role_problems(raw: Mapping[str, Any], i: int, at: Callable[..., int]) -> list[Found]:
    found: list[Found] = []
    role = raw.get("role")
    choices = raw.get("choices") or []
    if role in _ROLE_NEEDS:
        kind, capture = _ROLE_NEEDS[role]
        if raw["kind"] != kind or (capture is not None and raw.get("capture") != capture):
            want = f"a {kind} step" + (f" capturing a {capture}" if capture else "")
            found.append((at("steps", i, "role"), f"a {role} step must be {want}"))
        if role == "delivery":
            for j, choice in enumerate(choices):
                if "delivery" not in choice:
                    found.append((at("steps", i, "choices", j), f"answer {choice['value']!r} of the delivery step "
                                                                 "must say how the notice went (delivery: …)"))
    for j, choice in enumerate(choices):
        if "delivery" in choice and role != "delivery":
            found.append((at("steps", i, "choices", j, "delivery"), "only a step with role: delivery names a delivery"))
    return found


def _walk(script: Any, *, closed: Callable[[Any, str | None], bool] | None = None,
          stop: Callable[[Any], bool] | None = None) -> dict[str, str | None]:
    """Breadth-first walk from the start: {reached step id or END: the step it was reached from}.

    ``closed(step, answer)`` shuts edges taken only with such answers; ``stop(step)`` keeps the
    walk from going through a step.
    """
    parents: dict[str, str | None] = {script.start: None}
    queue = deque([script.start])
    while queue:
        current = queue.popleft()
        if current == END:
            continue
        step = script.step(current)
        if stop is not None and stop(step):
            continue
        for target, values in step.routes().items():
            if closed is not None and all(closed(step, v) for v in values):
                continue
            if target not in parents:
                parents[target] = current
                queue.append(target)
    return parents


def _trail(parents: Mapping[str, str | None], target: str) -> list[str]:
    out = [target]
    while parents.get(out[-1]) is not None:
        out.append(parents[out[-1]])  # type: ignore[arg-type]
    return out[::-1]


_RULE_PARAMS = {
    "time_window": {"start", "end", "appointment_exception", "appointment_grace_minutes"},
    "blocked_times": set(),
    "daily_limit": {"max", "channels", "connected_only"},
    "rolling_limit": {"max", "days", "channels", "connected_only"},
    "after_conversation": {"days", "channels"},
    "flag_block": {"flags"},
    "min_interval": {"days", "channels"},
    "blocked_contact": set(),
    "third_party_once": {"max"},
    "sealed_envelope": {"allowed"},
    "credential": set(),
    "visit_requirement": {"identity_before_disclosure", "recording_before_disclosure", "entry_consent_required",
                          "collector_disclosure_first"},
    "retention": {"device_purge_days", "server_retention_days"},
}
_RULE_PLACEHOLDERS = {
    "time_window": {"start", "end", "local_time", "zone"},
    "blocked_times": {"start", "end", "local_time"},
    "daily_limit": {"count", "max"},
    "rolling_limit": {"count", "max", "days"},
    "after_conversation": {"days", "last"},
    "flag_block": {"flag"},
    "min_interval": {"days", "last"},
    "blocked_contact": {"contact"},
    "third_party_once": {"contact", "count", "max"},
    "sealed_envelope": set(),
    "credential": {"valid_until"},
    "visit_requirement": set(),
    "retention": set(),
}
_COMMON_RULE_KEYS = {"id", "type", "severity", "applies_to", "reason", "title", "source"}


def _rule_problems(doc: YamlDocument, base: Path_, rule: Mapping[str, Any], jurisdiction: str) -> list[Found]:
    found: list[Found] = []
    kind = rule["type"]
    if not str(rule["id"]).startswith(jurisdiction):
        found.append((doc.line_of(base + ("id",)), f"rule id {rule['id']!r} should start with {jurisdiction}"))
    for key in rule:
        if key not in _COMMON_RULE_KEYS and key not in _RULE_PARAMS[kind]:
            found.append((doc.line_of(base + (key,)), f"setting {key!r} does not apply to a {kind} rule"))
    if kind == "time_window" and rule["start"] >= rule["end"]:
        found.append((doc.line_of(base + ("start",)), "the window must start before it ends (debtor-local time)"))
    if kind not in ("visit_requirement", "retention") and not rule["applies_to"]:
        found.append((doc.line_of(base + ("applies_to",)), "the rule applies to no action"))
    for lang, text in rule["reason"].items():
        for name in sorted(placeholders_in(text) - _RULE_PLACEHOLDERS[kind]):
            found.append((doc.line_of(base + ("reason", lang)), f"placeholder {{{name}}} is not known to a {kind} rule"))
    return found


# The numbers the law sets (PRODUCT.md §6): a rule pack may be stricter, never looser. (jurisdiction → rule
# type → setting → (how it may change, the statutory value, the source)); checked on every rule pack.
_STATUTORY: dict[str, dict[str, dict[str, tuple[str, Any, str]]]] = {
    "CN": {"time_window": {"start": ("not_earlier", "08:00", "CN1, GB/T 45251—2025"),
                           "end": ("not_later", "22:00", "CN1, GB/T 45251—2025")},
           "daily_limit": {"max": ("not_more", 3, "CN2, GB/T 45251—2025")},
           "retention": {"server_retention_days": ("not_less", 1825, "CN6, NIFA 2018: five years")}},
    "US": {"time_window": {"start": ("not_earlier", "08:00", "US1, 12 CFR 1006.6(b)(1)"),
                           "end": ("not_later", "21:00", "US1, 12 CFR 1006.6(b)(1)")},
           "rolling_limit": {"max": ("not_more", 7, "US3, 12 CFR 1006.14(b)(2)"),
                             "days": ("not_less", 7, "US3, 12 CFR 1006.14(b)(2)")},
           "after_conversation": {"days": ("not_less", 7, "US3, 12 CFR 1006.14(b)(2)")},
           "retention": {"server_retention_days": ("not_less", 1095, "US8, 12 CFR 1006.100: three years")}},
    "IN": {"time_window": {"start": ("not_earlier", "08:00", "IN1, RBI 2022"),
                           "end": ("not_later", "19:00", "IN1, RBI 2022")}},
}


def _statutory_problems(doc: YamlDocument, data: Mapping[str, Any]) -> list[Found]:
    found: list[Found] = []
    floors = _STATUTORY.get(str(data.get("jurisdiction", "")), {})
    for i, rule in enumerate(data.get("rules", [])):
        for key, (how, law, source) in floors.get(rule.get("type", ""), {}).items():
            if key not in rule:
                continue
            try:
                looser = loosens(how, law, rule[key])
            except (TypeError, ValueError):
                continue  # the schema reports a value of the wrong kind
            if looser:
                found.append((doc.line_of(("rules", i, key)),
                              f"{rule.get('id')}: {key} {rule[key]!r} is looser than the law's {law!r} ({source})"))
    return found


def _pack_semantics(doc: YamlDocument, context: Context) -> list[Found]:
    data = doc.data
    found: list[Found] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(data["rules"]):
        if rule["id"] in seen:
            found.append((doc.line_of(("rules", i, "id")), f"rule id {rule['id']!r} is used twice"))
        seen.setdefault(rule["id"], i)
        found += _rule_problems(doc, ("rules", i), rule, data["jurisdiction"])
    found += _statutory_problems(doc, data)
    types = {r["type"] for r in data["rules"]}
    for needed in ("time_window", "flag_block", "blocked_contact", "visit_requirement", "retention"):
        if needed not in types:
            found.append((doc.line_of(("rules",)), f"the pack has no {needed} rule"))
    return found


def _override_semantics(doc: YamlDocument, context: Context) -> list[Found]:
    data = doc.data
    pack = context.pack(data["jurisdiction"])
    if pack is None:
        return [(doc.line_of(("jurisdiction",)), f"no rule pack for {data['jurisdiction']} to tighten")]
    found: list[Found] = []
    index = {r["id"]: i for i, r in enumerate(data["rules"])}
    base_ids = {r["id"] for r in pack["rules"]}
    for rid, key, message in loosening_details(pack, data):
        path: Path_ = ("rules", index[rid], key) if rid in index and key else ((key,) if key else ())
        found.append((doc.line_of(path), message))
    for rid, i in index.items():
        if rid not in base_ids:  # a new rule: it must be a whole, valid rule
            problems = _new_rule_problems(doc, i)
            found += problems
            if not problems:
                found += _rule_problems(doc, ("rules", i), data["rules"][i], data["jurisdiction"])
    return found


def _new_rule_problems(doc: YamlDocument, i: int) -> list[Found]:
    from jsonschema import Draft202012Validator

    pack_validator = _validator("rule_pack")
    rule_schema = {"$ref": SCHEMA_BASE + "rule_pack.schema.json#/$defs/rule"}
    validator = Draft202012Validator(rule_schema, registry=pack_validator._registry)
    found: list[Found] = []
    for error in validator.iter_errors(doc.data["rules"][i]):
        path = ("rules", i) + tuple(error.absolute_path)
        found.append((doc.line_of(path), f"{_path_text(path)}: {error.message}"))
    return found


register_kind("script", semantic=_script_semantics)
register_kind("rule_pack", semantic=_pack_semantics)
register_kind("rule_override", semantic=_override_semantics)


def _notice_semantics(doc: YamlDocument, context: Context) -> list[Found]:
    return template_problems(doc)


register_kind("notice", semantic=_notice_semantics)


__all__ = ("KINDS", "Context", "Kind", "Problem", "check_dir", "check_document", "register_kind", "schema_problems")


# ------------------------------------------------------------------------------ checked loading
def _checked(text: str, kind: str, context: Context | None = None) -> YamlDocument:
    doc = parse_yaml(text)
    problems = check_document(doc, kind=kind, context=context)
    if problems:
        raise FormError("; ".join(f"line {p.line}: {p.message}" for p in problems))
    return doc


def load_script(text: str, *, scripts: Mapping[str, Mapping[str, Any]] | None = None,
                packs: Mapping[str, Mapping[str, Any]] | None = None) -> VisitScript:
    """Parse and fully check (schema and semantics) a script; FormError lists every problem.

    ``scripts`` (data by id) and ``packs`` (data by jurisdiction) are what the check may consult
    besides the bundled forms, e.g. the versions just received with sync.
    """
    context = Context(scripts=dict(scripts or {}), packs=dict(packs or {}))
    return VisitScript(_checked(text, "script", context).data)


def load_rule_pack(text: str) -> RulePack:
    """Parse and fully check a rule pack; FormError lists every problem."""
    return RulePack(_checked(text, "rule_pack").data)


def load_notice_template(text: str) -> NoticeTemplate:
    """Parse and check a notice template; FormError lists every problem (``line N: ...``)."""
    return NoticeTemplate(_checked(text, "notice").data)
