"""Encrypted attachment files: any byte range reads back, tampering and truncation are detected."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from fieldapp.store import blobs
from fieldapp.store.blobs import BlobError, read_blob, write_blob

KEY = bytes(range(32))


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blobs, "SEGMENT", 1000)


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 2000, 3500])
def test_round_trip_at_every_offset(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    sha, written, path = write_blob(tmp_path, KEY, data)
    assert sha == hashlib.sha256(data).hexdigest() and written == size and path.name == sha
    assert read_blob(path, KEY) == data
    for offset in (0, 1, 999, 1000, 1500, size):
        for length in (None, 1, 1000, 2500):
            expected = data[offset:] if length is None else data[offset : offset + length]
            assert read_blob(path, KEY, offset, length) == expected


def test_from_a_file_matches_from_bytes(tmp_path: Path) -> None:
    data = os.urandom(2500)
    source = tmp_path / "in.bin"
    source.write_bytes(data)
    sha, size, path = write_blob(tmp_path / "out", KEY, source)
    assert (sha, size) == (hashlib.sha256(data).hexdigest(), 2500)
    assert read_blob(path, KEY) == data


def test_tampering_truncation_and_wrong_key_are_detected(tmp_path: Path) -> None:
    _, _, path = write_blob(tmp_path, KEY, os.urandom(2500))
    original = path.read_bytes()
    with pytest.raises(BlobError):
        read_blob(path, bytes(32))
    flipped = bytearray(original)
    flipped[100] ^= 1
    path.write_bytes(bytes(flipped))
    with pytest.raises(BlobError, match="damaged"):
        read_blob(path, KEY)
    record = 1000 + 12 + 16
    path.write_bytes(original[: 8 + 2 * record])  # the final segment cut off at a boundary
    with pytest.raises(BlobError, match="damaged"):
        read_blob(path, KEY)
    path.unlink()
    with pytest.raises(BlobError, match="missing"):
        read_blob(path, KEY)


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    write_blob(folder, KEY, b"x" * 5000)
    assert [p.name.startswith(".incoming") for p in folder.iterdir()] == [False]
