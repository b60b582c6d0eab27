"""Stage 4, chapters: the plan's personas, customer journey and team, as the deliverable and the rules see them.

Pure functions over a `Plan`. The journey places each means on the stage it
says (`means[].stage`); `STAGE_OF_METRIC` says which stage an objective's
metric needs, so a rule can warn when the means serving it leave that stage
empty. The team is the RACI of the means: who does, signs off, is consulted,
is informed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..plan import vocab
from ..plan.model import Means, Plan, Target

# The stage of the journey whose result a metric counts. A metric missing here
# (spend; signups, which may be a newsletter, a trial or a loyalty card) needs
# no stage of its own. The format has no retention metric yet, so none needs
# loyalty; one that counts returning customers would go there.
STAGE_OF_METRIC: dict[str, str] = {
    **dict.fromkeys(("impressions", "reach", "cpm", "ctr"), "awareness"),
    **dict.fromkeys(
        ("clicks", "cpc", "sessions", "bounces", "bounce_rate", "engagements", "engagement_rate", "leads", "cpl"),
        "consideration",
    ),
    **dict.fromkeys(
        ("conversions", "conversion_rate", "new_customers", "cac", "sales", "revenue", "roas", "roi"), "conversion"
    ),
}

RACI_ROLES: tuple[str, ...] = ("responsible", "accountable", "consulted", "informed")


@dataclass(frozen=True)
class JourneyRow:
    """One stage of the journey and the means placed on it; `stage` None holds the means placed nowhere."""

    stage: str | None
    means: tuple[Means, ...]
    cost: Decimal


def uses_stages(plan: Plan) -> bool:
    return any(item.stage is not None for item in plan.means)


def journey(plan: Plan) -> list[JourneyRow]:
    """A row per stage in journey order, then the means without a stage, if any; [] when no means has a stage."""
    if not uses_stages(plan):
        return []
    placed: dict[str | None, list[Means]] = {}
    for item in plan.means:
        placed.setdefault(item.stage, []).append(item)
    rows = [
        JourneyRow(stage, tuple(placed.get(stage, ())), sum((m.cost for m in placed.get(stage, ())), Decimal(0)))
        for stage in vocab.JOURNEY_STAGES
    ]
    if None in placed:
        rows.append(JourneyRow(None, tuple(placed[None]), sum((m.cost for m in placed[None]), Decimal(0))))
    return rows


def personas(plan: Plan) -> list[Target]:
    """The targets that say something of the people behind them: needs, pains, channels or objections."""
    return [t for t in plan.targets if t.needs or t.pains or t.channels or t.objections]


def raci_roles(plan: Plan) -> tuple[str, ...]:
    """The RACI roles that at least one means names, in RACI order; () when the plan names none."""
    return tuple(role for role in RACI_ROLES if any(getattr(item, role) for item in plan.means))
