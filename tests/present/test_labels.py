"""The label catalogues: every word translated, and each language's typography."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mixplan.present.labels import labels

NNBSP = "\u202f"

# Words French marketers write as English does; any other French label equal
# to its English one is an untranslated label.
SAME_IN_FRENCH = frozenset(
    {
        "Action",
        "Actions",
        "Budget",
        "Conversion",
        "Conversions",
        "Date",
        "Dates",
        "Description",
        "E-mailing",
        "Impact",
        "Impressions",
        "Message",
        "multiple",
        "Newsletter",
        "Objections",
        "P",
        "Packaging",
        "Personas",
        "Radio",
        "Segment",
        "Service",
        "SMS",
        "Source",
        "Total",
        "Version",
        "{numerator} ÷ {denominator}",
        "{start} – {end}",
    }
)


def _leaves(catalogue: Any, path: str = "") -> Iterator[tuple[str, str]]:
    for key, value in catalogue.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{path}{key}.")
        elif isinstance(value, str):
            yield f"{path}{key}", value


def test_every_french_label_is_translated() -> None:
    english = dict(_leaves(labels("en")))
    untranslated = {
        key: text
        for key, text in _leaves(labels("fr"))
        if key not in ("locale", "colon") and text == english.get(key) and text not in SAME_IN_FRENCH
    }
    assert untranslated == {}


def test_channels_french_marketers_name_in_french() -> None:
    channels = labels("fr")["channels"]
    assert channels["click_collect"] == "Retrait en magasin"
    assert channels["content"] == "Contenu de marque"


def test_the_footer_says_made_with_not_actual() -> None:
    french = labels("fr")
    assert french["document"]["generated_by"] == "Généré avec mixplan"
    assert "Réalisé" not in french["document"]["generated_by"]


def test_french_labels_follow_french_typography() -> None:
    for key, text in _leaves(labels("fr")):
        # A typographic apostrophe, never a straight one.
        assert "'" not in text, key
        # A thin no-break space before : ; ! ? and inside « », never a plain or missing one.
        assert not re.search(r"(?:^|[^\u202f]) ?[:;!?](?:\s|$)", text.replace("{", "").replace("}", "")), key
        assert not re.search(r"«(?!\u202f)|(?<!\u202f)»", text), key
        # A number and its unit are never parted at a line's end.
        assert not re.search(r"\d [%€]", text), key
    assert labels("fr")["colon"] == NNBSP + ":"


def test_english_labels_use_typographic_apostrophes() -> None:
    for key, text in _leaves(labels("en")):
        assert "'" not in text, key
