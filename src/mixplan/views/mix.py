"""Stage 4, mix: the plan seen through the 4P marketing mix.

Pure functions over a `Plan`: each means goes to its P (its own `p:` or its
channel's default), and costs are summed by P and by channel. Shares are of
`budget.total`, and undefined (None) when the total is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..plan import vocab
from ..plan.model import Means, Plan


@dataclass(frozen=True)
class Slice:
    """The means of one P or one channel, what they cost and their share of the budget."""

    key: str
    means: tuple[Means, ...]
    cost: Decimal
    share: Decimal | None
    p: str | None = None  # for channels: the P of their means when they all agree


@dataclass(frozen=True)
class MixView:
    by_p: tuple[Slice, ...]
    by_channel: tuple[Slice, ...]
    means_cost: Decimal
    lines_cost: Decimal
    reserve: Decimal
    total: Decimal

    @property
    def allocated(self) -> Decimal:
        return self.means_cost + self.lines_cost + self.reserve

    @property
    def remaining(self) -> Decimal:
        return self.total - self.allocated

    def share(self, amount: Decimal) -> Decimal | None:
        return _share(amount, self.total)

    def p(self, name: str) -> Slice:
        return next(s for s in self.by_p if s.key == name)


def _share(amount: Decimal, total: Decimal) -> Decimal | None:
    return amount / total if total else None


def mix_view(plan: Plan) -> MixView:
    total = plan.budget.total
    per_p: dict[str, list[Means]] = {p: [] for p in vocab.PS}
    per_channel: dict[str, list[Means]] = {}
    for item in plan.means:
        # A means with no P (channel `other` without `p:`) is an error for the
        # rules; the view still counts its cost, under "other", so totals add up.
        per_p.setdefault(item.mix_p or "other", []).append(item)
        per_channel.setdefault(item.channel, []).append(item)

    def slice_of(key: str, items: list[Means]) -> Slice:
        cost = sum((m.cost for m in items), Decimal(0))
        ps = {m.mix_p for m in items}
        return Slice(key, tuple(items), cost, _share(cost, total), ps.pop() if len(ps) == 1 else None)

    by_p = tuple(slice_of(p, items) for p, items in per_p.items())
    # Biggest spend first, then by name, so the order is stable.
    by_channel = tuple(sorted((slice_of(c, items) for c, items in per_channel.items()), key=lambda s: (-s.cost, s.key)))
    return MixView(
        by_p=by_p,
        by_channel=by_channel,
        means_cost=sum((m.cost for m in plan.means), Decimal(0)),
        lines_cost=sum((line.cost for line in plan.budget.lines), Decimal(0)),
        reserve=plan.budget.reserve,
        total=total,
    )
