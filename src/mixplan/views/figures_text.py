"""An objective's figures in words: where each comes from and which actions are behind it.

Shared by the deliverable's dashboard, `mixplan status` and the XLSX export,
so that every view says the same thing of the same figure. The caller passes
its own number formatting (Babel in the deliverable, plain text in the
terminal) and the `dashboard` labels of its language; nothing heavy is
imported here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .progress import ObjectiveProgress

# The counts a computed metric's numerator and denominator are made of, for "£1,690 ÷ 6".
_MONEY_NUMERATOR = frozenset({"roi", "roas", "cac", "cpl", "cpc", "cpm"})
_MONEY_DENOMINATOR = frozenset({"roi", "roas"})


@dataclass(frozen=True)
class ObjectiveAccount:
    window: str  # "total from 1 Nov 2027 to 31 Dec 2027"
    counted: str  # where the actual comes from, in a few words
    lines: list[str]  # each figure with its source; the attributed one lists its actions


def account(
    item: ObjectiveProgress,
    text: Mapping[str, Any],
    value: Callable[[str, Decimal | None], str],
    money: Callable[[Decimal], str],
    number: Callable[[Decimal], str],
    date: Callable[[_dt.date], str],
    means_name: Callable[[str], str],
    colon: str = ":",
) -> ObjectiveAccount:
    """Say how `item` is counted, with the labels `text` (a catalogue's `dashboard` part) and its `colon`."""
    figures, metric = item.figures, item.objective.metric
    window = text[f"measure_{figures.measure}"].format(start=date(item.window.start), end=date(item.window.end))

    def shown(figure: Decimal | None) -> str:
        return value(metric, figure)

    def made_of(found: tuple[Decimal | None, Decimal | None], figure: Decimal | None) -> str:
        if figure is None:
            return ""
        if figures.measure == "level":
            base = item.objective.baseline or Decimal(0)
            return " (" + text["level_parts"].format(baseline=shown(base), added=shown(figure - base)) + ")"
        if figures.measure == "rate" and found[1] is not None:
            top = money(found[0]) if metric in _MONEY_NUMERATOR else number(found[0])  # type: ignore[arg-type]  # a rate's parts come as a pair
            bottom = money(found[1]) if metric in _MONEY_DENOMINATOR else number(found[1])
            return " (" + text["rate_parts"].format(numerator=top, denominator=bottom) + ")"
        return ""

    # The space a language puts before a colon goes before a semicolon too (French: a thin no-break space).
    separator = colon[:-1] + "; "

    def listed() -> str:
        return separator.join(f"{means_name(c.means)} {shown(c.value)}" for c in figures.contributions)

    serving = len(figures.contributions)
    if serving == 0:
        attributed_words = text["source_attributed_none"]
    elif serving == 1:
        attributed_words = text["source_attributed_one"]
    else:
        attributed_words = text["source_attributed"].format(n=serving)

    lines = []
    if figures.measured is not None:
        lines.append(f"{shown(figures.measured)} {text['source_measured']}")
    if figures.source != "all":
        if figures.attributed is None:
            lines.append(f"{shown(None)} {attributed_words}")
        else:
            lines.append(
                f"{shown(figures.attributed)}{made_of(figures.attributed_parts, figures.attributed)} "
                f"{attributed_words}{colon} {listed()}"
            )
        lines.append(
            f"{shown(figures.all_actions)}{made_of(figures.all_parts, figures.all_actions)} {text['source_all']}"
        )
    else:
        tail = f"{colon} {listed()}" if figures.contributions else ""
        lines.append(
            f"{shown(figures.all_actions)}{made_of(figures.all_parts, figures.all_actions)} {text['source_all']}{tail}"
        )
    counted = {"measured": text["source_measured"], "attributed": attributed_words, "all": text["source_all"]}
    return ObjectiveAccount(window, counted[figures.source], lines)
