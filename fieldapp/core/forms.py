"""Forms as data: YAML read the same way everywhere (with line numbers) and the bundled forms.

The bundled forms live in the top-level ``forms/`` folder, installed as the package
``fieldapp.forms``; they are read through importlib.resources so a checkout, a wheel and a frozen
bundle find them alike. Nothing here imports the rest of the project.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

FORMS_PACKAGE = "fieldapp.forms"
LANGUAGES = ("zh-CN", "en")


class FormError(ValueError):
    """A form file that cannot be used; the message is for a person (file and line where known)."""


class FormsLoader(yaml.SafeLoader):
    """YAML with YAML 1.2 scalars.

    PyYAML follows YAML 1.1, where ``yes``/``no``/``on``/``off`` are booleans (so ``next: {yes: a}``
    would key on True), ``22:00`` is the sexagesimal integer 1320 and ``2026-01-01`` becomes a date.
    Compliance staff write exactly these, so only ``true``/``false`` are booleans, integers are
    plain decimal, and times and dates stay strings.
    """


FormsLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FormsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
FormsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
FormsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))


Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Parsed YAML plus the line of every key and list item, for ``file:line: problem`` reports."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path_, int]] = field(default_factory=list)

    def line_of(self, path: Path_ | list[str | int]) -> int:
        """1-based line of the deepest known node on ``path`` (1 for the document itself)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def _key(node: Node) -> str | int:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        return int(node.value)
    return node.value if isinstance(node, ScalarNode) else str(node.start_mark)


def _index(node: Node, path: Path_, doc: YamlDocument) -> None:
    if isinstance(node, MappingNode):
        seen: set[str | int] = set()
        for key_node, value_node in node.value:
            key = _key(key_node)
            child = path + (key,)
            if key in seen:
                doc.duplicate_keys.append((child, key_node.start_mark.line + 1))
            seen.add(key)
            doc.lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, doc)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            child = path + (i,)
            doc.lines[child] = item.start_mark.line + 1
            _index(item, child, doc)


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document with line numbers; raises FormError ("line N: ...") on bad syntax."""
    loader = FormsLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise FormError(f"line {line}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise FormError(f"line 1: YAML error: {exc}") from None
    finally:
        loader.dispose()
    doc = YamlDocument(data)
    if node is not None:
        _index(node, (), doc)
    return doc


def load_yaml(text: str) -> Any:
    """Just the data of :func:`parse_yaml`."""
    return parse_yaml(text).data


def bundled_forms() -> Traversable:
    """The root of the bundled forms (``forms/`` in a checkout)."""
    return resources.files(FORMS_PACKAGE)


def _bundled_yaml(folder: str) -> Iterator[tuple[str, Any]]:
    base = bundled_forms() / folder
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            yield entry.name, load_yaml(entry.read_text(encoding="utf-8"))


def bundled_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of form file (``forms/schemas/<kind>.schema.json``)."""
    entry = bundled_forms() / "schemas" / f"{kind}.schema.json"
    return json.loads(entry.read_text(encoding="utf-8"))


def bundled_script_data() -> dict[str, dict[str, Any]]:
    """Every bundled visit script's parsed data by script id."""
    return {data["id"]: data for _, data in _bundled_yaml("scripts")}


def bundled_rule_pack_data() -> dict[str, dict[str, Any]]:
    """Every bundled rule pack's parsed data by jurisdiction."""
    return {data["jurisdiction"]: data for _, data in _bundled_yaml("rules") if data.get("kind") == "rule_pack"}
