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
from mixplan.present.markdown import heading_anchor, md_escape, md_paragraphs

from ..conftest import ASSETS

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
BLOCK_START = re.compile(r"^ {0,3}(?:[-+*=#>|<]|\d+[.)](?:\s|$)|`{3}|~{3}|\[)|^(?: {4}|\t)")


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
    assert found is None, (
        f"{found.group()!r} at {found.start()}: {text[max(0, found.start() - 40) : found.end() + 40]!r}"
    )


def test_tabs_become_spaces_outside_the_layout() -> None:
    assert md_escape("a\tb") == "a b"
    assert md_paragraphs("one\ttwo\n\nthree") == "one two\n\nthree"


# Any character a UTF-8 plan file can hold: a lone surrogate cannot be written in one.
markdown_text = st.text(
    st.one_of(
        st.sampled_from(list("\r\n\t\x0b\x0c\x1b\x85\u2028\u2029\u202e#>-+=*_`~|[]!<&:;%\\ 1.)aZé")),
        st.characters(codec="utf-8"),
    ),
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


# --- 3. Exports: CSV, XLSX, ICS -----------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3",
            "\uff1d1+1", "\uff0bcmd", "\uff0d2", "\uff20SUM(A1)", "\t=1+1"]  # fmt: skip


def plan_with_texts(texts: list[str]) -> mixplan.Plan:
    """A plan whose means names, owners, target and objective carry `texts`."""
    data = plan_data()
    template = data["means"][0]
    data["means"] = [{**template, "id": f"m{n}", "name": f"x{text}"[1:], "owner": text} for n, text in enumerate(texts)]
    data["schedule"] = [
        {"means": f"m{n}", "start": _dt.date(2027, 1, 10), "end": _dt.date(2027, 3, 31)} for n in range(len(texts))
    ]
    data["targets"][0]["name"] = texts[0]
    data["objectives"][0]["statement"] = texts[-1]
    data["budget"]["total"] = 100_000
    data["budget"]["lines"] = [{"name": text, "cost": 10} for text in texts]
    return build(data)


FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def test_csv_cells_never_start_a_formula_but_amounts_stay_numbers() -> None:
    from mixplan.outputs.exports import to_csv

    rows = list(csv.reader(io.StringIO(to_csv(plan_with_texts(FORMULAS)), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(FORMULAS)
    for row in body:
        for column, cell in zip(header, row, strict=True):
            assert not cell.startswith(FORMULA_START), (column, cell)
    by_name = {row[1]: row for row in body}
    assert '\'=HYPERLINK("http://evil","click")' in by_name and "'-2+3" in by_name and "'\uff1d1+1" in by_name
    assert by_name["'-2+3"][7] == "'-2+3"  # the owner column too
    assert body[0][5] == '\'=HYPERLINK("http://evil","click")'  # targets
    assert body[0][8] == "500"  # the cost is a number, unquoted


def test_csv_keeps_negative_looking_text_apart_from_numbers() -> None:
    from mixplan.outputs.exports import to_csv

    row = list(csv.reader(io.StringIO(to_csv(plan_named("-5 % on Mondays")), newline="")))[1]
    assert row[1] == "'-5 % on Mondays" and row[8] == "500"


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_no_control_character_reaches_a_csv(attack: str) -> None:
    from mixplan.outputs.exports import to_csv

    text = to_csv(plan_with_texts([attack, "fine"]))
    assert first_unsafe(text.replace("\r\n", "\n")) is None
    assert visible(attack) in text


def test_xlsx_holds_no_formula_link_or_control_from_user_text() -> None:
    import openpyxl

    from mixplan.outputs.exports import to_xlsx

    texts = [*FORMULAS, "https://example.com/pay", "mailto:boss@example.com", *TERMINAL_ATTACKS.values()]
    data = plan_with_texts(texts).model_dump(by_alias=True)
    data["plan"]["title"] = "Plan\x1b[2J\x07"
    data["plan"]["client"] = "=cmd|' /C calc'!A0"
    # Sources of assumptions, and the names of the means on the Forecast sheet that the cpc gives clicks to.
    data["assumptions"] = [
        {"id": f"cpc-{n}", "metric": "cpc", "value": 1, "source": text} for n, text in enumerate(texts)
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(build(data))))
    assert book.sheetnames[-2:] == ["Assumptions", "Forecast"]
    user_cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.hyperlink is None, cell.coordinate
                if cell.data_type == "f":
                    # Only mixplan's own totals are formulas, and they hold no user text.
                    assert not any(text in str(cell.value) or visible(text) in str(cell.value) for text in texts), (
                        cell.value
                    )
                elif isinstance(cell.value, str):
                    assert first_unsafe(cell.value) is None and "_x00" not in cell.value, (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
                    user_cells += cell.value in [visible(t) for t in texts]
    assert user_cells >= 4 * len(texts)
    assert book.properties.title == "Plan\\x1b[2J\\x07"


def test_ics_text_cannot_start_a_line_or_property() -> None:
    import icalendar

    from mixplan.outputs.exports import to_ics

    attack = "Ads\r\nBEGIN:VEVENT\r\nSUMMARY:injected\rUID:x\nEND:VEVENT; a, b \\ c\x1b[2J"
    data = plan_with_texts([attack, "fine"]).model_dump(by_alias=True)
    data["schedule"].append({"milestone": attack, "date": _dt.date(2027, 2, 1)})
    data["plan"]["title"] = attack
    raw = to_ics(build(data), stamp=_dt.datetime(2027, 1, 1, tzinfo=_dt.UTC))
    lines = raw.split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert lines.count(b"BEGIN:VEVENT") == 3 and not [
        line for line in lines if line.startswith((b"SUMMARY:injected", b"UID:x"))
    ]
    assert all(first_unsafe(line.decode("utf-8")) is None for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    expected = visible(attack)
    assert sorted(str(event["SUMMARY"]) for event in events) == sorted([expected, expected, "fine"])
    # icalendar hands an X- property back as written: undo the TEXT escapes.
    calname = re.sub(
        r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), str(calendar["X-WR-CALNAME"])
    )
    assert calname == f"{expected} (Test client)"
    owner = next(str(e["DESCRIPTION"]) for e in events if str(e["SUMMARY"]) == expected and "DESCRIPTION" in e)
    assert owner.endswith(f"Owner: {expected}")


# --- 4. Terminal: status and diff ---------------------------------------------------------------


def attack_data(attack: str) -> dict[str, Any]:
    data = plan_data()
    data["plan"]["title"] = attack
    data["plan"]["client"] = f"[bold red]{attack}"
    data["means"][0]["name"] = attack
    data["means"][0]["owner"] = attack
    data["objectives"][0]["statement"] = attack
    data["schedule"][2]["milestone"] = attack
    return data


def other_side(data: dict[str, Any]) -> dict[str, Any]:
    """The same plan a little changed: a cost, an owner, a milestone's date."""
    changed = json.loads(json.dumps(data, default=str))
    changed["means"][0]["cost"] = 450
    changed["means"][0]["owner"] = "Camille\x1b]52;c;ZXZpbA==\x07"
    changed["schedule"][2]["date"] = "2027-02-08"
    changed["objectives"][0]["target"] = 600
    return changed


def assert_shown_not_obeyed(output: str) -> None:
    assert "\x1b" not in output
    found = first_unsafe(output)
    assert found is None, f"{found.group()!r} in {output[max(0, found.start() - 40) : found.end() + 40]!r}"


@pytest.fixture
def in_process(monkeypatch):
    """The CLI run in-process on plans built through the API, whatever the loader thinks of their text."""
    from typer.testing import CliRunner

    from mixplan import api
    from mixplan.cli import app

    plans: dict[str, mixplan.Plan] = {}
    monkeypatch.setattr(api, "validate", lambda path, **_: api.Report(str(path), plans[str(path)]))

    def run(given: dict[str, mixplan.Plan], *args: str):
        plans.update(given)
        return CliRunner().invoke(app, list(args))

    return run


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_status_shows_plan_text_escaped(attack: str, in_process) -> None:
    plan = build(attack_data(attack))
    result = in_process({"plan.yaml": plan}, "status", "plan.yaml")
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    assert f"{visible(attack, single_line=True)} · [bold red]{visible(attack, single_line=True)}" in result.stdout
    result = in_process({}, "status", "plan.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    # JSON keeps the exact text, as \u escapes.
    assert json.loads(result.stdout)["plan"]["title"] == plan.plan.title


def test_status_in_colour_prints_markup_literally_and_no_user_escape() -> None:
    from mixplan.outputs.status import status_text

    plan = build(attack_data("[bold red]x\x1b[2J"))
    text = status_text(plan, width=200, color=True)
    assert "[bold red]x\\x1b[2J" in text and "\x1b[2J" not in text


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_diff_shows_plan_text_escaped(attack: str, fmt: str, in_process) -> None:
    old = attack_data(attack)
    plans = {"old.yaml": build(old), "new.yaml": build(other_side(old))}
    result = in_process(plans, "diff", "old.yaml", "new.yaml", "--format", fmt, "--name", f"plan{attack}.yaml")
    assert result.exit_code == 1, result.output
    assert_shown_not_obeyed(result.stdout)
    if fmt == "json":
        document = json.loads(result.stdout)
        assert document["means"]["changed"][0]["name"] == plans["new.yaml"].means[0].name
    else:
        assert (md_escape(attack) if fmt == "md" else visible(attack, single_line=True)) in result.stdout


def test_status_and_diff_in_a_real_process_never_print_escape(tmp_path: Path) -> None:
    """Written as YAML escapes: a loader that refuses them exits 1 with a message, one that accepts shows them."""
    attack = "Ads\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\u202e"
    old = yaml_plan(attack_data(attack), tmp_path / "old.yaml")
    new = yaml_plan(other_side(attack_data(attack)), tmp_path / "new.yaml")
    runs = {
        "status": run_mixplan("status", old),
        "status json": run_mixplan("status", old, "--format", "json"),
        **{f"diff {fmt}": run_mixplan("diff", old, new, "--format", fmt) for fmt in ("text", "md", "json")},
        "diff --name": run_mixplan("diff", tmp_path / "old.yaml", tmp_path / "old.yaml", "--name", "x\x1b[2J"),
    }
    for label, run in runs.items():
        for stream in (run.stdout, run.stderr):
            assert b"\x1b" not in stream and b"\xc2\x9b" not in stream, (label, run)
            assert_shown_not_obeyed(stream.decode("utf-8"))
        assert b"Traceback" not in run.stderr, (label, run.stderr)
        accepted = {"status": 0, "status json": 0, "diff --name": 0}.get(label, 1)
        assert run.returncode in (accepted, 1 if label.startswith("status") else 2), (label, run)
    if runs["status"].returncode == 0:
        assert b"Ads\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202e" in runs["status"].stdout


def test_diff_heading_from_the_command_line_is_escaped(tmp_path: Path) -> None:
    base = ASSETS / "diff" / "base.yaml"
    run = run_mixplan("diff", base, ASSETS / "diff" / "budget.yaml", "--name", "x\x1b[2Jy")
    assert run.returncode == 1, run
    assert b"\x1b" not in run.stdout and run.stdout.startswith(b"x\\x1b[2Jy\n")


# --- 5. HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("attack", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_no_control_character_or_bidi_override_reaches_the_html(attack: str) -> None:
    data = attack_data(attack)
    data["positioning"]["statement"] = f"One {attack}\n\nTwo {attack}"
    page = mixplan.render(build(data), "html", today=_dt.date(2027, 2, 15))
    assert_shown_not_obeyed(page)
    assert html.escape(visible(attack), quote=False) in page
