"""Decimal money: parsing and rounding to a currency's minor unit.

Money is never a float. Every amount the engine produces is rounded half-up
to the minor unit of its currency (ISO 4217 exponent), e.g. JPY has none.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 currencies whose minor unit is not 2 digits; everything else has 2.
_MINOR_UNIT_EXCEPTIONS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
    "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
    "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


class MoneyFormatError(ValueError):
    """An amount that is not a finite decimal number."""


def minor_unit_digits(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (ISO 4217 exponent)."""
    return _MINOR_UNIT_EXCEPTIONS.get(currency.upper(), 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (``1.005 EUR -> 1.01``)."""
    exponent = Decimal(1).scaleb(-minor_unit_digits(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def parse_amount(value: object, *, field: str = "amount") -> Decimal:
    """Read a decimal string or number into a Decimal without float error.

    Numbers are accepted because the import format allows them; they go
    through ``str`` so ``9.9`` stays ``9.9`` and not ``9.9000000000000003``.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyFormatError(f"{field}: expected a decimal amount, got {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyFormatError(f"{field}: expected a decimal amount, got {value!r}") from None
    if not amount.is_finite():
        raise MoneyFormatError(f"{field}: expected a finite amount, got {value!r}")
    return amount


def format_plain(amount: Decimal, currency: str) -> str:
    """Machine format of an amount: rounded, fixed digits, no symbol (``"35.40"``)."""
    return str(round_money(amount, currency))
