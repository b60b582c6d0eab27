"""Text from a plan is shown, never obeyed, in every output.

A name may hold a bare carriage return, an ESC sequence, Markdown or
Mermaid syntax, a spreadsheet formula or an iCalendar line. The loader may
refuse control characters, but the outputs must stay safe on their own (the
plan may come from the Python API or a CSV import), so most plans here are
built in-process through the models; the subprocess tests accept both a
loader that refuses such plans (exit 1, a message) and one that lets them
through (then the text must be shown escaped).
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixplan
from mixplan.controls import first_unsafe, visible
from mixplan.renderer import heading_anchor, md_escape, md_paragraphs

from .conftest import ASSETS

TERMINAL_ATTACKS = {
    "clear the screen": "Ads\x1b[2J\x1b[H done",
    "write the clipboard (OSC 52)": "Ads\x1b]52;c;ZWNobyBwd25lZA==\x07 done",
    "8-bit CSI": "Ads\x9b31m red",
    "reversed text": "Ads \u202egnp.exe",
    "carriage return over the line": "Ads\rFAKE LINE",
}


def plan_data() -> dict[str, Any]:
    return yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))


def build(data: dict[str, Any]) -> mixplan.Plan:
    return mixplan.Plan.model_validate(data)


def plan_named(name: str, **means_fields: Any) -> mixplan.Plan:
    data = plan_data()
    data["means"][0]["name"] = name
    data["means"][0].update(means_fields)
    return build(data)


def run_mixplan(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "mixplan", *map(str, args)], capture_output=True, timeout=60)


def yaml_plan(data: dict[str, Any], path: Path) -> Path:
    """The plan written as YAML whose strings are double-quoted escapes ("\\u001b"), never raw controls."""
    path.write_text(json.dumps(data, default=str, indent=1), encoding="utf-8")
    return path


# --- 1. Markdown -------------------------------------------------------------------------------

PLACEHOLDER = "Placeholdername"
LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What starts a block when it opens a line (after up to three spaces).
BLOCK_START = re.compile(r"^ {0,3}(?:[-+*=#>|<]|\d+[.)]|`{3}|~{3}|\[)|^(?: {4}|\t)")


def unescaped(text: str, char: str) -> int:
    """How many times `char` appears in Markdown `text` without a backslash escaping it."""
    count, escaping = 0, False
    for c in text:
        if escaping:
            escaping = False
        elif c == "\\":
            escaping = True
        elif c == char:
            count += 1
    return count


def markdown(plan: mixplan.Plan) -> str:
    return mixplan.render(plan, "md", today=_dt.date(2027, 1, 5))


def test_a_carriage_return_in_a_name_starts_no_heading_rule_or_list() -> None:
    text = markdown(plan_named("Ads\r# Heading\r---\r- item\r> quote"))
    assert "\r" not in text
    lines = text.splitlines()
    expected = markdown(plan_named(PLACEHOLDER)).splitlines()
    assert not [line for line in lines if line.startswith(("# Heading", "- item", "> quote"))]
    assert lines.count("---") == expected.count("---") and len(lines) == len(expected)
    assert r"| Ads\\x0d# Heading\\x0d---\\x0d- item\\x0d\> quote |" in text


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_no_control_character_reaches_the_markdown_deliverable(attack: str) -> None:
    data = plan_data()
    data["plan"]["title"] = attack
    data["means"][0]["name"] = attack
    data["schedule"][2]["milestone"] = attack
    data["positioning"]["statement"] = f"First\tline {attack}\n\nSecond paragraph"
    text = markdown(build(data))
    found = first_unsafe(text)
    assert found is None, f"{found.group()!r} at {found.start()}: {text[max(0, found.start() - 40):found.end() + 40]!r}"


def test_tabs_become_spaces_outside_the_layout() -> None:
    assert md_escape("a\tb") == "a b"
    assert md_paragraphs("one\ttwo\n\nthree") == "one two\n\nthree"


markdown_text = st.text(
    st.one_of(st.sampled_from(list("\r\n\t\x0b\x0c\x1b\x85\u2028\u2029\u202e#>-+=*_`~|[]!<&:;%\\ 1.)aZé")), st.characters()),
    min_size=1,
    max_size=30,
)


@given(markdown_text)
def test_escaped_text_is_one_inline_line_in_any_markdown_context(text: str) -> None:
    escaped = str(md_escape(text))
    assert LINE_BREAKS.search(escaped) is None
    assert first_unsafe(escaped, allow_line_breaks=False) is None
    assert BLOCK_START.match(escaped) is None, escaped
    assert unescaped(escaped, "|") == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_text.filter(lambda t: t.strip() and PLACEHOLDER not in t))
def test_a_name_never_adds_lines_blocks_or_table_cells_to_the_deliverable(name: str) -> None:
    expected = markdown(plan_named(PLACEHOLDER)).split("\n")
    text = markdown(plan_named(name))
    assert LINE_BREAKS.search(text.replace("\n", "")) is None
    lines = text.split("\n")
    assert len(lines) == len(expected)
    fence = False
    for template, line in zip(expected, lines, strict=True):
        fence = fence != template.startswith("```")
        if PLACEHOLDER not in template:
            assert line == template
            continue
        parts = template.split(PLACEHOLDER)
        assert line.startswith(parts[0]) and line.endswith(parts[-1]), (template, line)
        if fence:
            continue  # the Mermaid block has its own rules, checked below
        assert unescaped(line, "|") == unescaped(template, "|"), (template, line)
        if not parts[0].strip():
            assert BLOCK_START.match(line) is None, line


def test_heading_anchors_drop_control_characters() -> None:
    assert heading_anchor("Plan\x1b[2J\u202e 2027") == "plan2j-2027"


# --- 2. Mermaid -------------------------------------------------------------------------------

MERMAID_NAMES = [
    "Click & collect", "click ads href \"javascript:alert(1)\"", "Call us now", "href \"https://evil\"",
    "Title sponsor", "Section 8 housing", "Excludes weekends", "dateFormat YYYY", "axisFormat %Y",
    "todayMarker off", "includes 2027-01-01", "weekday monday", "weekend friday", "tickInterval 1week",
    "gantt", "inclusiveEndDates", "topAxis", "accTitle: hijack", "accDescr { hijack", "accDescription x",
    "%% a comment", "%%{init: {'theme': 'dark'}}%%", "5% off", "2027-01-01 launch",
    "a: b; c # d", "#35; &amp; done", "Ads\x1b[2J\r\n```\nafter the fence", "<b>bold</b> {x} `y` \"z\" \\",
]  # fmt: skip
# Where Mermaid's gantt lexer starts a token other than a task's text (its rules are case-insensitive).
MERMAID_KEYWORD = re.compile(
    r"(?:gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker"
    r"|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call|href|\d{4}-\d\d-\d\d|%)",
    re.IGNORECASE,
)
ENTITY = re.compile(r"#(\w+);")


def mermaid_shown(text: str) -> str:
    """The text Mermaid draws: it reads #35; and #amp; as the entities &#35; and &amp;, and nothing else."""
    return ENTITY.sub(lambda m: html.unescape(f"&#{m.group(1)};" if m.group(1).isdigit() else f"&{m.group(1)};"), text)


def mermaid_lines(text: str) -> list[str]:
    start = text.index("```mermaid\n") + len("```mermaid\n")
    return text[start : text.index("\n```\n", start)].split("\n")


def test_mermaid_text_is_inert_whatever_the_names() -> None:
    data = plan_data()
    template = data["means"][0]
    data["means"] = []
    data["schedule"] = []
    for n, name in enumerate(MERMAID_NAMES):
        data["means"].append({**template, "id": f"m{n}", "name": name})
        data["schedule"].append({"means": f"m{n}", "start": _dt.date(2027, 1, 10), "end": _dt.date(2027, 3, 31)})
        data["schedule"].append({"milestone": name, "date": _dt.date(2027, 2, 1)})
    data["budget"]["total"] = 100_000
    lines = mermaid_lines(markdown(build(data)))
    assert lines[:4] == ["gantt", lines[1], "    dateFormat YYYY-MM-DD", "    axisFormat %m/%Y"]
    tasks = [line for line in lines[4:] if not line.startswith("    section ")]
    # Each name is one task line: none was dropped as a comment or split in two.
    assert len(tasks) == 2 * len(MERMAID_NAMES)
    shown = []
    for line in tasks:
        # Mermaid turns entity codes into placeholders before it reads the lines.
        lexed = ENTITY.sub("\ufb02", line)
        assert lexed.startswith("    ") and not lexed[4:5].isspace(), line
        task, colon, data_part = lexed[4:].partition(":")
        assert colon and data_part in ("2027-01-10, 2027-04-01", "milestone, 2027-02-01, 0d"), line
        assert not re.search(r"[#;%\\`<>{}\"]", task), line
        assert MERMAID_KEYWORD.match(task) is None, line
        shown.append(mermaid_shown(line[4:].rpartition(" :")[0]))
    # And each is drawn as written (its whitespace collapsed, its controls shown as escapes).
    for name in MERMAID_NAMES:
        assert shown.count(visible(" ".join(name.split()), single_line=True)) == 2, (name, shown)
