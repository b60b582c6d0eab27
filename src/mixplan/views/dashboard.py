"""The deliverable's dashboard: what its templates read (the spend chart is drawn by outputs/charts).

Used by the renderer only (Babel is already loaded there).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..plan.model import Plan
from . import metrics
from .forecast import Forecast
from .progress import progress

STATUS_SYMBOL = {
    "ahead": "▲",
    "on_track": "●",
    "behind": "▼",
    "better": "▲",
    "on_target": "●",
    "worse": "▼",
    "no_data": "○",
}


def _n(value: Decimal) -> str:
    """An SVG coordinate: one decimal place, no float arithmetic."""
    return format(value.quantize(Decimal("0.1")), "f")


def percent_width(share: Decimal | None) -> str:
    """A bar's CSS width for a share, capped to 0-100 %."""
    if share is None:
        return "0%"
    return f"{_n(max(Decimal(0), min(share, Decimal(1))) * 100)}%"


def shown_value(fmt: Any, metric: str, value: Decimal | None) -> str:
    """A metric's value as the dashboard prints it: counts expected pro rata are whole numbers."""
    if value is not None and metrics.info(metric).unit == "count":
        value = value.quantize(Decimal(1))
    return fmt.metric(metric, value)


def dashboard_view(plan: Plan, fmt: Any, labels: dict[str, Any], outlook: Forecast | None = None) -> dict[str, Any]:
    """What the dashboard templates read, added to the renderer's view (`outlook`: the plan's forecast, if worked out)."""
    from babel.dates import format_date

    from .figures_text import account

    state = progress(plan, outlook)
    names = {item.id: item.name for item in plan.means}
    accounts = (
        {
            item.objective.id: account(
                item,
                labels["dashboard"],
                lambda metric, value: shown_value(fmt, metric, value),
                fmt.money,
                fmt.number,
                fmt.date,
                lambda means: names.get(means, means),
                labels["colon"],
            )
            for item in state.objectives
        }
        if state.has_results
        else {}
    )
    return {
        "objective_account": accounts,
        "month_label": lambda month: format_date(month, "LLLL yyyy", locale=labels["locale"]),
        "progress": state,
        "status_symbol": STATUS_SYMBOL,
        "percent_width": percent_width,
        "shown": lambda metric, value: shown_value(fmt, metric, value),
    }
