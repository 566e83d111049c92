"""Verification tokens (random, URL-safe, ≥ 128 bits) and the short code a person types."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.verification import (
    CODE_ALPHABET,
    new_verification_token,
    normalize_verification_code,
    verification_code,
    verification_url,
)

CODE = re.compile(f"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


def test_tokens_are_random_url_safe_and_long_enough() -> None:
    tokens = {new_verification_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 32 base64url characters = 192 bits ≥ 128
    assert verification_url("https://verify.example.cn/", next(iter(tokens))).count("/v/") == 1


def test_the_code_alphabet_has_no_lookalikes() -> None:
    assert len(CODE_ALPHABET) == 32
    assert not set("ILOU") & set(CODE_ALPHABET)


@given(st.binary(min_size=24, max_size=24))
def test_code_is_derived_short_and_typeable(raw: bytes) -> None:
    import base64

    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    code = verification_code(token)
    assert CODE.match(code)
    assert verification_code(token) == code  # derived: the server can recompute it
    assert normalize_verification_code(code) == code
    assert normalize_verification_code(code.lower().replace("-", " ")) == code
    typed = code.replace("0", "o").replace("1", "l")
    assert normalize_verification_code(typed) == code


def test_codes_spread_over_the_alphabet() -> None:
    codes = {verification_code(new_verification_token()) for _ in range(5000)}
    assert len(codes) == 5000
    assert set("".join(codes).replace("-", "")) == set(CODE_ALPHABET)


def test_not_a_code() -> None:
    assert normalize_verification_code("") is None
    assert normalize_verification_code("ABCD-EFG") is None
    assert normalize_verification_code("ABCD-EFGU") is None  # U is not in the alphabet
    assert normalize_verification_code("张伟") is None
