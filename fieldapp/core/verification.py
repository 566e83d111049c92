"""A notice's verification token, the short code printed beside its QR code, and the URL the code carries.

The token is random and identifies nothing; the code is derived from it; the URL carries only the
token. What the public page then shows is the server's decision (fieldapp.server.services.verify).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from urllib.parse import urlsplit


class NoticeError(ValueError):
    """A notice that cannot be issued (a bad token or base URL here; see core.notices for the rest); ``reason`` holds the message in zh-CN and en."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.reason = {"zh-CN": zh or en, "en": en}


#: Crockford's base 32: no I, L, O, U, so a person cannot mistype one letter for another.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_verification_token() -> str:
    """A random URL-safe token of 192 bits (32 characters) for one notice; it identifies nothing."""
    return secrets.token_urlsafe(24)


def verification_code(token: str) -> str:
    """The short code printed next to the QR code: 8 characters from :data:`CODE_ALPHABET`, ``XXXX-XXXX``.

    Derived from the token (40 bits of its SHA-256), so the server finds the notice by either.
    Too short to be a secret on its own: the verification page must rate-limit look-ups by code.
    """
    digest = hashlib.sha256(b"fieldapp notice code\0" + token.encode("ascii")).digest()
    number = int.from_bytes(digest[:5], "big")
    chars = "".join(CODE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_verification_code(text: str) -> str | None:
    """What a person typed → the code as printed (``XXXX-XXXX``), or None if it cannot be one.

    Case, spaces and dashes do not matter; O reads as 0, I and L as 1.
    """
    cleaned = re.sub(r"[\s\-_.]", "", text).upper().translate(str.maketrans("OIL", "011"))
    if len(cleaned) != 8 or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:]}"


def verification_url(base_url: str, token: str) -> str:
    """``<base_url>/v/<token>``: the only thing a notice's QR code carries.

    Raises NoticeError for a token that is not a random URL-safe token (so no data can be smuggled
    into the code) or a base URL with a query or fragment.
    """
    if not _TOKEN.match(token or ""):
        raise NoticeError("the verification token is not a random URL-safe token", "核验令牌格式不正确")
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise NoticeError(f"the verification base URL {base_url!r} must be http(s)://host[/path]",
                          f"核验网址 {base_url!r} 格式不正确")
    return f"{base_url.rstrip('/')}/v/{token}"
