"""Markdown heading anchors as GitHub makes them."""

from __future__ import annotations

import pytest

from mixplan.present.markdown import HeadingSlugs, heading_anchor


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        # Anchors GitHub gives these headings (lower case, punctuation dropped, each space a hyphen).
        ("Plan d'action", "plan-daction"),
        ("Plan d\u2019action", "plan-daction"),
        ("Marketing mix (4P)", "marketing-mix-4p"),
        ("Indicateurs clés", "indicateurs-clés"),
        ("Tableau de bord\u202f: prévu et réalisé", "tableau-de-bord-prévu-et-réalisé"),
        ("Tableau de bord : prévu et réalisé", "tableau-de-bord--prévu-et-réalisé"),
        ("Sales & Marketing", "sales--marketing"),
        ("Q&A", "qa"),
        ("2027 \u2013 2028", "2027--2028"),
        ("Hello, World!", "hello-world"),
        ("What's new?", "whats-new"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("C++ & C#", "c--c"),
        ("Über uns", "über-uns"),
        ("Cafe\u0301 noir", "cafe\u0301-noir"),  # a combining accent is kept, as GitHub keeps marks
        ("«\u202fCitation\u202f»", "citation"),
        ("« Citation »", "-citation-"),
        ("1. Introduction", "1-introduction"),
        ("Prix : 39,00 €", "prix--3900-"),
        ("  Budget  ", "budget"),
        ("Ⅻ and ²", "ⅻ-and-"),
    ],
)
def test_heading_anchors_follow_github(heading: str, anchor: str) -> None:
    assert heading_anchor(heading) == anchor


def test_repeated_headings_get_numbered_as_on_github() -> None:
    slugs = HeadingSlugs()
    assert [slugs.slug(h) for h in ("Budget", "Budget", "Budget", "Budget-1", "Objectifs")] == [
        "budget",
        "budget-1",
        "budget-2",
        "budget-1-1",
        "objectifs",
    ]


def test_an_anchor_after_a_title_of_the_same_words() -> None:
    assert heading_anchor("Budget", "Budget") == "budget-1"
    assert heading_anchor("Budget", "Plan 2027") == "budget"
