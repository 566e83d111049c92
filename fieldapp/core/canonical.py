"""Canonical JSON and content hashes: the same content always hashes the same, on any device."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no whitespace; the input must already be JSON-safe."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(value: Any) -> str:
    """Hex SHA-256 of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


#: What a stored number may hold on both backends (a signed 64-bit integer).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
#: What an id column of 32 bits may hold (a case id).
ID_MAX = 2**31 - 1
#: How deep a request's JSON may nest.
MAX_DEPTH = 32


def hostile_input(value: Any, depth: int = 0) -> str | None:
    """Why a request's JSON cannot be stored as it is (a NUL character or an unpaired surrogate, an
    integer beyond 64 bits, a number that is not finite, nesting deeper than MAX_DEPTH), or None: checked before anything
    reads it, so a hostile body is a 422, never a server error."""
    if depth > MAX_DEPTH:
        return f"it nests deeper than {MAX_DEPTH} levels"
    if isinstance(value, str):
        if "\x00" in value:
            return "it holds a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "it holds text that is not valid Unicode (an unpaired surrogate)"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if INT_MIN <= value <= INT_MAX else "it holds a number beyond 64 bits"
    if isinstance(value, float):
        return None if value == value and abs(value) != float("inf") else "it holds a number that is not finite"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = hostile_input(key, depth + 1) or hostile_input(item, depth + 1)
            if problem:
                return problem
    elif isinstance(value, (list, tuple)):
        for item in value:
            problem = hostile_input(item, depth + 1)
            if problem:
                return problem
    return None
