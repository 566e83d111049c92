"""Exact money: parsing, minor units, formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.money import (
    MoneyError,
    format_amount,
    from_minor,
    parse_amount,
    to_minor,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.5", Decimal("1234.50")), ("1,234.56", Decimal("1234.56")), (" 0 ", Decimal("0.00")), ("7", Decimal("7.00"))],
)
def test_parse_amount(text: str, expected: Decimal) -> None:
    assert parse_amount(text, "CNY") == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "empty"), ("abc", "not a number"), ("NaN", "not a number"), ("-1.00", "negative"),
     ("1.234", "decimal places"), ("Infinity", "not a number")],
)
def test_parse_amount_refuses(text: str, fragment: str) -> None:
    with pytest.raises(MoneyError, match=fragment):
        parse_amount(text, "CNY")


def test_unknown_currency() -> None:
    with pytest.raises(MoneyError, match="unknown currency"):
        parse_amount("1", "XYZ")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_minor_units_round_trip(minor: int) -> None:
    assert to_minor(from_minor(minor, "CNY"), "CNY") == minor


def test_to_minor_refuses_fractions_of_a_fen() -> None:
    with pytest.raises(MoneyError):
        to_minor(Decimal("0.001"), "CNY")


def test_format_amount() -> None:
    assert format_amount(123456, "CNY") == "¥1,234.56"
    assert format_amount(-5, "USD") == "-$0.05"
    assert format_amount(100, "GBP", symbol=False) == "1.00"
