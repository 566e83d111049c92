"""Exact money: Decimal in the domain, integer minor units on the wire; never a float."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: Digits after the decimal point for the currencies FieldApp's markets use.
CURRENCY_EXPONENT: dict[str, int] = {"CNY": 2, "USD": 2, "INR": 2, "GBP": 2, "EUR": 2, "HKD": 2}

CURRENCY_SYMBOL: dict[str, str] = {"CNY": "¥", "USD": "$", "INR": "₹", "GBP": "£", "EUR": "€", "HKD": "HK$"}


class MoneyError(ValueError):
    """An amount that cannot be taken as money; the message is for a person."""


def exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENT[currency.upper()]
    except KeyError:
        raise MoneyError(f"unknown currency {currency!r}") from None


#: Currency words and signs a collector may type around an amount ("3,000元", "¥3000", "RMB 3000").
_CURRENCY_MARKS = re.compile(r"(?i)^(?:rmb|cny|usd|gbp|inr|rs\.?|[¥$£₹])\s*|\s*(?:元(?:整)?|块(?:钱)?|rmb|cny|usd|gbp|inr)$")


def clean_amount_text(text: str) -> str:
    """What a collector typed, as plain digits: full-width forms folded (NFKC), thousands separators
    and one currency sign or word around the number dropped. ``"￥3，000元"`` → ``"3000"``."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    folded = _CURRENCY_MARKS.sub("", folded)
    folded = _CURRENCY_MARKS.sub("", folded.strip())  # a sign before and a word after: "¥3000元"
    return re.sub(r"[\s,_']", "", folded)


def parse_amount(text: str, currency: str, *, allow_negative: bool = False) -> Decimal:
    """Parse a decimal string such as ``"1234.50"`` (thousands commas allowed) exactly.

    Raises MoneyError for non-numeric text, NaN/infinity, a negative amount (unless allowed)
    or more decimal places than the currency has.
    """
    if isinstance(text, float):  # pragma: no cover - a programming error, not user input
        raise TypeError("amounts are never floats")
    cleaned = clean_amount_text(text)
    if not cleaned:
        raise MoneyError("amount is empty")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise MoneyError(f"{text!r} is not a number")
    if value < 0 and not allow_negative:
        raise MoneyError(f"amount {text} is negative")
    places = exponent(currency)
    if value.as_tuple().exponent < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise MoneyError(f"amount {text} has more than {places} decimal places for {currency}")
    return value.quantize(Decimal(1).scaleb(-places))


def to_minor(amount: Decimal, currency: str) -> int:
    """Decimal amount → integer minor units (fen, cents, paise, pence)."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} cannot be expressed in minor units of {currency}")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units → Decimal amount with the currency's places."""
    places = exponent(currency)
    return (Decimal(int(minor)).scaleb(-places)).quantize(Decimal(1).scaleb(-places))


def format_amount(minor: int, currency: str, *, symbol: bool = True) -> str:
    """``123456, "CNY"`` → ``"¥1,234.56"``; for display only."""
    value = from_minor(minor, currency)
    text = f"{value:,.{exponent(currency)}f}"
    if symbol:
        sign = "-" if text.startswith("-") else ""
        return f"{sign}{CURRENCY_SYMBOL.get(currency.upper(), currency + ' ')}{text.lstrip('-')}"
    return text
