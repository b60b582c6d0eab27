"""`mixplan channels` and `mixplan metrics`: the vocabularies a plan may use, in the user's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mixplan.cli import app
from mixplan.plan import vocab

ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
FRENCH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}


def _run(*arguments: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(arguments), env=env or ENGLISH)


def _rows(output: str) -> dict[str, list[str]]:
    lines = output.splitlines()
    return {line.split()[0]: [cell.strip() for cell in line.split("  ") if cell.strip()] for line in lines[1:]}


def test_channels_in_english() -> None:
    result = _run("channels")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["id", "Label", "Default", "P"]
    rows = _rows(result.output)
    assert list(rows) == list(vocab.CHANNELS)
    assert rows["social_ads"] == ["social_ads", "Social media ads", "Promotion"]
    assert rows["coupon"][-1] == "Price"
    assert rows["other"] == ["other", "Other", "none: set p:"]


def test_channels_follow_the_french_locale_and_lang() -> None:
    from_locale = _run("channels", env=FRENCH)
    assert from_locale.exit_code == 0, from_locale.output
    assert _rows(from_locale.output)["social_ads"] == [
        "social_ads",
        "Publicité sur les réseaux sociaux",
        "Communication",
    ]
    assert from_locale.output.splitlines()[0].split() == ["id", "Libellé", "P", "par", "défaut"]
    assert _run("channels", "--lang", "fr").output == from_locale.output
    assert _run("channels", "--lang", "en", env=FRENCH).output == _run("channels").output
    # LC_ALL overrides LANG, as for every program.
    assert _run("channels", env={**FRENCH, "LC_ALL": "en_GB.UTF-8"}).output == _run("channels").output


def test_metrics_with_unit_and_formula() -> None:
    result = _run("metrics")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert list(rows) == list(vocab.METRICS)
    assert rows["ctr"] == ["ctr", "Click-through rate (CTR)", "percent", "clicks ÷ impressions"]
    assert rows["clicks"] == ["clicks", "Clicks", "count", "measured (a column of results)"]
    assert rows["cac"][2:] == ["money", "spend ÷ new customers"]
    french = _rows(_run("metrics", "--lang", "fr").output)
    assert french["ctr"] == ["ctr", "Taux de clic (CTR)", "pourcentage", "clics ÷ impressions"]


def test_json_lists_every_id() -> None:
    channels = json.loads(_run("channels", "--format", "json").output)
    assert channels["language"] == "en"
    assert [row["id"] for row in channels["channels"]] == list(vocab.CHANNELS)
    assert {row["id"]: row["default_p"] for row in channels["channels"]} == vocab.CHANNEL_DEFAULT_P
    metrics = json.loads(_run("metrics", "--format", "JSON", "--lang", "fr").output)
    by_id = {row["id"]: row for row in metrics["metrics"]}
    assert by_id["roas"] == {
        "id": "roas",
        "label": "Retour sur dépenses publicitaires (ROAS)",
        "unit": "multiple",
        "formula": "chiffre d’affaires ÷ dépenses",
    }
    assert by_id["spend"]["formula"] is None


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["channels", "--lang", "de"], "mixplan: unknown language 'de': use en or fr"),
        (["metrics", "--format", "xml"], "mixplan: unknown format 'xml': use text or json"),
    ],
)
def test_bad_options_are_usage_errors(arguments: list[str], words: str) -> None:
    result = _run(*arguments)
    assert result.exit_code == 2
    assert result.output.strip() == words


def test_the_commands_are_listed_in_the_help() -> None:
    output = _run("--help").output
    assert "channels " in output and "metrics " in output


def test_a_real_process_lists_the_channels_and_loads_no_renderer() -> None:
    probe = (
        "import sys, json\nfrom mixplan.cli import main\nsys.argv = ['mixplan', 'channels', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "print(json.dumps([code, sorted(m for m in ('jinja2', 'babel', 'rich') if m in sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env={**os.environ, **FRENCH}
    )
    listing, tail = done.stdout.rsplit("\n[", 1)
    assert json.loads("[" + tail) == [0, []], done.stderr
    assert json.loads(listing)["language"] == "fr"
    command = subprocess.run(
        [sys.executable, "-m", "mixplan", "metrics", "--lang", "de"], capture_output=True, text=True, timeout=60
    )
    assert command.returncode == 2 and command.stderr == "mixplan: unknown language 'de': use en or fr\n"
