"""Canonical hashing and atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fieldapp.core import atomic
from fieldapp.core.canonical import canonical_json, content_hash


def test_canonical_json_is_order_independent_and_keeps_chinese() -> None:
    a = {"b": 1, "a": "张伟", "c": [1, {"y": 2, "x": 1}]}
    b = {"c": [1, {"x": 1, "y": 2}], "a": "张伟", "b": 1}
    assert canonical_json(a) == canonical_json(b)
    assert "张伟".encode() in canonical_json(a)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "b": 2})


def test_write_atomic_sets_permissions_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "key.json"
    atomic.write_atomic(target, b"one")
    atomic.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["key.json"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keys" / "key.json"
    atomic.write_atomic(target, b"old")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["key.json"]
