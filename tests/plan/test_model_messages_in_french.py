"""The models' own refusals (plan/fields.py, plan/model.py, plan/numbers.py) speak the plan's language.

pydantic's words never reach a user: each of these validators names its message in the catalogues, so a
French plan gets French, word for word, at the same place and with the same rule id as the English one.
"""

from __future__ import annotations

import pytest

import mixplan

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
N = "\u202f"

FORECAST = MINIMAL.replace("    cost: 500\n", "    cost: 500\n    phasing: front\n", 1).replace(
    "means:\n", "assumptions:\n  - {id: conv, metric: conversion_rate, value: 0.02, low: 0.01, high: 0.03}\nmeans:\n", 1
)


def _plan(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    "over-the-ceiling": (
        _plan("total: 1000", "total: 1e13"),
        "budget.total: must be at most 1,000,000,000,000, got '1e13'",
        f"budget.total{N}: doit valoir au plus 1{N}000{N}000{N}000{N}000, et non «{N}1e13{N}»",
    ),
    "too-late": (
        _plan("deadline: 2027-06-30", "deadline: 9999-12-31"),
        "objectives[0].deadline: 9999-12-31 is too far in the future: a plan's dates lie between 1900-01-01 and "
        "2199-12-31",
        f"objectives[0].deadline{N}: 9999-12-31 est trop loin dans l’avenir{N}: les dates d’un plan vont du "
        "1900-01-01 au 2199-12-31",
    ),
    "too-early": (
        _plan("deadline: 2027-06-30", "deadline: 0001-01-01"),
        "objectives[0].deadline: 0001-01-01 is too far in the past: a plan's dates lie between 1900-01-01 and "
        "2199-12-31",
        f"objectives[0].deadline{N}: 0001-01-01 est trop loin dans le passé{N}: les dates d’un plan vont du "
        "1900-01-01 au 2199-12-31",
    ),
    "bad-month": (
        _plan("schedule:\n", "results:\n  - {means: ads, month: 2027-13, spend: 10}\nschedule:\n"),
        "results[0].month: expected a month written YYYY-MM (like 2027-02), got 2027-13",
        f"results[0].month{N}: un mois s’écrit AAAA-MM (par exemple 2027-02), et non 2027-13",
    ),
    "format-version": (
        _plan("mixplan: 1", "mixplan: 2"),
        "mixplan: this file declares format 2, but this mixplan reads format 1",
        f"mixplan{N}: ce fichier est écrit au format 2, mais cette version de mixplan lit le format 1",
    ),
    "period-too-long": (
        _plan("end: 2027-06-30}", "end: 2199-12-31}"),
        "plan.period: the period from 2027-01-01 to 2199-12-31 is longer than 5 years: a plan covers at most 5 "
        "years; split it into several plans",
        f"plan.period{N}: la période du 2027-01-01 au 2199-12-31 dure plus de 5 ans, alors qu’un plan couvre 5 ans "
        f"au plus{N}: découpez-la en plusieurs plans",
    ),
    "too-many-decimals": (
        _plan("cost: 500", "cost: 0.0000001"),
        "means[0].cost: '0.0000001' has too many digits after the decimal point: round it to at most 6 (such as "
        "0.012 or 1200.50)",
        f"means[0].cost{N}: «{N}0.0000001{N}» a trop de chiffres après la virgule{N}: arrondissez-le à 6 décimales "
        "au plus (par exemple 0.012 ou 1200.50)",
    ),
    "far-too-large": (
        _plan("cost: 500", "cost: 1.0e+400"),
        "'1.0e+400' is far too large a number for a plan (amounts go up to 1,000,000,000,000): check for a typo; "
        "if it is text, put it in quotes",
        f"«{N}1.0e+400{N}» est bien trop grand pour un nombre de plan (les montants vont jusqu’à "
        f"1{N}000{N}000{N}000{N}000){N}: vérifiez qu’il n’y a pas de faute de frappe{N}; si c’est un texte, "
        "mettez-le entre guillemets",
    ),
    "too-many-digits": (
        _plan("cost: 500", "cost: 1.00000000000000000000000000000001"),
        "'1.00000000000000000000000000000001' has more than 30 digits: no plan needs that many; if it is text, "
        "put it in quotes",
        f"«{N}1.00000000000000000000000000000001{N}» a plus de 30 chiffres{N}: aucun plan n’en demande autant{N}; "
        "si c’est un texte, mettez-le entre guillemets",
    ),
    "far-too-long": (
        _plan("cost: 500", "cost: " + "1" * 10 + "." + "0" * 80),
        "'1111111111.00000000000000000000000000...' is far too long a number for a plan; if it is text, put it "
        "in quotes",
        f"«{N}1111111111.00000000000000000000000000...{N}» est bien trop long pour un nombre de plan{N}; si c’est "
        "un texte, mettez-le entre guillemets",
    ),
    "phasing-word": (
        _plan("phasing: front", "phasing: middle", FORECAST),
        "means[0].phasing: phasing is even, front, back, or the amount of each month such as "
        "{2027-02: 1200, 2027-03: 800}; got middle",
        f"means[0].phasing{N}: la répartition s’écrit even, front, back, ou le montant de chaque mois, par exemple "
        f"{{2027-02: 1200, 2027-03: 800}}{N}; et non middle",
    ),
    "phasing-list": (
        _plan("phasing: front", "phasing: [1, 2]", FORECAST),
        "means[0].phasing: phasing is even, front, back, or the amount of each month such as "
        "{2027-02: 1200, 2027-03: 800}",
        f"means[0].phasing{N}: la répartition s’écrit even, front, back, ou le montant de chaque mois, par exemple "
        "{2027-02: 1200, 2027-03: 800}",
    ),
    "phasing-amount": (
        _plan("phasing: front", "phasing: {2027-02: lots}", FORECAST),
        "means[0].phasing: the amount for 2027-02 must be a plain number from 0 up, got lots",
        f"means[0].phasing{N}: le montant de 2027-02 doit être un nombre tout simple, 0 ou plus, et non lots",
    ),
    "phasing-amount-type": (
        _plan("phasing: front", "phasing: {2027-02: [1]}", FORECAST),
        "means[0].phasing: the amount for 2027-02 must be a plain number, got [1]",
        f"means[0].phasing{N}: le montant de 2027-02 doit être un nombre tout simple, et non [1]",
    ),
    "assumption-range": (
        _plan("low: 0.01", "low: 0.05", FORECAST),
        "assumptions[0]: assumption 'conv' gives low 0.05, value 0.02, high 0.03: low must be at most the value "
        "and high at least the value",
        f"assumptions[0]{N}: l’hypothèse «{N}conv{N}» donne low 0.05, value 0.02, high 0.03{N}: low doit être au "
        "plus égal à value, et high au moins égal à value",
    ),
}


def _messages(text: str, lang: str) -> list[str]:
    return [finding.message for finding in mixplan.validate(text=text, name="plan.yaml", lang=lang).findings]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_models_refusal_in_english_and_in_french(case: str) -> None:
    text, english, french = CASES[case]
    assert _messages(text, "en") == [english]
    assert _messages(text, "fr") == [french]
