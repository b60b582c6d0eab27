"""The closed vocabularies of plan format 1: the four Ps, channels, metrics.

Kept as plain data so the validator, the renderer and the docs all read the
same lists; no pydantic or Jinja import here.
"""

from __future__ import annotations

FORMAT_VERSION = 1

PS: tuple[str, ...] = ("product", "price", "place", "promotion")

# Each channel's default P. `other` has none: such a means must say `p:`.
CHANNEL_DEFAULT_P: dict[str, str | None] = {
    # promotion (communication)
    "tv": "promotion",
    "radio": "promotion",
    "press": "promotion",
    "phone": "promotion",
    "display": "promotion",
    "social": "promotion",
    "social_ads": "promotion",
    "smo": "promotion",
    "seo": "promotion",
    "sea": "promotion",
    "emailing": "promotion",
    "newsletter": "promotion",
    "sms": "promotion",
    "postal_mailing": "promotion",
    "retargeting": "promotion",
    "content": "promotion",
    "event": "promotion",
    "online_event": "promotion",
    "pr": "promotion",
    "influence": "promotion",
    "loyalty_program": "promotion",
    # price
    "price_promotion": "price",
    "coupon": "price",
    "bundle": "price",
    "pricing_change": "price",
    # place (distribution)
    "website": "place",
    "app": "place",
    "marketplace": "place",
    "store": "place",
    "click_collect": "place",
    "partnership": "place",
    "merchandising": "place",
    # product
    "product_feature": "product",
    "packaging": "product",
    "range_extension": "product",
    "service": "product",
    "other": None,
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_DEFAULT_P)

APPROACHES: tuple[str, ...] = ("operational", "direct", "relational")
PRIORITIES: tuple[str, ...] = ("primary", "secondary")
PRICE_TIERS: tuple[str, ...] = ("low", "mid", "premium")
LIFECYCLE_STAGES: tuple[str, ...] = ("launch", "growth", "maturity", "decline")
LANGUAGES: tuple[str, ...] = ("fr", "en")
# How an objective is measured, and whose results count towards it.
MEASURES: tuple[str, ...] = ("total", "level", "rate")
SCOPES: tuple[str, ...] = ("attributed", "all")

MONEY_COUNTS: tuple[str, ...] = ("spend", "revenue")
PLAIN_COUNTS: tuple[str, ...] = (
    "impressions",
    "reach",
    "clicks",
    "sessions",
    "bounces",
    "engagements",
    "leads",
    "conversions",
    "new_customers",
    "sales",
    "signups",
)
RAW_COUNTS: tuple[str, ...] = MONEY_COUNTS + PLAIN_COUNTS

COMPUTED_METRICS: tuple[str, ...] = (
    "roi",
    "roas",
    "cac",
    "cpl",
    "cpc",
    "cpm",
    "ctr",
    "conversion_rate",
    "bounce_rate",
    "engagement_rate",
)
METRICS: tuple[str, ...] = RAW_COUNTS + COMPUTED_METRICS

# Rates are shares of a whole, so a target above 1 (100 %) is a typo.
# roi and roas are ratios that may well exceed 1.
RATES: frozenset[str] = frozenset({"ctr", "conversion_rate", "bounce_rate", "engagement_rate"})

# How a metric's value reads: money in the plan's currency, a percentage,
# a multiple ("3.2×") or a plain count.
METRIC_UNIT: dict[str, str] = {
    "spend": "money",
    "revenue": "money",
    **dict.fromkeys(PLAIN_COUNTS, "count"),
    "roi": "percent",
    "roas": "multiple",
    "cac": "money",
    "cpl": "money",
    "cpc": "money",
    "cpm": "money",
    **dict.fromkeys(RATES, "percent"),
}


# Costs and bounces: the lower the better. Every other metric is better higher,
# except spend, which is neither (it is a means, not an end).
LOWER_IS_BETTER: frozenset[str] = frozenset({"bounces", "bounce_rate", "cac", "cpl", "cpc", "cpm"})
NO_DIRECTION: frozenset[str] = frozenset({"spend"})


def default_p(channel: str) -> str | None:
    return CHANNEL_DEFAULT_P.get(channel)
