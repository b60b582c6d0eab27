"""Amounts in a French message read the French way: 1 950,25 EUR (narrow no-break space, decimal comma)."""

from __future__ import annotations

from decimal import Decimal

import mixplan

from ..conftest import ASSETS

N = "\u202f"
MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
OVER = MINIMAL.replace("cost: 500", "cost: 1500.25", 1)


def _budget_over(lang: str) -> str:
    report = mixplan.validate(text=OVER, name="plan.yaml", lang=lang)
    return next(f.message for f in report.findings if f.rule == "MP201")


def test_an_amount_in_a_french_finding_is_grouped_the_french_way() -> None:
    assert _budget_over("fr") == (
        f"les dépenses prévues, 1{N}950,25 EUR (actions 1{N}850,25 EUR + lignes 0 EUR + réserve 100 EUR), dépassent "
        f"le budget de 1{N}000 EUR de 950,25 EUR{N}: réduisez les coûts ou augmentez `budget.total`"
    )


def test_english_keeps_its_grouping() -> None:
    message = _budget_over("en")
    assert "1,950.25 EUR" in message and "1,850.25 EUR" in message and "1,000 EUR" in message


def test_a_rate_in_a_french_forecast_finding_has_a_decimal_comma() -> None:
    from mixplan.checks import rules
    from mixplan.language import speaking

    with speaking("fr"):
        assert rules._forecast_figure("ctr", Decimal("0.125"), "EUR") == "12,5 %"
        assert rules._forecast_figure("roas", Decimal("2.5"), "EUR") == "2,50x"
        assert rules._forecast_figure("spend", Decimal("12000"), "EUR") == f"12{N}000 EUR"
    assert rules._forecast_figure("ctr", Decimal("0.125"), "EUR") == "12.5 %"
