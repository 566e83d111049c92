"""Key escrow: devices' database keys sealed under a server key kept outside the database (PRODUCT.md §8).

At enrollment a device sends its raw SQLCipher key; the server stores it AES-256-GCM-sealed under
the *escrow key*, which lives in ``escrow.key`` in the server's data folder (0600, created by
``fieldapp admin init-db`` or the first server start) or, when set, in FIELDAPP_ESCROW_KEY (64 hex
characters). A copy of the database alone therefore reveals no device key. Back the escrow key up
separately from the database, and give every server host the same one (FIELDAPP_ESCROW_KEY suits
several hosts on one PostgreSQL database): escrows sealed under a lost key cannot be recovered.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from pathlib import Path

from fieldapp import paths
from fieldapp.core.atomic import write_atomic

#: Environment variable holding the escrow key as 64 hex characters (wins over the file).
ESCROW_ENV = "FIELDAPP_ESCROW_KEY"
KEY_FILE_NAME = "escrow.key"
#: A device key is a raw 256-bit SQLCipher key.
DEVICE_KEY_BYTES = 32
_NONCE_BYTES = 12
_AAD_PREFIX = b"fieldapp device key escrow v1:"


class EscrowError(Exception):
    """The escrow key or a sealed device key cannot be used; the message is for a person."""


def key_file_path() -> Path:
    return paths.data_dir() / KEY_FILE_NAME


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise EscrowError(f"the escrow key in {where} is not 64 hex characters")
    return key


def escrow_key(*, create: bool = False) -> bytes:
    """The server's escrow key from FIELDAPP_ESCROW_KEY or ``escrow.key``; with ``create``, a missing
    file is made (random, 0600). EscrowError when there is none, or it is malformed."""
    value = os.environ.get(ESCROW_ENV)
    if value:
        return _parse(value, ESCROW_ENV)
    path = key_file_path()
    try:
        return _parse(path.read_text(encoding="ascii"), str(path))
    except FileNotFoundError:
        if not create:
            raise EscrowError(
                f"there is no escrow key: {path} is missing and {ESCROW_ENV} is not set "
                "(run this on the server host, as the server's user)"
            ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EscrowError(f"cannot read the escrow key {path}: {exc}") from None
    key = secrets.token_bytes(32)
    write_atomic(path, (key.hex() + "\n").encode("ascii"), mode=0o600)
    return key


def key_id(key: bytes) -> str:
    """A short fingerprint naming an escrow key (stored with each sealed device key; reveals nothing)."""
    return hashlib.sha256(b"fieldapp escrow key id:" + key).hexdigest()[:16]


def _aad(device_id: uuid.UUID) -> bytes:
    # Bound to the device, so a sealed key copied onto another device's row does not open.
    return _AAD_PREFIX + device_id.bytes


def seal(key: bytes, device_id: uuid.UUID, device_key: bytes) -> bytes:
    """``device_key`` sealed with AES-256-GCM under the escrow key: nonce followed by ciphertext."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(device_key) != DEVICE_KEY_BYTES:
        raise EscrowError("a device key has 32 bytes")
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, device_key, _aad(device_id))


def unseal(key: bytes, device_id: uuid.UUID, sealed: bytes) -> bytes:
    """The raw device key; EscrowError when ``key`` is not the one it was sealed under (or it was altered)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _aad(device_id))
    except (InvalidTag, ValueError):
        raise EscrowError(f"the escrowed key of device {device_id} cannot be opened with this escrow key") from None


__all__ = ["ESCROW_ENV", "EscrowError", "escrow_key", "key_file_path", "key_id", "seal", "unseal"]
