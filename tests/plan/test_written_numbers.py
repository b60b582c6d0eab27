"""Numbers written as in a document (`35 %`, `1 234,56 €`): never read, but answered with the plain number to write."""

from __future__ import annotations

import pytest

import mixplan
from mixplan.plan.numbers import percentage_as_fraction, plain_number_forms

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("1 234,56", ("1234.56", None)),
        ("1\u202f234,56 €", ("1234.56", None)),  # the narrow no-break space French typography puts there
        ("1 234 €", ("1234", None)),
        ("1.234,56", ("1234.56", None)),
        ("1,234.56", ("1234.56", None)),
        ("12 000,00 EUR", ("12000.00", None)),
        ("3 000 euros", ("3000", None)),
        ("1.234.567", ("1234567", None)),
        ("1234,5", ("1234.5", None)),
        ("-5 000", ("-5000", None)),
        ("1,234", ("1234", "1.234")),  # thousands or decimals: both are offered
        ("1.234 €", ("1234", "1.234")),
        ("lots", None),
        ("1,2,3", None),
        ("1.23.4", None),
        ("12e3", None),
        ("", None),
    ],
)
def test_plain_number_forms(written: str, forms: tuple[str, str | None] | None) -> None:
    assert plain_number_forms(written) == forms


@pytest.mark.parametrize(
    ("written", "fraction"),
    [("35 %", ("35", "0.35")), ("35%", ("35", "0.35")), ("3,5 %", ("3,5", "0.035")), ("100%", ("100", "1"))],
)
def test_percentage_as_fraction(written: str, fraction: tuple[str, str]) -> None:
    assert percentage_as_fraction(written) == fraction


@pytest.mark.parametrize("written", ["35", "x %", "35 % off", "%"])
def test_not_a_percentage(written: str) -> None:
    assert percentage_as_fraction(written) is None


def _message(old: str, new: str) -> str:
    assert old in MINIMAL
    (finding,) = mixplan.validate(text=MINIMAL.replace(old, new, 1)).findings
    assert (finding.rule, finding.severity) == ("MP102", "error")
    return finding.message


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "    target: 500\n",
            "    target: 35 %\n",
            "objectives[0].target: '35 %' is not a number: write 0.35 for 35 %",
        ),
        ("    target: 500\n", "    target: 35%\n", "'35%' is not a number: write 0.35 for 35 %"),
        ("    target: 500\n", "    target: 1 500\n", "'1 500' is not a number: write 1500: a plain number"),
        ("    cost: 500\n", "    cost: 1.234,56\n", "means[0].cost: '1.234,56' is not a number: write 1234.56:"),
        ("    cost: 500\n", "    cost: 1,234\n", "write 1234 (or 1.234, if the separator marks decimals)"),
    ],
)
def test_the_message_gives_the_plain_number(old: str, new: str, words: str) -> None:
    assert words in _message(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    cost: 500\n", "    cost: 35 %\n"),  # a percentage is no amount: no fraction suggested
        ("    target: 500\n", "    target: lots\n"),
    ],
)
def test_no_plain_number_is_made_up(old: str, new: str) -> None:
    message = _message(old, new)
    assert "write a plain number such as 1200 or 1200.50" in message and "0.35" not in message
