"""Limits enforced while a plan is read: numbers, dates, control characters, YAML 1.1 rewrites, floods of findings.

Each of these once hung mixplan, made it exit 3, or changed what the user
wrote without a word. The command runs in a real process with a timeout, so
a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixplan import api
from mixplan.errors import PlanInvalid
from mixplan.loading.reader import load_text

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")


def _plan(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _mixplan(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _messages(text: str) -> list[str]:
    return [str(finding) for finding in api.validate(text=text, name="plan.yaml").findings]


# --- 1. numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        # Each of these hung `validate`, took 2 GB in `export` or made `render` exit 3.
        (
            "cost: 500",
            "cost: 1.0e-999999999",
            "plan.yaml:32:11:",
            "'1.0e-999999999' has too many digits after the decimal point",
        ),
        (
            "target: 500",
            "target: 1.0e-999999",
            "plan.yaml:14:13:",
            "'1.0e-999999' has too many digits after the decimal point",
        ),
        ("total: 1000", "total: 1.0e+400", "plan.yaml:23:10:", "'1.0e+400' is far too large a number for a plan"),
        ("total: 1000", "total: 1" + "0" * 40, "plan.yaml:23:10:", "is far too large a number for a plan"),
        ("total: 1000", "total: 1.00000000000000000000000000000001", "plan.yaml:23:10:", "has more than 30 digits"),
    ],
)
def test_an_absurd_number_is_refused_at_its_position(old: str, new: str, where: str, words: str) -> None:
    messages = _messages(_plan(old, new))
    assert len(messages) == 1, messages
    assert messages[0].startswith(where + " error: ") and words in messages[0] and messages[0].endswith("(MP102)"), (
        messages
    )


def test_a_huge_count_does_not_hang_validate(tmp_path: Path) -> None:
    plan = MINIMAL + "context:\n  segments:\n    - {id: all, name: Everyone, size: 1.0e+99999999}\n"
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    done = _mixplan("validate", "plan.yaml", cwd=tmp_path, timeout=30)
    assert done.returncode == 1, done.stderr
    assert "plan.yaml:46:39: error: '1.0e+99999999' is far too large a number for a plan" in done.stdout, done.stdout


def test_a_tiny_cost_does_not_blow_up_the_csv_export(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_plan("cost: 500", "cost: 1.0e-999999999"), encoding="utf-8")
    done = _mixplan("export", "--to", "csv", "plan.yaml", cwd=tmp_path, timeout=30)
    assert done.returncode == 1, done.stderr
    assert "has too many digits after the decimal point" in done.stderr and "not exported" in done.stderr


@pytest.mark.parametrize("command", [["status", "plan.yaml"], ["render", "plan.yaml"]])
def test_a_tiny_target_is_an_error_not_a_crash(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_plan("target: 500", "target: 1.0e-999999"), encoding="utf-8")
    done = _mixplan(*command, cwd=tmp_path, timeout=30)
    assert done.returncode == 1, done.stderr
    assert (
        "plan.yaml:14:13: error: objective 'grow' (1st objective), target:" not in done.stderr
    )  # refused by the loader, before the model
    assert "plan.yaml:14:13: error: '1.0e-999999' has too many digits after the decimal point" in done.stderr


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ('"1e-999999999"', "'1e-999999999' has too many digits after the decimal point: round it to at most 6"),
        ("0.0000001", "'0.0000001' has too many digits after the decimal point: round it to at most 6"),
        ('"1e99999999"', "must be at most 1,000,000,000,000"),
    ],
)
def test_an_amount_has_at_most_six_decimals(written: str, words: str) -> None:
    messages = _messages(_plan("cost: 500", f"cost: {written}"))
    assert (
        len(messages) == 1
        and "plan.yaml:32:11: error: means 'ads' (1st action), cost: " in messages[0]
        and words in messages[0]
    ), messages


def test_six_decimals_and_trailing_zeros_are_fine() -> None:
    report = api.validate(text=_plan("cost: 500", "cost: 499.123456000000"), name="plan.yaml")
    assert report.ok and report.plan.means[0].cost == Decimal("499.123456"), report.findings


_YAML_NUMBERS = st.one_of(
    st.from_regex(r"\A[-+]?[0-9][0-9_]{0,40}\Z"),
    st.from_regex(r"\A[-+]?[0-9]{0,40}\.[0-9]{0,40}([eE][-+][0-9]{1,12})?\Z"),
    st.from_regex(r"\A0x[0-9a-fA-F_]{1,40}\Z"),
    st.from_regex(r"\A0[0-7_]{1,40}\Z"),
    st.from_regex(r"\A[-+]?[1-9][0-9]{0,3}(:[0-5]?[0-9]){1,12}(\.[0-9]{0,10})?\Z"),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
CENT = Decimal("0.01")


@settings(max_examples=400, deadline=None)
@given(_YAML_NUMBERS, _YAML_NUMBERS)
def test_every_number_the_loader_accepts_survives_the_arithmetic_downstream(first: str, second: str) -> None:
    try:
        data = load_text(f"a: {first}\nb: {second}\n").data
    except PlanInvalid as refused:
        assert all(f.rule == "MP102" for f in refused.findings)
        return
    numbers = [
        Decimal(value) for value in data.values() if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    ]
    for value in numbers:
        assert len(format(value, "f")) < 100
        value.quantize(CENT)
        (value * 100_000).quantize(CENT)  # the sum of a 100,000-means plan's costs
        sum([value] * 1000, Decimal(0)).quantize(CENT)
    if len(numbers) == 2 and numbers[1]:
        ratio = numbers[0] / numbers[1]
        assert ratio.is_finite()


# --- 2. dates -------------------------------------------------------------------------


def test_a_period_longer_than_five_years_is_an_error_at_the_period() -> None:
    messages = _messages(_plan("end: 2027-06-30}", "end: 2199-12-31}"))
    assert messages == [
        "plan.yaml:7:11: error: plan details, period: the period from 2027-01-01 to 2199-12-31 is longer than 5 years: "
        "a plan covers at most 5 years; split it into several plans (MP102)"
    ]


def test_a_five_year_period_is_fine() -> None:
    report = api.validate(text=_plan("end: 2027-06-30}", "end: 2031-12-31}"), name="plan.yaml")
    assert report.ok, report.findings
    longer = _messages(_plan("end: 2027-06-30}", "end: 2032-01-01}"))
    assert any("a plan covers at most 5 years" in message for message in longer), longer


@pytest.mark.parametrize(
    "command", [["status", "plan.yaml"], ["render", "plan.yaml"], ["export", "--to", "ics", "plan.yaml"]]
)
def test_a_period_to_the_end_of_time_is_an_error_not_a_crash(command: list[str], tmp_path: Path) -> None:
    text = _plan("{start: 2027-01-01, end: 2027-06-30}", "{start: 9999-06-01, end: 9999-12-31}")
    text = text.replace("2027-", "9999-")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    done = _mixplan(*command, cwd=tmp_path, timeout=30)
    assert done.returncode == 1, done.stderr
    assert (
        "plan.yaml:7:19: error: plan details, period, start: 9999-06-01 is too far in the future: a plan's dates lie between 1900-01-01 and 2199-12-31"
        in done.stderr
    )


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "deadline: 2027-06-30",
            "deadline: 9999-12-31",
            "objective 'grow' (1st objective), deadline: 9999-12-31 is too far in the future",
        ),
        (
            "deadline: 2027-06-30",
            "deadline: 0001-01-01",
            "objective 'grow' (1st objective), deadline: 0001-01-01 is too far in the past",
        ),
        (
            "schedule:\n",
            "results:\n  - {means: ads, month: 9999-12, spend: 10}\nschedule:\n",
            "1st results row, month: 9999-12 is too far in the future",
        ),
    ],
)
def test_every_date_lies_between_1900_and_2199(old: str, new: str, words: str) -> None:
    messages = _messages(_plan(old, new))
    assert any(words in message and message.endswith("(MP102)") for message in messages), messages


@pytest.mark.parametrize(
    "command", [["status", "plan.yaml"], ["render", "plan.yaml"], ["export", "--to", "ics", "plan.yaml"]]
)
def test_the_last_accepted_dates_do_not_overflow(command: list[str], tmp_path: Path) -> None:
    text = _plan("{start: 2027-01-01, end: 2027-06-30}", "{start: 2195-01-01, end: 2199-12-31}").replace(
        "2027-", "2199-"
    )
    text = text.replace("schedule:\n", "results:\n  - {means: ads, month: 2199-12, spend: 10}\nschedule:\n")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    done = _mixplan(*command, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr


# --- 3. a flood of findings -----------------------------------------------------------


def _flood(count: int) -> str:
    keys = "".join(f"    extra{number}: 1\n" for number in range(count))
    return _plan("    cost: 500\n", "    cost: 500\n" + keys)


@pytest.mark.slow  # about 4 s of CPU: 40,000 did-you-mean searches
def test_forty_thousand_unknown_keys_are_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_flood(40_000), encoding="utf-8")
    done = _mixplan("validate", "plan.yaml", cwd=tmp_path, timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 102, lines[-3:]
    assert (
        lines[0]
        == "plan.yaml:33:5: error: unknown key 'extra0' in means 'ads' (1st action); allowed keys here: "
        + ", ".join(
            [
                "id",
                "name",
                "channel",
                "p",
                "approach",
                "objectives",
                "targets",
                "cost",
                "owner",
                "stage",
                "responsible",
                "accountable",
                "consulted",
                "informed",
                "kpis",
                "forecast",
                "funnel",
                "phasing",
            ]
        )
        + " (MP101)"
    )
    assert lines[99].startswith("plan.yaml:132:5: error: unknown key 'extra99' ")
    assert lines[100] == "plan.yaml: ... and 39,900 more findings (MP101 ×39,900); `--format json` lists them all"
    assert lines[101] == "plan.yaml: 40000 errors, 0 warnings"


def test_json_keeps_every_finding(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_flood(2_000), encoding="utf-8")
    done = _mixplan("validate", "--format", "json", "plan.yaml", cwd=tmp_path)
    findings = json.loads(done.stdout)
    assert len(findings) == 2_000 and findings[-1]["line"] == 33 + 1_999


def test_github_annotations_are_capped_too(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_flood(300), encoding="utf-8")
    done = _mixplan("validate", "--format", "github", "plan.yaml", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert len(lines) == 101, lines[-2:]
    assert lines[-1] == "::error file=plan.yaml::... and 200 more findings (MP101 ×200); `--format json` lists them all"


@pytest.mark.parametrize("command", [["status"], ["render"], ["export", "--to", "csv"]])
def test_commands_that_refuse_a_plan_cap_its_findings_too(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(_flood(300), encoding="utf-8")
    done = _mixplan(*command, "plan.yaml", cwd=tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 102 and lines[100] == (
        "plan.yaml: ... and 200 more findings (MP101 ×200); `--format json` lists them all"
    ), lines[-3:]


# --- 4. control characters in a plan ------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "char"),
    [
        ("title: Test plan", "title: Test \x1b[2J plan", "3:15", "U+001B"),
        ("title: Test plan", 'title: "Test \\e[2J plan"', "3:10", "U+001B"),
        ("title: Test plan", "title: Test \u202eplan", "3:15", "U+202E"),
        ("title: Test plan", "title: Test\rplan", "3:14", "U+000D"),
        ("title: Test plan", "title: Test \x7f plan", "3:15", "U+007F"),
        ("title: Test plan", "title: Test \x9b plan", "3:15", "U+009B"),
        ("title: Test plan", 'title: "Test \\x85 plan"', "3:10", "U+0085"),
        ("  title: Test plan", '  "ti\\x1btle": Test plan', "3:3", "U+001B"),
        ("  title: Test plan", "  title: Test plan  # a comment \x07", "3:33", "U+0007"),
        ("promise: Better tests.", 'promise: !!str "Better \\u2028tests."', "21:12", "U+2028"),
    ],
)
def test_a_control_character_is_refused_where_it_is(old: str, new: str, where: str, char: str) -> None:
    messages = _messages(_plan(old, new))
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"plan.yaml:{where}: error: ") and messages[0].endswith("(MP102)"), messages
    assert f"the control character {char}" in messages[0] and "remove it" in messages[0], messages
    assert "\x1b" not in messages[0] and "\u202e" not in messages[0]


def test_tabs_and_line_breaks_in_text_are_fine() -> None:
    text = _plan("promise: Better tests.", "promise: |\n    Better\ttests,\n    on two lines.")
    text = _plan("statement: The test offer for test people.", 'statement: "The test\\toffer\\nfor test people."', text)
    report = api.validate(text=text, name="plan.yaml")
    assert report.ok, report.findings
    assert report.plan.message.promise == "Better\ttests,\non two lines."


def test_crlf_line_endings_still_load() -> None:
    text = _plan("promise: Better tests.", "promise: |\n    Better tests,\n    on two lines.").replace("\n", "\r\n")
    report = api.validate(text=text, name="plan.yaml")
    assert report.ok, report.findings
    assert report.plan.message.promise == "Better tests,\non two lines."


# --- 6. YAML 1.1 does not rewrite text -------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "1:20",
        "0777",
        "0x1F",
        "0o17",
        "1_000",
        ".inf",
        "-.inf",
        ".NaN",
        "1.0e+5",
        "+12",
        "yes",
        "No",
        "on",
        "OFF",
        "12.50",
        "2027",
    ],
)
def test_a_text_field_keeps_the_characters_written(written: str) -> None:
    report = api.validate(text=_plan("title: Test plan", f"title: {written}"), name="plan.yaml")
    assert report.ok, report.findings
    assert report.plan.plan.title == written
    assert report.plan.message.promise == "Better tests."


def test_numbers_in_number_fields_keep_their_value() -> None:
    text = _plan("cost: 500", "cost: 0x1F").replace("cost: 350", "cost: 1_000.5")
    text = text.replace("target: 500", "target: 1:20")
    report = api.validate(text=text, name="plan.yaml")
    assert report.plan is not None, report.findings
    assert report.plan.means[0].cost == 31 and report.plan.means[1].cost == Decimal("1000.5")
    assert report.plan.objectives[0].target == 80
    assert type(report.plan.means[0].cost) is Decimal


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        ("- id: ads", "- id: 0777", "26:9", "1st means, id: YAML reads 0777 as a number: write id: '0777' in quotes"),
        ("- id: ads", "- id: 2027", "26:9", "1st means, id: YAML reads 2027 as a number: write id: '2027' in quotes"),
        (
            "objectives: [grow]",
            "objectives: [0x1F]",
            "30:18",
            "means 'ads' (1st action), 1st objective: YAML reads 0x1F as a number: write '0x1F' in quotes",
        ),
    ],
)
def test_an_id_that_yaml_reads_as_a_number_must_be_quoted(old: str, new: str, where: str, words: str) -> None:
    messages = _messages(_plan(old, new))
    assert any(m.startswith(f"plan.yaml:{where}: error: {words}") for m in messages), messages


def test_a_quoted_numeric_id_is_fine() -> None:
    text = _plan("- id: ads", "- id: '0777'").replace("{means: ads,", "{means: '0777',")
    report = api.validate(text=text, name="plan.yaml")
    assert report.ok, report.findings
    assert report.plan.means[0].id == "0777"
