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
# A risk's likelihood and impact, lowest first: the risk matrix's rows and columns in that order.
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")
# How often results are reviewed: a closed list, so that the deliverable can say it in its own language.
CADENCES: tuple[str, ...] = ("weekly", "monthly", "quarterly")
LANGUAGES: tuple[str, ...] = ("fr", "en")
# How an objective is measured, and whose results count towards it.
MEASURES: tuple[str, ...] = ("total", "level", "rate")
SCOPES: tuple[str, ...] = ("attributed", "all")
# The customer journey, in the order a customer goes through it.
JOURNEY_STAGES: tuple[str, ...] = ("awareness", "consideration", "conversion", "loyalty")

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
    # The forecast's own ratios (docs/format.md, "Forecast before launch"), measured too once results come in.
    "average_order_value",
    "new_customer_share",
)
METRICS: tuple[str, ...] = RAW_COUNTS + COMPUTED_METRICS

# Rates are shares of a whole, so a target above 1 (100 %) is a typo.
# roi and roas are ratios that may well exceed 1.
RATES: frozenset[str] = frozenset({"ctr", "conversion_rate", "bounce_rate", "engagement_rate", "new_customer_share"})

# The rates a forecast is built from, in the order the funnel uses them: an
# assumption or a means' `funnel` sets one of these, never a count.
FUNNEL_RATES: tuple[str, ...] = (
    "cpm",
    "cpc",
    "ctr",
    "conversion_rate",
    "cpl",
    "new_customer_share",
    "average_order_value",
)
# How a means spreads its cost over the months it runs; a mapping of months is the fourth way.
PHASINGS: tuple[str, ...] = ("even", "front", "back")

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
    "average_order_value": "money",
    **dict.fromkeys(RATES, "percent"),
}


# Costs and bounces: the lower the better. Every other metric is better higher,
# except spend, which is neither (it is a means, not an end).
LOWER_IS_BETTER: frozenset[str] = frozenset({"bounces", "bounce_rate", "cac", "cpl", "cpc", "cpm"})
NO_DIRECTION: frozenset[str] = frozenset({"spend"})


def default_p(channel: str) -> str | None:
    return CHANNEL_DEFAULT_P.get(channel)


# Words people write for a channel or a metric (brands, French names, older
# terms), each with the ids it may stand for, the likelier first. They are
# only ever suggested, never read in place of an id. Keys are compared folded:
# case, accents, spaces, hyphens, underscores and apostrophes do not count.
_SOCIAL = ("social_ads", "social")
CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "instagram",
            "facebook",
            "meta",
            "tiktok",
            "linkedin",
            "pinterest",
            "snapchat",
            "twitter",
            "youtube",
            "reseaux sociaux",
            "social media",
            "social network",
            "social networks",
        ),
        _SOCIAL,
    ),
    **dict.fromkeys(
        ("google ads", "adwords", "google adwords", "google", "bing ads", "microsoft ads", "sem", "paid search"),
        ("sea",),
    ),
    **dict.fromkeys(("referencement payant", "liens sponsorises", "search ads"), ("sea",)),
    **dict.fromkeys(("referencement naturel", "referencement", "search engine optimisation"), ("seo",)),
    **dict.fromkeys(("mailing", "email", "mail", "courriel", "email marketing"), ("emailing",)),
    **dict.fromkeys(("lettre d'information", "infolettre"), ("newsletter",)),
    **dict.fromkeys(("publipostage", "courrier", "direct mail", "prospectus", "flyer", "flyers"), ("postal_mailing",)),
    **dict.fromkeys(("television", "tele"), ("tv",)),
    **dict.fromkeys(("presse ecrite", "magazine", "journal", "print"), ("press",)),
    **dict.fromkeys(("affichage", "banner", "banniere", "banners", "bannieres"), ("display",)),
    **dict.fromkeys(("telephone", "phoning", "telemarketing", "teleprospection"), ("phone",)),
    **dict.fromkeys(("reciblage",), ("retargeting",)),
    **dict.fromkeys(("contenu", "blog", "livre blanc", "white paper", "brand content"), ("content",)),
    **dict.fromkeys(("evenement", "salon", "trade show", "evenementiel"), ("event",)),
    **dict.fromkeys(("webinar", "webinaire", "live"), ("online_event",)),
    **dict.fromkeys(("relations presse", "press relations", "public relations", "rp"), ("pr",)),
    **dict.fromkeys(("influenceurs", "influencer", "influencers", "influenceur"), ("influence",)),
    **dict.fromkeys(("fidelite", "programme de fidelite", "loyalty", "carte de fidelite"), ("loyalty_program",)),
    **dict.fromkeys(("promo", "promotion", "soldes", "discount", "reduction"), ("price_promotion", "coupon")),
    **dict.fromkeys(("bon de reduction", "code promo", "voucher", "coupons"), ("coupon",)),
    **dict.fromkeys(("site", "site web", "site internet", "web"), ("website",)),
    **dict.fromkeys(("application", "mobile app", "appli"), ("app",)),
    **dict.fromkeys(("boutique", "magasin", "shop", "point de vente", "commerce"), ("store",)),
    **dict.fromkeys(("amazon", "etsy", "place de marche"), ("marketplace",)),
    **dict.fromkeys(("click and collect", "click & collect", "drive"), ("click_collect",)),
    **dict.fromkeys(("partenariat", "partenariats", "partner"), ("partnership",)),
    **dict.fromkeys(("emballage",), ("packaging",)),
    **dict.fromkeys(("offre groupee", "pack", "lot"), ("bundle",)),
}
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("taux de clic", "taux de clics", "click through rate", "clickthrough rate"), ("ctr",)),
    **dict.fromkeys(("taux de conversion", "taux de transformation"), ("conversion_rate",)),
    **dict.fromkeys(("taux de rebond",), ("bounce_rate",)),
    **dict.fromkeys(("taux d'engagement", "taux d'interaction"), ("engagement_rate",)),
    **dict.fromkeys(("chiffre d'affaires", "ca", "turnover", "sales revenue", "recettes"), ("revenue",)),
    **dict.fromkeys(("cout par clic", "cost per click"), ("cpc",)),
    **dict.fromkeys(("cout par lead", "cout par prospect", "cost per lead"), ("cpl",)),
    **dict.fromkeys(("cout pour mille", "cout par mille", "cost per mille"), ("cpm",)),
    **dict.fromkeys(
        ("cout d'acquisition", "cout d'acquisition client", "customer acquisition cost", "cout par client"), ("cac",)
    ),
    **dict.fromkeys(("retour sur investissement", "return on investment"), ("roi",)),
    **dict.fromkeys(
        ("panier moyen", "aov", "average basket", "basket size", "average order"), ("average_order_value",)
    ),
    **dict.fromkeys(("part de nouveaux clients", "share of new customers"), ("new_customer_share",)),
    **dict.fromkeys(("return on ad spend", "retour sur depenses publicitaires"), ("roas",)),
    **dict.fromkeys(
        ("nouveaux clients", "clients", "customers", "nouveaux client", "acquisitions"), ("new_customers",)
    ),
    **dict.fromkeys(("depenses", "cout", "couts", "budget", "cost"), ("spend",)),
    **dict.fromkeys(("portee", "audience"), ("reach",)),
    **dict.fromkeys(("vues", "views", "affichages"), ("impressions",)),
    **dict.fromkeys(("clics",), ("clicks",)),
    **dict.fromkeys(("visites", "visits", "trafic", "traffic"), ("sessions",)),
    **dict.fromkeys(("rebonds",), ("bounces",)),
    **dict.fromkeys(("interactions", "likes"), ("engagements",)),
    **dict.fromkeys(("prospects", "contacts", "lead"), ("leads",)),
    **dict.fromkeys(("ventes",), ("sales",)),
    **dict.fromkeys(("inscriptions", "inscrits", "abonnes", "subscribers"), ("signups",)),
}


def fold(word: str) -> str:
    """`word` compared loosely: lower case, no accents, no spaces, hyphens, underscores or apostrophes."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in plain if char.isalnum() or char in "&")


def meant_by(word: str, ids: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The ids `word` may stand for: an id written another way, or a known synonym; () when neither."""
    folded = fold(word)
    for known in ids:
        if fold(known) == folded:
            return (known,)
    for written, meant in synonyms.items():
        if fold(written) == folded:
            return meant
    return ()


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
