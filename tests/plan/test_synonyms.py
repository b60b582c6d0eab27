"""Words people write for a channel or a metric, suggested as the id they most likely mean."""

from __future__ import annotations

import pytest

import mixplan
from mixplan.plan import vocab

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


def test_every_synonym_names_real_ids_and_is_no_id_itself() -> None:
    for synonyms, ids in ((vocab.CHANNEL_SYNONYMS, vocab.CHANNELS), (vocab.METRIC_SYNONYMS, vocab.METRICS)):
        folded_ids = {vocab.fold(known) for known in ids}
        for written, meant in synonyms.items():
            assert meant and set(meant) <= set(ids), written
            assert vocab.fold(written) not in folded_ids, f"{written} is an id written another way"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("instagram", ("social_ads", "social")),
        ("Facebook", ("social_ads", "social")),
        ("TikTok", ("social_ads", "social")),
        ("LinkedIn", ("social_ads", "social")),
        ("youtube", ("social_ads", "social")),
        ("Google Ads", ("sea",)),
        ("adwords", ("sea",)),
        ("mailing", ("emailing",)),
        ("Réseaux sociaux", ("social_ads", "social")),
        ("Social Ads", ("social_ads",)),  # an id written another way
        ("Click-Collect", ("click_collect",)),
        ("instagrammm", ()),
    ],
)
def test_channels(written: str, meant: tuple[str, ...]) -> None:
    assert vocab.meant_by(written, vocab.CHANNELS, vocab.CHANNEL_SYNONYMS) == meant


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("taux de clic", "ctr"),
        ("Taux_De_Clic", "ctr"),
        ("TAUX DE CLIC", "ctr"),
        ("taux de conversion", "conversion_rate"),
        ("chiffre d'affaires", "revenue"),
        ("Chiffre d’affaires", "revenue"),  # a typographic apostrophe
        ("coût par clic", "cpc"),
        ("Cout-par-clic", "cpc"),
        ("nouveaux clients", "new_customers"),
        ("New Customers", "new_customers"),
    ],
)
def test_metrics(written: str, meant: str) -> None:
    assert vocab.meant_by(written, vocab.METRICS, vocab.METRIC_SYNONYMS) == (meant,)


def test_no_made_up_metric() -> None:
    # No lifetime value in format 1: nothing is suggested rather than a wrong id.
    assert vocab.meant_by("valeur vie client", vocab.METRICS, vocab.METRIC_SYNONYMS) == ()
    (finding,) = mixplan.validate(text=MINIMAL.replace("metric: signups", "metric: valeur vie client")).findings
    assert finding.message == (
        "objectives[0].metric: 'valeur vie client' is not a metric name; run `mixplan metrics` to see them all"
    )


def test_average_order_value_is_a_metric_now() -> None:
    # The forecast brought the average basket into the vocabulary (issue 20).
    assert vocab.meant_by("panier moyen", vocab.METRICS, vocab.METRIC_SYNONYMS) == ("average_order_value",)
    assert vocab.meant_by("Part de nouveaux clients", vocab.METRICS, vocab.METRIC_SYNONYMS) == ("new_customer_share",)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        (
            "Google Ads",
            "'Google Ads' is not a channel name (did you mean 'sea'?); run `mixplan channels` to see them all",
        ),
        ("facebook", "(did you mean 'social_ads' (paid ads on social networks) or 'social' (your own posts, unpaid)?)"),
        ("seoo", "(did you mean 'seo'?)"),  # a typo still gets its nearest id
    ],
)
def test_the_message_suggests_and_points_at_the_command(written: str, words: str) -> None:
    (finding,) = mixplan.validate(text=MINIMAL.replace("channel: sea", f"channel: {written}")).findings
    assert (finding.rule, finding.line, finding.column) == ("MP102", 28, 14)
    assert words in finding.message and "docs/format.md" not in finding.message
