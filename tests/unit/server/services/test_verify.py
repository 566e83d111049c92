"""The verification page's pieces: language choice and the per-address token bucket."""

from __future__ import annotations

import pytest

from fieldapp.server.services.verify import RateLimiter, pick_language


@pytest.mark.parametrize(("lang", "accept", "expected"), [
    ("en", "zh-CN", "en"),
    ("zh-CN", "en-US", "zh-CN"),
    (None, "en-GB,en;q=0.9,zh-CN;q=0.8", "en"),
    (None, "fr-FR, zh-TW;q=0.9, en;q=0.5", "zh-CN"),
    (None, "de, en;q=0.3, zh;q=0.7", "zh-CN"),
    (None, "", "zh-CN"),
    (None, "fr;q=bad", "zh-CN"),
])
def test_language_from_query_then_accept_language(lang: str | None, accept: str, expected: str) -> None:
    assert pick_language(lang, accept) == expected


def test_token_bucket_per_address_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=3, per_minute=6, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(10.0)  # one token every 10 s
    assert limiter.take("b") == 0.0  # another address has its own bucket
    now[0] = 10.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0
    now[0] = 1000.0
    assert [limiter.take("a") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst
    assert RateLimiter.from_setting("5/30").burst == 5 and RateLimiter.from_setting(None).burst == 20
