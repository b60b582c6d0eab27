"""The deliverables: golden files for the examples, escaping, labels and formats.

Regenerate the golden files after an intended change with
`pytest tests/outputs/test_render.py --update-goldens`, then review their diff.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import mixplan
from mixplan.assets import templates_dir
from mixplan.errors import MixplanError
from mixplan.present.formatting import Formatter
from mixplan.present.labels import labels
from mixplan.present.markdown import md_escape

from ..conftest import EXAMPLES, GOLDEN

# Inside both examples' periods, so the goldens show the timeline's "today" line.
GOLDEN_TODAY = dt.date(2027, 5, 10)
# Each example in its own language, and each in the other one (`--lang`).
GOLDEN_CASES = [(example, None) for example in EXAMPLES] + [
    (example, "fr" if example.stem.startswith("en-") else "en") for example in EXAMPLES
]


def _golden_name(example: Path, language: str | None, fmt: str) -> str:
    return f"{example.stem}.{language}.{fmt}" if language else f"{example.stem}.{fmt}"


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("example", "language"), GOLDEN_CASES, ids=lambda v: getattr(v, "stem", v or "own"))
def test_golden_output(example: Path, language: str | None, fmt: str, update_goldens: bool) -> None:
    rendered = mixplan.render(mixplan.load_plan(example), format=fmt, language=language, today=GOLDEN_TODAY)
    golden = GOLDEN / _golden_name(example, language, fmt)
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run pytest --update-goldens"
    assert rendered == golden.read_text(encoding="utf-8"), f"{golden.name} differs: review, then --update-goldens"


def test_every_golden_file_belongs_to_an_example() -> None:
    expected = {_golden_name(example, language, fmt) for example, language in GOLDEN_CASES for fmt in ("md", "html")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_label_catalogues_have_the_same_keys() -> None:
    def keys(tree, prefix=""):
        found = set()
        for key, value in tree.items():
            found |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return found

    english, french = keys(labels("en")), keys(labels("fr"))
    assert english == french, english ^ french


@pytest.mark.parametrize("language", ["en", "fr"])
def test_catalogue_keys_read_the_same_as_attributes(language: str) -> None:
    # Templates write `L.ps.price`: a key named like a dict method (items,
    # get...) would hide that method from every template.
    def check(tree, where):
        for key, value in tree.items():
            assert not hasattr(dict, key), f"{where}{key} is named like a dict method"
            assert getattr(tree, key) is value
            if isinstance(value, dict):
                check(value, f"{where}{key}.")

    catalogue = labels(language)
    check(catalogue, "")
    assert catalogue.formulas.get("not-a-metric", "—") == "—" and catalogue["ps"] is catalogue.ps


def test_catalogues_name_every_channel_metric_and_p() -> None:
    from mixplan.plan import vocab

    for language in ("en", "fr"):
        catalogue = labels(language)
        assert set(catalogue["channels"]) == set(vocab.CHANNELS)
        assert set(catalogue["metrics"]) == set(vocab.METRICS)
        assert set(vocab.PS) <= set(catalogue["ps"])


def test_templates_use_labels_not_words() -> None:
    # Headings and table headers must come from the catalogue: no bare words between tags.
    html = (templates_dir() / "html" / "plan.html.j2").read_text(encoding="utf-8")
    bare = re.findall(r"<(?:h[1-4]|th)[^>]*>([A-Za-zÀ-ÿ][^<{]*)</", html)
    assert bare == [], bare


@pytest.mark.parametrize(
    ("locale", "currency", "money", "day", "share"),
    [
        ("fr_FR", "EUR", "12\u202f000,00\u00a0€", "31 mars 2027", "12,5\u00a0%"),
        ("en_US", "EUR", "€12,000.00", "March 31, 2027", "12.5%"),
        ("en_US", "GBP", "£12,000.00", "March 31, 2027", "12.5%"),
    ],
)
def test_locale_formats(locale, currency, money, day, share) -> None:
    import datetime as dt

    fmt = Formatter(locale, currency)
    assert fmt.money(Decimal(12000)) == money
    assert fmt.date(dt.date(2027, 3, 31)) == day
    assert fmt.percent(Decimal("0.125")) == share
    assert fmt.percent(None) == "—" and fmt.money(None) == "—"


def test_french_first_of_the_month() -> None:
    import datetime as dt

    assert Formatter("fr_FR", "EUR").date(dt.date(2027, 1, 1)) == "1er janvier 2027"


def test_metric_units() -> None:
    fmt = Formatter("en_US", "USD")
    assert fmt.metric("ctr", Decimal("0.015")) == "1.5%"
    assert fmt.metric("cac", Decimal("210")) == "$210.00"
    assert fmt.metric("roas", Decimal("3.2")) == "3.2×"
    assert fmt.metric("signups", Decimal("2400")) == "2,400"
    assert fmt.metric("roi", None) == "—"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Solo | Crew", "Solo \\| Crew"),
        ("*new* _offer_", "\\*new\\* \\_offer\\_"),
        ("line one\nline two", "line one<br>line two"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a bullet", "\\- not a bullet"),
        ("4.2% growth", "4.2% growth"),
        ("AT&T &amp; co", "AT&T &amp;amp; co"),
        ("[link](javascript:x)", "\\[link\\](javascript:x)"),
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


HOSTILE = "<script>alert('x')</script> | *bold* `code`\nsecond line"


def _hostile_plan(minimal_text: str) -> mixplan.Plan:
    data = yaml.safe_load(minimal_text)
    data["plan"]["title"] = HOSTILE
    data["means"][0]["name"] = HOSTILE
    data["message"]["proof_points"] = [HOSTILE]
    return mixplan.Plan.model_validate(data)


def test_markdown_tables_survive_user_text(minimal_text: str) -> None:
    text = mixplan.render(_hostile_plan(minimal_text), format="md")
    assert "<script>" not in text

    def cell_count(row: str) -> int:
        # A | not escaped by a backslash starts a new cell.
        return len(re.split(r"(?<!\\)\|", row))

    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= 6
    for table in tables:
        assert {cell_count(row) for row in table} == {cell_count(table[0])}, table
    action_rows = [line for line in text.splitlines() if line.startswith("| \\<script")]
    assert action_rows and all(cell_count(row) == 11 for row in action_rows)


def test_html_escapes_user_text(minimal_text: str) -> None:
    html = mixplan.render(_hostile_plan(minimal_text), format="html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_html_is_self_contained() -> None:
    for example in EXAMPLES:
        html = mixplan.render(mixplan.load_plan(example), format="html")
        links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html)
        assert links and all(link.startswith("#") for link in links), "only in-page links are allowed"
        assert "src=" not in html
        assert "http://" not in html and "https://" not in html and "@import" not in html


def test_empty_sections_are_left_out(minimal_text: str) -> None:
    plan = mixplan.Plan.model_validate(yaml.safe_load(minimal_text))
    md = mixplan.render(plan, format="md")
    assert "## Context" not in md and "SWOT" not in md and "Other costs" not in md
    assert "## Action plan" in md and "## Schedule" in md
    html = mixplan.render(plan, format="html")
    assert 'id="context"' not in html and 'href="#context"' not in html


def test_language_override(minimal_text: str) -> None:
    plan = mixplan.Plan.model_validate(yaml.safe_load(minimal_text))
    assert "## Plan d’action" in mixplan.render(plan, format="md", language="fr")
    with pytest.raises(MixplanError, match="unknown language 'de'"):
        mixplan.render(plan, format="md", language="de")
    with pytest.raises(MixplanError, match="unknown output format 'pdf'"):
        mixplan.render(plan, format="pdf")


def test_french_deliverable_typography() -> None:
    french = next(p for p in EXAMPLES if p.stem.startswith("fr-"))
    md = mixplan.render(mixplan.load_plan(french), format="md")
    assert "**Préparé pour\u202f:**" in md
    assert "## Plan d’action" in md and "Communication" in md
    # Labels and generated words follow French typography; the plan's own text is left as written.
    assert "Chiffre d’affaires" in md and "Porter le chiffre d'affaires" in md
    assert "| 1er juin 2027 |" in md and "| 1 juin 2027 |" not in md
    assert "producteur invité 24\u202f; " in md
    assert "Réalisé avec" not in md and "*Généré avec mixplan*" in md


def test_a_means_run_in_several_flights_shows_each_flight(minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["schedule"].append({"means": "ads", "start": "2027-05-01", "end": "2027-05-31"})
    plan = mixplan.Plan.model_validate(data)
    md = mixplan.render(plan, format="md")
    (row,) = [line for line in md.splitlines() if line.startswith("| Search ads | ")]
    # Each flight its own range (tests/outputs/test_flights.py checks every format).
    assert row.endswith("| Jan 10, 2027 to Mar 31, 2027; May 1, 2027 to May 31, 2027 |")
    # The schedule lists both flights.
    assert md.count("| Action | Search ads |") == 2


def test_catalogues_explain_every_computed_metric() -> None:
    from mixplan.plan import vocab

    for language in ("en", "fr"):
        assert set(labels(language)["formulas"]) == set(vocab.COMPUTED_METRICS)


TEMPLATE_PAYLOAD = "<script>alert(1)</script> {{ 'pwn' ~ 'ed' }} {% if true %}x{% endif %}"


def _every_free_text_field(data, plan_check) -> int:
    """Put the payload in every string the model accepts as free text; return how many."""
    count = 0

    def walk(node):
        nonlocal count
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, str):
                node[key] = TEMPLATE_PAYLOAD
                if plan_check():
                    count += 1
                else:  # an id, a channel, a currency...: not free text
                    node[key] = value
            else:
                walk(value)

    walk(data)
    return count


def test_template_syntax_and_html_in_every_free_text_field_render_as_text() -> None:
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))

    def valid() -> bool:
        try:
            mixplan.Plan.model_validate(data)
        except ValidationError:
            return False
        return True

    assert _every_free_text_field(data, valid) > 40
    plan = mixplan.Plan.model_validate(data)
    html = mixplan.render(plan, format="html", today=GOLDEN_TODAY)
    md = mixplan.render(plan, format="md", today=GOLDEN_TODAY)
    for text in (html, md):
        assert "pwned" not in text and "<script>" not in text
    assert (
        html.count("&lt;script&gt;alert(1)&lt;/script&gt; {{ &#39;pwn&#39; ~ &#39;ed&#39; }} {% if true %}x{% endif %}")
        > 40
    )
    assert md.count("\\<script\\>alert(1)\\</script\\> {{ 'pwn' \\~ 'ed' }} {% if true %}x{% endif %}") > 30
    # In the Mermaid block, characters with a meaning to Mermaid are blanked out.
    mermaid = md.split("```mermaid", 1)[1].split("```", 1)[0]
    assert "<" not in mermaid and "{" not in mermaid and "alert(1)" in mermaid


@pytest.mark.parametrize(("example", "language"), GOLDEN_CASES, ids=lambda v: getattr(v, "stem", v or "own"))
def test_markdown_contents_link_to_every_section(example: Path, language: str | None) -> None:
    from mixplan.present.markdown import HeadingSlugs

    md = mixplan.render(mixplan.load_plan(example), format="md", language=language)
    links = re.findall(r"^\d+\. \[[^\]]+\]\(#([^)]+)\)$", md, re.MULTILINE)
    # Every heading of the document takes its id in turn, as on GitHub; the contents link the sections'.
    slugs = HeadingSlugs()
    headings = [(m.start(), m[1], slugs.slug(m[2])) for m in re.finditer(r"^(#{1,6}) (.+)$", md, re.MULTILINE)]
    # The plan at a glance comes before the contents, which list what follows them.
    contents = md.index(f"**{labels(language or mixplan.load_plan(example).plan.language)['document']['contents']}**")
    assert links and links == [anchor for at, level, anchor in headings if level == "##" and at > contents]
    assert [anchor for at, level, anchor in headings if level == "##" and at < contents] == [headings[1][2]]


def test_contents_link_past_a_title_that_names_a_section(minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["plan"]["title"] = "Budget"
    md = mixplan.render(mixplan.Plan.model_validate(data), format="md", language="en")
    assert "[Budget](#budget-1)" in md and md.startswith("# Budget\n")


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Plan d'action", "plan-daction"),
        ("Marketing mix (4P)", "marketing-mix-4p"),
        ("Indicateurs clés", "indicateurs-clés"),
    ],
)
def test_heading_anchors_follow_github(heading: str, anchor: str) -> None:
    from mixplan.present.markdown import heading_anchor

    assert heading_anchor(heading) == anchor


# --- the fast money layout matches Babel's ------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["en", "fr"]),
    st.sampled_from(["EUR", "GBP", "USD", "JPY", "CHF", "BHD", "CAD"]),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=4),
)
def test_money_layout_matches_babel(language: str, currency: str, amount) -> None:
    from babel.numbers import format_currency

    from mixplan.present.formatting import Formatter

    formatter = Formatter(language, currency)
    assert formatter._money_shape is not None, (language, currency)
    assert formatter.money(amount) == format_currency(amount, currency, locale=language)


@pytest.mark.parametrize(("cost", "budget"), [("500", "€1,000"), ("499.90", "€1,000.00")])
def test_the_deliverable_shows_cents_only_when_the_plan_writes_them(minimal_text: str, cost: str, budget: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["means"][0]["cost"] = cost
    md = mixplan.render(mixplan.Plan.model_validate(data), "md", language="en")
    assert f"**Total budget:** {budget}  \n" in md


def test_a_p_without_means_says_so_and_an_empty_one_is_left_out(minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["mix"] = {"product": {}, "place": {"summary": "Sold in the shop."}}
    plan = mixplan.Plan.model_validate(data)
    md = mixplan.render(plan, format="md", language="en")
    assert "### Product" not in md
    assert "### Place\n\nSold in the shop.\n\n*No action planned for this P.*\n" in md
    html = mixplan.render(plan, format="html", language="en")
    assert 'class="p-card p-product"' not in html
    place = html.split('<article class="p-card p-place">', 1)[1].split("</article>", 1)[0]
    assert "Sold in the shop." in place and '<p class="muted">No action planned for this P.</p>' in place
    assert "<dl" not in place  # no empty box


def test_other_costs_have_a_total(minimal_text: str) -> None:
    data = yaml.safe_load(minimal_text)
    data["budget"]["lines"] = [{"name": "Print", "cost": 40}, {"name": "Photos", "cost": 60}]
    plan = mixplan.Plan.model_validate(data)
    assert "| Photos | €60 |\n| **Total other costs** | **€100** |\n" in mixplan.render(
        plan, format="md", language="en"
    )
    html = mixplan.render(plan, format="html", language="en")
    assert '<tr class="total"><td>Total other costs</td><td class="num">€100</td></tr>' in html
