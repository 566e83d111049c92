"""Attachment bytes at rest: AES-256-GCM in fixed segments, so any offset can be read without the rest."""

# Signatures, photos and recordings are personal data (PIPL); they sit next to the SQLCipher file and
# must be as unreadable as it is. Segments let a resumable upload start at any byte.

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAGIC = b"FAB1"
SEGMENT = 1024 * 1024
_HEADER = struct.Struct(">4sI")
_NONCE = 12
_TAG = 16


class BlobError(Exception):
    """An attachment file is missing or damaged; the message is for a person."""


def _aad(index: int, final: bool) -> bytes:
    return struct.pack(">QB", index, 1 if final else 0)


def _chunks(data: bytes | Path) -> Iterator[bytes]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        for start in range(0, len(view), SEGMENT):
            yield bytes(view[start : start + SEGMENT])
        return
    with open(data, "rb") as handle:
        while chunk := handle.read(SEGMENT):
            yield chunk


def _segments(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Yield SEGMENT-sized plaintext pieces with a final flag (an empty input yields one empty piece)."""
    buffer = b""
    previous: bytes | None = None
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= SEGMENT:
            if previous is not None:
                yield previous, False
            previous, buffer = buffer[:SEGMENT], buffer[SEGMENT:]
    if buffer or previous is None:
        if previous is not None:
            yield previous, False
        yield buffer, True
    else:
        yield previous, True


def write_blob(directory: Path, key: bytes, data: bytes | Path) -> tuple[str, int, Path]:
    """Encrypt ``data`` into ``directory``; returns (sha256 hex of the plaintext, size, final path).

    Written to a temporary name, fsynced, then renamed to its hash, so a crash leaves no half file.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    aead = AESGCM(key)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix=".incoming.", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(_HEADER.pack(MAGIC, SEGMENT))
            for index, (plain, final) in enumerate(_segments(_chunks(data))):
                digest.update(plain)
                size += len(plain)
                nonce = secrets.token_bytes(_NONCE)
                out.write(nonce + aead.encrypt(nonce, plain, _aad(index, final)))
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final_path = directory / sha
        os.replace(tmp, final_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, size, final_path


def read_blob(path: Path, key: bytes, offset: int = 0, length: int | None = None) -> bytes:
    """Plaintext bytes ``[offset, offset+length)`` of an encrypted attachment file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    out = bytearray()
    try:
        with open(path, "rb") as handle:
            magic, segment = _HEADER.unpack(handle.read(_HEADER.size))
            if magic != MAGIC or segment <= 0:
                raise BlobError(f"attachment {path.name} is damaged (bad header)")
            record_size = segment + _NONCE + _TAG
            body_size = os.fstat(handle.fileno()).st_size - _HEADER.size
            last = max(0, -(-body_size // record_size) - 1)
            index = offset // segment
            skip = offset - index * segment
            handle.seek(_HEADER.size + index * record_size)
            while index <= last and (length is None or len(out) < length):
                record = handle.read(record_size)
                if len(record) < _NONCE + _TAG:
                    raise BlobError(f"attachment {path.name} is damaged (truncated)")
                try:
                    plain = aead.decrypt(record[:_NONCE], record[_NONCE:], _aad(index, index == last))
                except InvalidTag:
                    raise BlobError(f"attachment {path.name} is damaged (segment {index})") from None
                out += plain[skip:]
                skip = 0
                index += 1
    except FileNotFoundError:
        raise BlobError(f"attachment file {path.name} is missing") from None
    except struct.error:
        raise BlobError(f"attachment {path.name} is damaged (short header)") from None
    return bytes(out if length is None else out[:length])
