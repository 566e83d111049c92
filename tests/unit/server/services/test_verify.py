"""The verification page's pieces: language choice (its rate limit: server/api/test_limits)."""

from __future__ import annotations

import pytest

from fieldapp.server.services.verify import pick_language


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
