"""The English and French catalogues stay in step, and the language is chosen as documented."""

from __future__ import annotations

import re
import string
import threading

import pytest

from mixplan import language
from mixplan.catalogues import catalogue


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    english, french = catalogue("en"), catalogue("fr")
    assert set(english) == set(french)
    for key, template in english.items():
        assert _fields(template) == _fields(french[key]), key


def _words(template: str) -> str:
    """The template's own text, its placeholders left out."""
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))


def test_french_messages_are_not_english() -> None:
    english, french = catalogue("en"), catalogue("fr")
    same = [key for key in english if english[key] == french[key] and any(c.isalpha() for c in _words(english[key]))]
    assert same == []


@pytest.mark.parametrize(
    ("asked", "plan_language", "environ", "expected"),
    [
        ("fr", "en", {"LANG": "en_GB.UTF-8"}, "fr"),  # --lang wins
        (None, "fr", {"LANG": "en_GB.UTF-8"}, "fr"),  # then the plan's language
        (None, None, {"LANG": "fr_FR.UTF-8"}, "fr"),  # then the locale
        (None, None, {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),  # LC_ALL first, as POSIX reads it
        (None, None, {"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_US"}, "fr"),
        (None, "de", {}, "en"),  # a language mixplan does not speak: the locale, else English
        ("FR", None, {}, "fr"),
    ],
)
def test_the_language_is_chosen_in_order(asked, plan_language, environ, expected) -> None:
    assert language.choose(asked, plan_language, environ) == expected


def test_say_speaks_the_current_language_and_restores_it() -> None:
    assert language.current() == "en"
    with language.speaking("fr"):
        assert language.say("cli.unknown_language", language="de", choices="en, fr").startswith("langue inconnue")
    assert language.say("cli.unknown_language", language="de", choices="en, fr").startswith("unknown language")


def test_another_thread_keeps_its_own_language() -> None:
    seen: list[str] = []
    with language.speaking("fr"):
        worker = threading.Thread(target=lambda: seen.append(language.current()))
        worker.start()
        worker.join()
        assert language.current() == "fr"
    assert seen == ["en"]


@pytest.mark.parametrize("language_name", ["en", "fr"])
def test_every_template_formats_with_its_own_placeholders(language_name: str) -> None:
    for key, template in catalogue(language_name).items():
        assert all(name.isidentifier() for name in _fields(template)), key  # a stray brace is a placeholder
        template.format(**dict.fromkeys(_fields(template), "x"))


def _prose(template: str) -> str:
    """The French a reader reads: placeholders and `code` left out, since those are written as the plan needs."""
    return re.sub(r"`[^`]*`", "", _words(template))


def test_french_typography() -> None:
    for key, template in catalogue("fr").items():
        prose = _prose(template)
        assert "'" not in prose, key  # ’, the typographic apostrophe
        assert not re.search(r"[^\u202f][:;!?]|[^\u202f]»|«[^\u202f]", prose), key


def test_french_rules_are_declared_rules_in_french_typography() -> None:
    from mixplan.catalogues.fr_rules import RULES
    from mixplan.rule_ids import DECLARED

    assert set(RULES) <= set(DECLARED)
    for rule_id, texts in RULES.items():
        for text in texts:
            prose = re.sub(r"`[^`]*`", "", text)
            assert "'" not in prose, rule_id
            assert not re.search(r"[^\u202f][:;!?]|[^\u202f]»|«[^\u202f]", prose), rule_id


def test_a_rule_not_yet_in_french_is_listed_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule added in English on another branch still shows, until its French is written."""
    from mixplan.catalogues import fr_rules
    from mixplan.outputs.findings import rules_rows
    from mixplan.rule_ids import BUDGET_OVER, DECLARED

    monkeypatch.setattr(fr_rules, "RULES", {k: v for k, v in fr_rules.RULES.items() if k != BUDGET_OVER})
    row = next(row for row in rules_rows("fr") if row["id"] == BUDGET_OVER)
    assert (row["summary"], row["fix"]) == (DECLARED[BUDGET_OVER].summary, DECLARED[BUDGET_OVER].fix)


def test_the_rules_list_keeps_its_ids_names_and_keys_in_french() -> None:
    import json

    from mixplan.outputs.findings import rules_text

    english, french = json.loads(rules_text("json", "en")), json.loads(rules_text("json", "fr"))
    keep = ("id", "name", "severity", "ignorable")
    assert [[row[k] for k in keep] for row in english] == [[row[k] for k in keep] for row in french]
    assert [sorted(row) for row in english] == [sorted(row) for row in french]
    assert french[0]["summary"].startswith("Le fichier ne peut pas être lu")


def test_both_languages_name_the_same_places_with_the_same_placeholders() -> None:
    from mixplan.catalogues import feminine_items, places

    english, french = places("en"), places("fr")
    assert set(english) == set(french)
    for key, words in english.items():
        assert _fields(words) == _fields(french[key]), key
    assert feminine_items("fr") <= set(french)
    for key, words in french.items():
        prose = _prose(words)
        assert "'" not in prose, key
        assert not re.search(r"[^\u202f]»|«[^\u202f]", prose), key
