"""`mixplan results import` never loses a row, a link, an owner, a line ending or a byte-order mark."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

from ..conftest import ASSETS, ROOT

SOURCE = ROOT / "examples" / "en-b2b-saas.yaml"
ROW = "means,month,spend,clicks\ngoogle-search,2027-06,1234.56,410\n"
runner = CliRunner()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    target = tmp_path / "plan.yaml"
    target.write_bytes(SOURCE.read_bytes())
    return target


@pytest.fixture
def row(tmp_path: Path) -> Path:
    path = tmp_path / "row.csv"
    path.write_text(ROW, encoding="utf-8")
    return path


def _import(plan: Path, csv: Path):
    return runner.invoke(app, ["results", "import", str(plan), str(csv)])


def _june(path: Path):
    loaded = mixplan.validate(path)
    assert loaded.ok, [str(f) for f in loaded.findings]
    return [r for r in loaded.plan.results if r.means == "google-search" and f"{r.month:%Y-%m}" == "2027-06"]


@pytest.mark.slow
def test_eleven_imports_at_once_keep_every_row(plan: Path, tmp_path: Path) -> None:
    pairs = [
        (means, month)
        for means in ("google-search", "social-ads", "trade-guides", "trial-nurture")
        for month in ("06", "07", "08")
    ][:11]
    files = []
    for number, (means, month) in enumerate(pairs):
        path = tmp_path / f"row{number}.csv"
        path.write_text(f"means,month,spend\n{means},2027-{month},{100 + number}\n", encoding="utf-8")
        files.append(path)

    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mixplan", "results", "import", str(plan), str(path)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(process.wait(timeout=300), process.stderr.read()) for process in processes]

    assert all(code == 0 and "updated" in message for code, message in outcomes), outcomes
    results = mixplan.validate(plan).plan.results
    kept = {(r.means, f"{r.month:%Y-%m}"): r.spend for r in results}
    for number, (means, month) in enumerate(pairs):
        assert kept.get((means, f"2027-{month}")) == 100 + number, f"row {number} was lost"


def test_a_symlinked_plan_gets_the_rows_and_stays_a_link(plan: Path, row: Path, tmp_path: Path) -> None:
    link = tmp_path / "current.yaml"
    link.symlink_to(plan.name)

    result = _import(link, row)

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == plan.name
    assert [r.clicks for r in _june(plan)] == [410]


def test_a_hard_linked_plan_stays_one_file_with_its_owner_and_mode(plan: Path, row: Path, tmp_path: Path) -> None:
    other = tmp_path / "backup-name.yaml"
    os.link(plan, other)
    os.chown(plan, 1234, 5678)
    plan.chmod(0o640)

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    assert os.path.samefile(plan, other)
    status = plan.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode), status.st_nlink) == (1234, 5678, 0o640, 2)
    assert [r.clicks for r in _june(other)] == [410]


def test_a_replaced_plan_keeps_its_owner_and_group(plan: Path, row: Path) -> None:
    os.chown(plan, 1234, 5678)

    assert _import(plan, row).exit_code == 0

    assert (plan.stat().st_uid, plan.stat().st_gid) == (1234, 5678)


def test_crlf_line_endings_and_the_byte_order_mark_are_kept(plan: Path, row: Path) -> None:
    original = b"\xef\xbb\xbf" + SOURCE.read_bytes().replace(b"\n", b"\r\n")
    plan.write_bytes(original)

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    merged = plan.read_bytes()
    assert merged.startswith((b"\xef\xbb\xbfmixplan", b"\xef\xbb\xbf#"))
    assert merged.count(b"\n") == merged.count(b"\r\n") > 300
    head = original.split(b"\r\nresults:")[0]
    assert merged.startswith(head)
    assert [r.clicks for r in _june(plan)] == [410]


def test_a_plan_saved_as_json_is_merged_as_json(plan: Path, row: Path) -> None:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    plan.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False), encoding="utf-8")

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    merged = json.loads(plan.read_text(encoding="utf-8"))  # still JSON
    assert merged["results"][-1] == {"means": "google-search", "month": "2027-06", "spend": 1234.56, "clicks": 410}
    assert merged["results"][:-1] == data["results"]


def test_a_json_plan_without_results_gets_them(plan: Path, row: Path) -> None:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    del data["results"]
    plan.write_text(json.dumps(data, default=str), encoding="utf-8")

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    assert json.loads(plan.read_text(encoding="utf-8"))["results"] == [
        {"means": "google-search", "month": "2027-06", "spend": 1234.56, "clicks": 410}
    ]


def test_a_json_plan_on_one_line_longer_than_the_writers_width_stays_json(plan: Path, row: Path) -> None:
    # A plan exported as compact JSON is one line; the YAML writer folded it at
    # 4096 characters, inside a quoted text: still YAML, no longer JSON.
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    data["context"]["market"] = " ".join(["A market of tradespeople who still quote on paper."] * 120)
    plan.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert len(plan.read_text(encoding="utf-8")) > 8000

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    merged = json.loads(plan.read_text(encoding="utf-8"))  # still JSON
    assert merged["context"]["market"] == data["context"]["market"]
    assert merged["results"][-1] == {"means": "google-search", "month": "2027-06", "spend": 1234.56, "clicks": 410}


@pytest.mark.parametrize("has_results", [False, True])
def test_a_long_json_plan_stays_json_whatever_its_length(plan: Path, row: Path, has_results: bool) -> None:
    # json.dumps writes the plan on one line; a round trip through ruamel would cut it at
    # ruamel's line width (inside a text, which YAML reads back the same) and add the row as
    # YAML flow with bare keys: still the plan, but no longer JSON.
    data = yaml.safe_load((ASSETS / "minimal.yaml").read_text(encoding="utf-8"))
    data["positioning"]["statement"] = "A long positioning statement, said again and again. " * 120
    data["results"] = [{"means": "ads", "month": "2027-02", "spend": 100}] if has_results else []
    if not has_results:
        del data["results"]
    plan.write_text(json.dumps(data, default=str), encoding="utf-8")
    row.write_text("means,month,spend,clicks\nads,2027-03,1234.56,410\n", encoding="utf-8")

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    text = plan.read_text(encoding="utf-8")
    merged = json.loads(text)  # still JSON
    assert "\n" not in text.rstrip("\n")
    assert merged["positioning"]["statement"] == data["positioning"]["statement"]
    assert merged["results"][-1] == {"means": "ads", "month": "2027-03", "spend": 1234.56, "clicks": 410}


def test_a_tab_before_a_comment_is_kept(plan: Path, row: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace("\nresults:\n", "\nresults:\t# measured, from the agency\n")
    plan.write_text(text, encoding="utf-8")

    result = _import(plan, row)

    assert result.exit_code == 0, result.output
    merged = plan.read_text(encoding="utf-8")
    assert merged.startswith(text.rstrip("\n"))  # every byte kept, the row added at the end
    assert merged.endswith("  - {means: google-search, month: 2027-06, spend: 1234.56, clicks: 410}\n")
    assert [r.clicks for r in _june(plan)] == [410]


def test_a_replaced_row_in_a_tab_commented_plan(plan: Path, tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace("\nresults:\n", "\nresults:\t# measured\n")
    plan.write_text(text, encoding="utf-8")
    csv = tmp_path / "march.csv"
    csv.write_text("means,month,spend\nsocial-ads,2027-03,999\n", encoding="utf-8")

    result = _import(plan, csv)

    assert result.exit_code == 0, result.output
    assert "0 month(s) added, 1 replaced" in result.stderr
    assert "  - {means: social-ads, month: 2027-03, spend: 999}\n" in plan.read_text(encoding="utf-8")


def test_a_cell_over_the_csv_limit_names_its_row(plan: Path, tmp_path: Path) -> None:
    csv = tmp_path / "broken.csv"
    csv.write_text(
        'means,month,spend\ngoogle-search,2027-06,10\ngoogle-search,2027-07,"' + "9" * 140_000 + '"\n', encoding="utf-8"
    )

    result = _import(plan, csv)

    assert result.exit_code == 2, result.output
    assert (
        f"mixplan: {csv}:3: a cell of this row holds more than 131,072 characters; a results cell holds a name, "
        "a month or a number. Check that this is the right CSV file: a quote opened and never closed makes the rest of the file one cell"
    ) in result.stderr
    assert plan.read_bytes() == SOURCE.read_bytes()


def test_an_unclosed_quote_is_reported_at_the_row_where_it_opens(plan: Path, tmp_path: Path) -> None:
    csv = tmp_path / "broken.csv"
    rows = "".join(f"google-search,2027-06,{n}\n" for n in range(5))
    csv.write_text('means,month,spend\ngoogle-search,2027-06,"10\n' + rows * 10_000, encoding="utf-8")

    result = _import(plan, csv)

    assert result.exit_code == 2, result.output
    assert f"mixplan: {csv}:2: a cell of this row holds more than 131,072 characters" in result.stderr


def test_a_plan_changed_during_the_import_is_not_overwritten(plan: Path, row: Path, monkeypatch) -> None:
    from mixplan.workflows import results_import

    real_merge = results_import.merge_text

    def merge_while_an_editor_saves(text, rows):
        plan.write_text(text + "# saved by the editor meanwhile\n", encoding="utf-8")
        return real_merge(text, rows)

    monkeypatch.setattr(results_import, "merge_text", merge_while_an_editor_saves)
    result = _import(plan, row)

    assert result.exit_code == 2
    assert (
        f"mixplan: {plan}: was changed by another program during the import; nothing was written, run the import again"
        in result.stderr
    )
    assert plan.read_text(encoding="utf-8").endswith("# saved by the editor meanwhile\n")


def test_a_plan_no_editor_can_merge_is_refused_in_plain_words(plan: Path, row: Path, monkeypatch) -> None:
    from mixplan.workflows import results_import

    def ruamel_fails(_text, _rows):
        raise ValueError("a form ruamel cannot write")

    monkeypatch.setattr(results_import, "_round_trip_merge", ruamel_fails)
    monkeypatch.setattr(results_import, "_edit_spans", lambda _text, _rows: None)

    result = _import(plan, row)

    assert result.exit_code == 2, result.output
    assert (
        "mixplan: the results cannot be added while keeping the plan's layout; nothing was written. Write the plan's "
        "results section in block style (results: then one '- {means: ..., month: ...}' row per line) and import again"
    ) in result.stderr
    assert plan.read_bytes() == SOURCE.read_bytes()
