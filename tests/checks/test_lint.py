"""`validate` as a linter: severity control, output formats, the rule list and the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app
from mixplan.loading import reader as loader
from mixplan.outputs.findings import FileResult, github_lines, json_text, text_lines
from mixplan.plan.schema import SCHEMA_FILE_NAME, plan_schema

from ..conftest import ASSETS, EXAMPLES, ROOT

BROKEN = ASSETS / "broken"
UNSCHEDULED = BROKEN / "means-unscheduled.yaml"  # one warning, MP301
BUDGET_OVER = BROKEN / "budget-over.yaml"  # one error, MP201


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


# --- severity control ---------------------------------------------------------------


def test_warnings_pass_unless_strict() -> None:
    assert invoke("validate", UNSCHEDULED).exit_code == 0
    result = invoke("validate", "--strict", UNSCHEDULED)
    assert result.exit_code == 1, result.output
    assert "(MP301)" in result.output


def test_ignore_option_silences_a_rule() -> None:
    result = invoke("validate", "--strict", "--ignore", "MP301", UNSCHEDULED)
    assert result.exit_code == 0, result.output
    assert "MP301" not in result.output


def test_ignore_accepts_commas_and_lower_case() -> None:
    result = invoke(
        "validate", "--strict", "--ignore", "mp403,MP301", UNSCHEDULED, BROKEN / "objective-no-baseline.yaml"
    )
    assert result.exit_code == 0, result.output


def test_unused_ignore_is_a_warning_and_fails_strict() -> None:
    result = invoke("validate", "--ignore", "MP201", UNSCHEDULED)
    assert result.exit_code == 0
    assert "--ignore MP201 matched nothing in the files checked (MP111)" in result.output
    assert invoke("validate", "--strict", "--ignore", "MP201", UNSCHEDULED).exit_code == 1


@pytest.mark.parametrize(
    ("rule_id", "words"),
    [
        ("MP999", "there is no rule MP999"),
        ("MP101", "MP101 unknown-key cannot be ignored"),
        ("budget", "there is no rule BUDGET"),
    ],
)
def test_ignore_refuses_unknown_and_unignorable_rules(rule_id: str, words: str) -> None:
    result = invoke("validate", "--ignore", rule_id, UNSCHEDULED)
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output


def test_an_error_cannot_be_hidden_by_ignoring_another_rule() -> None:
    result = invoke("validate", "--ignore", "MP301", BUDGET_OVER)
    assert result.exit_code == 1
    assert "(MP201)" in result.output


def test_ignored_error_rule_lets_the_plan_pass() -> None:
    report = mixplan.validate(BUDGET_OVER, ignore=["MP201"])
    assert report.ok and report.findings == []
    assert "MP201" in report.fired


def test_worst_exit_code_wins_over_many_files(tmp_path: Path) -> None:
    clean = EXAMPLES[0]
    assert invoke("validate", clean, UNSCHEDULED).exit_code == 0
    assert invoke("validate", clean, BUDGET_OVER, UNSCHEDULED).exit_code == 1
    assert invoke("validate", clean, BUDGET_OVER, tmp_path / "missing.yaml").exit_code == 2


def test_unknown_output_format_is_a_usage_error() -> None:
    result = invoke("validate", "--format", "xml", UNSCHEDULED)
    assert result.exit_code == 2
    assert "unknown format 'xml': use text, json, github" in result.output


# --- output formats, exactly -----------------------------------------------------------


def _findings_of(*paths: Path) -> list[dict[str, Any]]:
    items = []
    for path in paths:
        for f in mixplan.validate(path).findings:
            items.append(
                {
                    "file": str(path),
                    "line": f.line,
                    "column": f.column,
                    "rule": f.rule,
                    "name": mixplan.RULES[f.rule].name,
                    "severity": f.severity,
                    "message": f.message,
                }
            )
    return items


def test_json_format_lists_every_finding_of_every_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = invoke("validate", "--format", "json", BUDGET_OVER, UNSCHEDULED, missing)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    expected = _findings_of(BUDGET_OVER, UNSCHEDULED) + [
        {
            "file": str(missing),
            "line": None,
            "column": None,
            "rule": "MP001",
            "name": "unreadable-file",
            "severity": "error",
            "message": f"{missing}: no such file",
        }
    ]
    assert data == expected
    assert data[0]["rule"] == "MP201" and data[0]["line"] == 23 and data[0]["column"] == 10


def test_json_format_of_a_clean_plan_is_an_empty_list() -> None:
    result = invoke("validate", "--format", "json", EXAMPLES[0])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_github_format_line_by_line() -> None:
    result = invoke("validate", "--format", "github", BUDGET_OVER, UNSCHEDULED)
    assert result.exit_code == 1
    over = mixplan.validate(BUDGET_OVER).findings[0].message
    assert result.stdout.splitlines() == [
        f"::error file={BUDGET_OVER},line=23,col=10,title=MP201 budget-over::{over}",
        f"::warning file={UNSCHEDULED},line=33,col=9,title=MP301 means-unscheduled::"
        "means 'promo' is never scheduled: add {means: promo, start: ..., end: ...} to schedule",
    ]


def test_github_format_escapes_what_would_break_a_workflow_command() -> None:
    finding = mixplan.Finding("a,b:c.yaml", 3, 4, "MP102", "error", "50% off\nnext line")
    lines = github_lines([FileResult("a,b:c.yaml", [finding])])
    assert lines == ["::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=MP102 invalid-value::50%25 off%0Anext line"]


def test_text_format_groups_by_file_with_a_summary_each() -> None:
    result = invoke("validate", BUDGET_OVER, UNSCHEDULED)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{BUDGET_OVER}:23:10: error: ")
    assert lines[1] == f"{BUDGET_OVER}: 1 error, 0 warnings"
    assert lines[2].startswith(f"{UNSCHEDULED}:33:9: warning: ")
    assert lines[3].startswith(f"{UNSCHEDULED}: ok, ")
    assert len(lines) == 4


def test_quiet_prints_nothing_for_clean_plans() -> None:
    result = invoke("validate", "--quiet", *EXAMPLES)
    assert result.exit_code == 0
    assert result.stdout == ""
    noisy = invoke("validate", "-q", UNSCHEDULED)
    assert "(MP301)" in noisy.stdout and "ok" in noisy.stdout


def test_text_format_is_plain_when_piped() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mixplan", "validate", str(BUDGET_OVER)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1
    assert "\x1b[" not in completed.stdout


def test_text_format_is_coloured_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from mixplan.cli import commands as cli

    monkeypatch.setattr(cli, "_colour_wanted", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = invoke("validate", BUDGET_OVER)
    assert result.exit_code == 1
    assert "\x1b[" in result.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert f"{BUDGET_OVER}:23:10: error: " in plain and "(MP201)" in plain


def test_text_lines_skip_unreadable_files_which_go_to_stderr(tmp_path: Path) -> None:
    assert text_lines([FileResult("x.yaml", unreadable="x.yaml: no such file")]) == []
    result = invoke("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"mixplan: {tmp_path / 'nope.yaml'}: no such file"


def test_json_text_is_valid_json_for_awkward_messages() -> None:
    finding = mixplan.Finding("plan é.yaml", 1, 2, "MP100", "error", 'quote " and \\ backslash')
    assert json.loads(json_text([FileResult("plan é.yaml", [finding])]))[0]["message"] == 'quote " and \\ backslash'


# --- every problem at once ---------------------------------------------------------


def test_a_plan_with_many_problems_shows_them_all(write_plan) -> None:
    text = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("total: 1000", "total: 700").replace("baseline: 100", "baseline: 900")
    text = text.replace("  - {means: promo, start: 2027-02-01, end: 2027-02-28}\n", "")
    path = write_plan(text)
    result = invoke("validate", "--format", "json", path)
    rules = sorted(item["rule"] for item in json.loads(result.stdout))
    assert rules == ["MP201", "MP301", "MP408"]


# --- a near-miss key always gets a suggestion ---------------------------------------


def _near_misses(key: str) -> st.SearchStrategy[str]:
    drop = st.integers(0, len(key) - 1).map(lambda i: key[:i] + key[i + 1 :])
    double = st.integers(0, len(key) - 1).map(lambda i: key[:i] + key[i] + key[i:])
    swap = st.integers(0, len(key) - 2).map(lambda i: key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    return st.one_of(drop, double, swap).filter(lambda k: k != key and len(k) >= 3)


_MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
_RENAMABLE = sorted({m.group(1) for m in re.finditer(r"^\s*-?\s*([a-z_]{5,}):", _MINIMAL, re.MULTILINE)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_renaming_a_key_to_a_near_miss_gets_a_suggestion(data) -> None:
    key = data.draw(st.sampled_from(_RENAMABLE))
    typo = data.draw(_near_misses(key))
    lines = _MINIMAL.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if re.match(rf"^\s*-?\s*{key}:", line)]
    index = data.draw(st.sampled_from(candidates))
    lines[index] = re.sub(rf"\b{key}:", f"{typo}:", lines[index], count=1)
    report = mixplan.validate(text="".join(lines), name="typo.yaml")
    unknown = [f for f in report.findings if f.rule == "MP101"]
    assert unknown, report.findings
    assert any(f"(did you mean '{key}'?)" in f.message and f.line == index + 1 for f in unknown), unknown


# --- the rule list ------------------------------------------------------------------


def test_rules_command_lists_every_rule() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == sorted(mixplan.RULES)
    assert re.search(r"^MP201\s+budget-over\s+error\s+Means, budget lines", result.stdout, re.MULTILINE)


def test_rules_command_json_and_markdown() -> None:
    rows = json.loads(invoke("rules", "--format", "json").stdout)
    assert {row["id"] for row in rows} == set(mixplan.RULES)
    mp301 = next(row for row in rows if row["id"] == "MP301")
    assert mp301 == {
        "id": "MP301",
        "name": "means-unscheduled",
        "severity": "warning",
        "ignorable": True,
        "summary": "A means that never appears in the schedule.",
        "fix": "Add `{means: ID, start: ..., end: ...}` to `schedule`.",
    }
    assert next(row for row in rows if row["id"] == "MP101")["ignorable"] is False
    assert "| MP301 | means-unscheduled | warning, ignorable |" in invoke("rules", "--format", "md").stdout
    assert invoke("rules", "--format", "pdf").exit_code == 2


def test_every_rule_says_how_to_fix_it() -> None:
    assert all(rule.summary and rule.fix for rule in mixplan.RULES.values())


def test_readme_links_the_rule_list() -> None:
    assert "docs/rules.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_pre_commit_hook_runs_mixplan_validate() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "mixplan-validate")
    assert hook["entry"].startswith("mixplan validate")
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("plans/spring-plan.yaml") and pattern.search("plan.yml")
    assert not pattern.search(".github/workflows/ci.yaml")


# --- the JSON Schema ------------------------------------------------------------------


def _as_json(value: Any) -> Any:
    """Loaded YAML as JSON types, which is what an editor validates against the schema."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _validator() -> jsonschema.Draft202012Validator:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _schema_errors(path: Path) -> list[str]:
    document = loader.load(path)
    return [error.message for error in _validator().iter_errors(_as_json(document.data))]


def _starters() -> list[tuple[str, str]]:
    from mixplan.outputs.starter import starter_text

    return [(lang, starter_text(lang)) for lang in ("en", "fr")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate_against_the_schema(example: Path) -> None:
    assert _schema_errors(example) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_init_output_validates_against_the_schema(tmp_path: Path, lang: str) -> None:
    plan = tmp_path / "plan.yaml"
    assert invoke("init", plan, "--lang", lang).exit_code == 0
    assert _schema_errors(plan) == []
    written = json.loads((tmp_path / SCHEMA_FILE_NAME).read_text(encoding="utf-8"))
    assert written == plan_schema()
    assert plan.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}\n")


# Broken plans whose problem is one of shape, which a schema can express.
SHAPE_BROKEN = [
    "unknown-key",
    "unknown-section",
    "comma-in-flow-text",
    "amount-with-currency",
    "unknown-channel",
    "id-not-slug",
    "impossible-date",
    "number-as-date",
    "bad-month",
    "format-version",
    "missing-currency",
    "means-without-objective",
]


@pytest.mark.parametrize("name", SHAPE_BROKEN)
def test_schema_rejects_what_the_models_reject(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    assert not mixplan.validate(path).ok
    assert _schema_errors(path), f"the schema accepts {name}"


def test_every_field_has_a_description() -> None:
    schema = plan_schema()
    missing = []
    for model_name, model in schema["$defs"].items():
        for key, prop in model.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{model_name}.{key}")
    missing += [key for key, prop in schema["properties"].items() if not prop.get("description")]
    assert missing == []


def _comment_blocks(text: str) -> dict[str, list[str]]:
    """For each key of the starter plan, the comment above it or at its end of line."""
    blocks: dict[str, list[str]] = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^\s*(?:- )?([a-z_]+):([^#]*)(?:#(.*))?$", line)
        if not match:
            continue
        above = []
        j = index - 1
        while j >= 0 and lines[j].strip().startswith("#"):
            above.insert(0, lines[j].strip().lstrip("#").strip())
            j -= 1
        comment = " ".join(above) or (match.group(3) or "").strip()
        if comment:
            blocks.setdefault(match.group(1), []).append(" ".join(comment.split()).lower())
    return blocks


def test_descriptions_use_the_words_of_init_comments() -> None:
    """Hover help in an editor says what the starter plan's comment says."""
    from mixplan.plan.model import Plan

    blocks = _comment_blocks(dict(_starters())["en"])
    schema = plan_schema()
    descriptions: dict[str, set[str]] = {}
    for model in [schema, *schema["$defs"].values()]:
        for key, prop in model.get("properties", {}).items():
            descriptions.setdefault(key, set()).add(prop["description"].lower().rstrip("."))
    assert set(Plan.model_fields) <= set(descriptions)
    unmatched = [
        key
        for key, comments in blocks.items()
        if key in descriptions
        and not any(description in comment for description in descriptions[key] for comment in comments)
    ]
    assert len(blocks) > 40
    assert unmatched == []


def test_schema_command_prints_and_writes_the_schema(tmp_path: Path) -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == plan_schema()
    out = tmp_path / "s.json"
    assert invoke("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == plan_schema()


def test_init_keeps_a_schema_file_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / SCHEMA_FILE_NAME
    foreign.write_text('{"mine": true}\n', encoding="utf-8")
    assert invoke("init", tmp_path / "plan.yaml").exit_code == 0
    assert foreign.read_text(encoding="utf-8") == '{"mine": true}\n'


def test_init_refusal_writes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("mine\n", encoding="utf-8")
    result = invoke("init", plan)
    assert result.exit_code == 2
    assert plan.read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / SCHEMA_FILE_NAME).exists()


@pytest.mark.skipif(shutil.which("mixplan") is None, reason="console script not installed")
def test_schema_through_the_console_script() -> None:
    completed = subprocess.run(["mixplan", "schema"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["title"] == "mixplan plan file, format 1"


def test_schema_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("schema", "-o", tmp_path / "nope" / "s.json")
    assert result.exit_code == 2
    assert f"the folder {tmp_path / 'nope'} does not exist" in result.output
    assert "Traceback" not in result.output


def test_init_refreshes_a_stale_schema_it_wrote(tmp_path: Path) -> None:
    stale = tmp_path / SCHEMA_FILE_NAME
    stale.write_text('{"$comment": "generated by mixplan 0.0.1"}\n', encoding="utf-8")
    assert invoke("init", tmp_path / "plan.yaml").exit_code == 0
    assert json.loads(stale.read_text(encoding="utf-8")) == plan_schema()
