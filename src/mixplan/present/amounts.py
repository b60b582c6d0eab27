"""Amounts as plain text, without Babel: messages, terminal tables, diffs and machine-readable exports.

The deliverable formats money per locale (present.formatting); everything
else that shows an amount uses these, so validate, status, diff and the
exports never load Babel and always agree on how an amount reads.
"""

from __future__ import annotations

from decimal import Decimal


def amount_text(value: Decimal, currency: str) -> str:
    """An amount with its cents, for tables that line amounts up: 12,000.00 EUR."""
    return f"{value:,.2f} {currency}"


def plain_amount(value: Decimal, currency: str) -> str:
    """An amount for sentences, whole amounts without cents: 12,000 EUR or 12,000.50 EUR."""
    return amount_text(value, currency).replace(".00 ", " ")


def signed_amount(value: Decimal, currency: str) -> str:
    """A change of amount, always signed: +500 EUR, -1,200.50 EUR."""
    return ("+" if value >= 0 else "-") + plain_amount(abs(value), currency)


def plain_decimal(amount: Decimal) -> str:
    """An amount any spreadsheet or script reads back: no grouping, no exponent, point as separator."""
    return format(amount, "f")
