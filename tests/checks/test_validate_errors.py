"""Every kind of problem `validate` reports, on a small broken plan each.

Each file in assets/broken is assets/minimal.yaml with one mistake. The
table says exactly where mixplan must point, with which rule, what it must
say, and the exit code of `mixplan validate`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

BROKEN = Path(__file__).parents[1] / "assets" / "broken"

# name: (exit code, [(line, column, severity, rule, words the message must hold)])
CASES: dict[str, tuple[int, list[tuple[int, int, str, str, str]]]] = {
    "unknown-key": (1, [(32, 5, "error", "MP101", "unknown key 'costt' in means[0] (did you mean 'cost'?)")]),
    "logo-missing": (1, [(8, 9, "error", "MP112", "plan.logo 'brand/logo.svg': there is no such file in the plan's")]),
    "unknown-section": (1, [(22, 1, "error", "MP101", "unknown key 'budgets' in the plan (did you mean 'budget'?)")]),
    "comma-in-flow-text": (1, [(26, 20, "error", "MP101", "put the whole text in quotes")]),
    "amount-with-currency": (1, [(39, 11, "error", "MP102", "means[1].cost: '12 000 €' is not a number")]),
    "unknown-channel": (
        1,
        [
            (
                28,
                14,
                "error",
                "MP102",
                "'socials' is not a channel name (did you mean 'social'?); run `mixplan channels`",
            )
        ],
    ),
    "id-not-slug": (1, [(26, 9, "error", "MP102", "'Search Ads' is not a valid id")]),
    "impossible-date": (
        1,
        [(16, 15, "error", "MP102", "'2027-02-30' is not a valid date: that day or month does not exist")],
    ),
    "number-as-date": (1, [(16, 15, "error", "MP102", "objectives[0].deadline: '2027' is not a valid date")]),
    "bad-month": (1, [(45, 25, "error", "MP102", "expected a month written YYYY-MM (like 2027-02), got 2027-13")]),
    "format-version": (1, [(1, 10, "error", "MP102", "this file declares format 2, but this mixplan reads format 1")]),
    "missing-currency": (
        1,
        [(3, 3, "error", "MP103", "plan: missing required key 'currency' (currency of every amount in this file")],
    ),
    "duplicate-key": (1, [(33, 5, "error", "MP104", "duplicate key 'cost' (first written at line 32, column 5)")]),
    "duplicate-means-id": (1, [(33, 9, "error", "MP105", "id 'ads' is already used by the 1st means")]),
    "unknown-objective-id": (
        1,
        [(37, 18, "error", "MP106", "no objective has the id 'growth' (did you mean 'grow'?)")],
    ),
    "unknown-means-in-schedule": (
        1,
        [
            (33, 9, "warning", "MP301", "means 'promo' is never scheduled"),
            (42, 13, "error", "MP106", "no means has the id 'promos' (did you mean 'promo'?)"),
        ],
    ),
    "unknown-means-in-results": (1, [(45, 13, "error", "MP106", "no means has the id 'add' (did you mean 'ads'?)")]),
    "unknown-target-in-message": (
        1,
        [(23, 5, "error", "MP106", "no target has the id 'local' (did you mean 'locals'?)")],
    ),
    "unknown-segment": (
        1,
        [(20, 14, "error", "MP106", "no segment has the id 'town'; known segment ids: none defined")],
    ),
    "other-without-p": (1, [(35, 14, "error", "MP107", "add p: product, price, place or promotion")]),
    "python-tag": (1, [(3, 10, "error", "MP108", "the YAML tag !!python/object:os.system is not allowed")]),
    "means-without-objective": (1, [(37, 17, "error", "MP109", "a means must serve at least one objective")]),
    "unclosed-quote": (1, [(44, 1, "error", "MP100", "while scanning a quoted scalar at line 3, column 10")]),
    "tab-indent": (1, [(4, 1, "error", "MP100", "indent with spaces")]),
    "empty-file": (1, [(1, 1, "error", "MP100", "the file holds no plan")]),
    "budget-over": (
        1,
        [
            (
                23,
                10,
                "error",
                "MP201",
                "planned spending 950 EUR (means 850 EUR + lines 0 EUR + reserve 100 EUR) exceeds the budget of 900 EUR by 50 EUR",
            )
        ],
    ),
    "date-outside-period": (
        1,
        [(41, 42, "error", "MP302", "end 2027-07-15 is outside the plan's period (2027-01-01 to 2027-06-30)")],
    ),
    "end-before-start": (1, [(42, 44, "error", "MP303", "'promo' ends (2027-02-01) before it starts (2027-02-28)")]),
    "period-reversed": (1, [(7, 36, "error", "MP303", "the plan ends (2027-01-01) before it starts (2027-06-30)")]),
    "deadline-outside-period": (1, [(16, 15, "error", "MP401", "deadline 2027-12-31 is outside the plan's period")]),
    # Warnings: the plan is still valid.
    "budget-unallocated": (0, [(23, 10, "warning", "MP202", "1,050 EUR (52 %) of the budget is not allocated")]),
    "means-unscheduled": (0, [(33, 9, "warning", "MP301", "means 'promo' is never scheduled")]),
    "objective-unserved": (0, [(17, 9, "warning", "MP402", "no means serves objective 'loyalty'")]),
    "objective-no-baseline": (0, [(11, 9, "warning", "MP403", "objective 'grow' has no baseline")]),
    "rate-above-one": (
        0,
        [(34, 31, "warning", "MP404", "a ctr target of 3 is outside 0-1: rates are fractions, so write 0.03 for 3 %")],
    ),
    "target-unreached": (0, [(20, 9, "warning", "MP405", "no means reaches target 'tourists'")]),
    "results-outside-period": (0, [(45, 25, "warning", "MP501", "month 2027-08 is outside the plan's period")]),
    "risk-unmitigated": (
        0,
        [(48, 13, "warning", "MP611", "the risk 'Supplier goes bust' has a high impact but no mitigation: add a")],
    ),
    "next-step-outside-period": (
        0,
        [
            (45, 54, "warning", "MP612", "dated 2026-12-15, 17 days before the plan starts on 2027-01-01: correct"),
            (47, 44, "warning", "MP612", "dated 2027-07-15, 15 days after the plan ends on 2027-06-30: correct the"),
        ],
    ),
    # Checks of plan format 1 beyond the contract's list, and the lint settings.
    "lint-unknown-rule": (
        1,
        [
            (45, 12, "error", "MP110", "there is no rule MP999"),
            (45, 19, "warning", "MP111", "MP301 is ignored but finds nothing in this plan"),
        ],
    ),
    "lint-cannot-ignore": (1, [(45, 12, "error", "MP110", "MP101 unknown-key cannot be ignored")]),
    "lint-ignore-unused": (0, [(45, 12, "warning", "MP111", "MP301 is ignored but finds nothing in this plan")]),
    "lint-ignore-used": (0, []),  # promo is unscheduled, but MP301 is ignored
    "means-overspent": (0, [(32, 11, "warning", "MP203", "'ads' has spent 560 EUR according to results, 60 EUR over")]),
    "schedule-same-start": (0, [(48, 25, "warning", "MP304", "all 3 scheduled means start on 2027-01-10")]),
    "means-after-deadline": (0, [(42, 27, "warning", "MP305", "'promo' starts on 2027-02-01, after the deadline")]),
    "message-variant-missing": (0, [(20, 9, "warning", "MP406", "target 'tourists' has no message variant")]),
    "target-negative": (1, [(34, 34, "error", "MP407", "a clicks target of -50 is negative")]),
    "objective-no-progress": (
        0,
        [(14, 13, "warning", "MP408", "targets 500 against a baseline of 600, a step backwards")],
    ),
    "measure-mismatch": (1, [(17, 14, "error", "MP409", "signups is a count, not a rate: write measure: total")]),
    "window-outside-period": (
        1,
        [(17, 11, "error", "MP410", "starts counting on 2027-05-01, after its deadline 2027-04-30")],
    ),
    "results-not-running": (0, [(45, 27, "warning", "MP502", "results for 'promo' in 2027-04, a month in which")]),
    "results-duplicate-row": (1, [(46, 25, "error", "MP503", "the 1st results row already holds 'ads' for 2027-02")]),
    "attributed-above-measured": (
        0,
        [(18, 7, "warning", "MP504", "the 2 actions serving 'grow' account for 55 of signups, more than the 40")],
    ),
    "objective-unmeasured": (
        0,
        [(13, 13, "warning", "MP505", "no results row holds signups, and objective 'grow' has no measured figures")],
    ),
    "measured-outside-window": (
        1,
        [(19, 17, "error", "MP506", "month 2027-02 is outside the window of 'grow' (2027-03-01 to 2027-06-30)")],
    ),
    "measured-duplicate-month": (
        1,
        [(19, 17, "error", "MP507", "the 1st measured figure already holds 2027-02: keep one figure per month")],
    ),
    # YAML traps of hand-written (French) plans, in plain words with the fix.
    "colon-in-text": (
        1,
        [
            (
                22,
                21,
                "error",
                "MP100",
                "this text contains ': ' (a colon followed by a space), which YAML reads as the start of a new key: "
                'put the whole text in double quotes: tagline: "Respirez : on s\'occupe du reste."',
            )
        ],
    ),
    "apostrophe-in-single-quotes": (
        1,
        [
            (
                28,
                13,
                "error",
                "MP100",
                "the apostrophe inside this text ends the single quotes around it: put the text in double quotes "
                "(name: \"L'annonce du quartier\") or write the apostrophe twice (name: 'L''annonce du quartier')",
            )
        ],
    ),
    "missing-space-after-colon": (
        1,
        [
            (
                36,
                10,
                "error",
                "MP100",
                "'owner:Thomas' has no space after the colon, so YAML reads it as one piece of text, not the key "
                "'owner': add a space after the colon: owner: Thomas",
            )
        ],
    ),
    "indented-off-by-one": (
        1,
        [
            (
                4,
                4,
                "error",
                "MP100",
                "'client' is indented 1 space more than 'title' (line 3, 2 spaces) above it: keys of one mapping "
                "start in the same column, so remove 1 space before 'client'",
            )
        ],
    ),
    "hash-in-text": (
        0,
        [
            (
                28,
                33,
                "warning",
                "MP113",
                "the text stops at '#': YAML reads '#1' as a comment, so the text is only 'Fiche Google Business': "
                "quote it to keep '#1': name: \"Fiche Google Business #1\"",
            )
        ],
    ),
    "list-reads-as-sentence": (
        0,
        [
            (
                22,
                36,
                "warning",
                "MP114",
                "the list item 'et fiable' starts with 'et', as if these 3 items were one sentence cut at its commas: "
                "if it is one text, put it in quotes ([\"rapide, pas cher, et fiable\"]); if it is a list, remove 'et'",
            )
        ],
    ),
    "percentage-in-rate": (
        1,
        [(36, 17, "error", "MP102", "means[0].kpis[0].target: '3,5 %' is not a number: write 0.035 for 3,5 %")],
    ),
    "amount-written-in-french": (
        1,
        [(40, 11, "error", "MP102", "means[1].cost: '1 234,56 €' is not a number: write 1234.56: a plain number")],
    ),
    "channel-synonym": (
        1,
        [
            (
                29,
                14,
                "error",
                "MP102",
                "'instagram' is not a channel name (did you mean 'social_ads' (paid ads on social networks) or "
                "'social' (your own posts, unpaid)?); run `mixplan channels` to see them all",
            )
        ],
    ),
    "metric-synonym": (
        1,
        [
            (
                13,
                13,
                "error",
                "MP102",
                "'taux de clic' is not a metric name (did you mean 'ctr'?); run `mixplan metrics` to see them all",
            )
        ],
    ),
    # --- 6xx: the forecast before launch (issue 20)
    "forecast-short": (
        0,
        [(14, 13, "warning", "MP621", "objective 'grow' needs 500 signups by 2027-06-30; its means forecast 200: ")],
    ),
    "forecast-unreachable": (
        0,
        [
            (
                32,
                18,
                "warning",
                "MP622",
                "'ads' serves objective 'grow', but its forecast cannot reach new customers: "
                "add an assumption for conversion_rate (under assumptions, or in its funnel)",
            ),
            (39, 18, "warning", "MP622", "add an assumption for cpc, or for cpm and ctr (under assumptions"),
        ],
    ),  # fmt: skip
    "phasing-not-cost": (
        1,
        [(33, 14, "error", "MP623", "the months of 'ads' add up to 400 EUR, 100 EUR short of its cost of 500 EUR")],
    ),
    "assumption-unused": (
        0,
        [(26, 10, "warning", "MP624", "no means uses assumption 'cpc-tv': no means is on channel TV; remove it")],
    ),
    "rate-assumption-out-of-range": (
        1,
        [
            (
                26,
                48,
                "error",
                "MP625",
                "a conversion rate of 2.5 is over 1: rates are fractions, so write 0.025 for 2.5 %",
            )
        ],
    ),
    "journey-stage-empty": (
        0,
        [
            (
                13,
                13,
                "warning",
                "MP601",
                "objective 'grow' counts new customers, a result of the conversion stage, but no means serving it is "
                "placed on that stage (ads on awareness, promo on awareness): write stage: conversion on the one that "
                "works there, or add such a means",
            )
        ],
    ),
    "means-without-responsible": (
        0,
        [
            (
                35,
                9,
                "warning",
                "MP602",
                "means 'promo' names no responsible while 1 other means does: add responsible: who does the work "
                "(its owner is Sam: responsible: Sam, if they do it)",
            )
        ],
    ),
    "unknown-persona-channel": (
        1,
        [
            (
                21,
                28,
                "error",
                "MP102",
                "targets[0].channels[1]: 'socials' is not a channel name (did you mean 'social'?); "
                "run `mixplan channels` to see them all",
            )
        ],
    ),
}


def test_every_rule_has_a_broken_plan() -> None:
    from mixplan.checks.rules import RULES

    covered = {rule for _, expected in CASES.values() for _, _, _, rule, _ in expected}
    # MP001 is about the file, not its content: tests/cli/test_cli.py covers it.
    assert sorted(set(RULES) - covered - {"MP001"}) == []


def test_every_broken_file_has_a_case() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_finding_position_rule_and_message(name: str) -> None:
    _, expected = CASES[name]
    report = mixplan.validate(
        BROKEN / f"{name}.yaml", lang="en"
    )  # some plans are French: their words are checked in English here
    found = [(f.line, f.column, f.severity, f.rule) for f in report.findings]
    assert found == [(line, column, severity, rule) for line, column, severity, rule, _ in expected], report.findings
    for finding, (*_, words) in zip(report.findings, expected, strict=True):
        assert words in finding.message


# A person reads the place in words; the data paths above stay in the findings' message (and JSON).
READ_AS = {
    "means[1].cost": "means 'promo' (2nd action), cost",
    "plan: missing": "plan details: missing",
    "objectives[0].deadline": "objective 'grow' (1st objective), deadline",
    "means[0].kpis[0].target": "means 'annonces' (1st action), 1st KPI, target",
    "in means[0] (": "in means 'ads' (1st action) (",
    "targets[0].channels[1]": "target 'locals' (1st target), channels (2nd entry)",
}


def _as_read(name: str, words: str) -> str:
    if name == "amount-written-in-french":
        return words.replace("means[1].cost", "means 'remise' (2nd action), cost")
    for path, place in READ_AS.items():
        words = words.replace(path, place)
    return words


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_prints_location_and_exits(name: str) -> None:
    exit_code, expected = CASES[name]
    path = BROKEN / f"{name}.yaml"
    result = CliRunner().invoke(app, ["validate", "--lang", "en", str(path)])
    assert result.exit_code == exit_code, result.output
    for line, column, severity, rule, words in expected:
        assert f"{path}:{line}:{column}: {severity}: " in result.output
        assert f"({rule})" in result.output
        assert _as_read(name, words) in result.output
    assert "Traceback" not in result.output


def test_messages_carry_no_pydantic_jargon() -> None:
    jargon = ("Input should", "validation error", "pydantic", "model_type", "Field required", "[type=")
    for name in CASES:
        for finding in mixplan.validate(BROKEN / f"{name}.yaml").findings:
            assert not any(word in finding.message for word in jargon), (name, finding.message)
