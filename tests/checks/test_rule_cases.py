"""Every rule, three ways: a plan that fires it, the nearest plan that does not, and the edge between them.

Each case starts from tests/assets/minimal.yaml (which passes every rule) and
changes one thing. A fail case states the finding it expects (severity, the
line it points at, the words that explain it); pass and boundary cases state
that the rule stays quiet (a boundary case is the last plan that passes, or
the first that fails, at a threshold). `test_every_rule_has_its_cases` reads
the registry, so a new rule cannot be added without its cases here.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import mixplan
from mixplan.checks import ignore, structure
from mixplan.checks.rules import RULES, SAME_START_MINIMUM, UNALLOCATED_WARNING_SHARE
from mixplan.loading import reader

from ..conftest import ASSETS
from .test_rule_boundaries import CASES as boundary_cases

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
BASE: dict[str, Any] = yaml.safe_load(MINIMAL)
D = dt.date


class _Dumper(yaml.SafeDumper):
    """Amounts written as the exact decimals they are (a float would round 400.01)."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))

Change = Callable[[dict[str, Any]], None]


def plan(*changes: Change) -> str:
    """The minimal plan with `changes` applied, as YAML text."""
    data = copy.deepcopy(BASE)
    for change in changes:
        change(data)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False)


def text(old: str, new: str) -> str:
    """The minimal plan's text with `old` (found once) replaced: for what the dict cannot say (YAML itself)."""
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def put(*path_and_value: Any) -> Change:
    """Set the value at a path: put("budget", "total", 900)."""
    *path, key, value = path_and_value

    def change(data: dict[str, Any]) -> None:
        holder = data
        for part in path:
            holder = holder[part]
        holder[key] = value

    return change


def drop(*path: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        holder = data
        for part in path[:-1]:
            holder = holder[part]
        del holder[path[-1]]

    return change


def add(section: str, *items: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data.setdefault(section, []).extend(copy.deepcopy(list(items)))

    return change


def budget(total: str, reserve: str, ads: str, promo: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["budget"].update(total=Decimal(total), reserve=Decimal(reserve))
        data["means"][0]["cost"] = Decimal(ads)
        data["means"][1]["cost"] = Decimal(promo)

    return change


def results(*rows: dict[str, Any]) -> Change:
    return add("results", *rows)


def third_means(start: dt.date) -> Change:
    """A free third means, scheduled from `start` to the end of June."""
    return add_both(
        {"id": "news", "name": "Newsletter", "channel": "newsletter", "approach": "relational",
         "objectives": ["grow"], "targets": ["locals"], "cost": 0},
        {"means": "news", "start": start, "end": D(2027, 6, 30)},
    )  # fmt: skip


def add_both(means: dict[str, Any], flight: dict[str, Any]) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["means"].append(copy.deepcopy(means))
        data["schedule"].append(copy.deepcopy(flight))

    return change


def starts(*days: dt.date) -> Change:
    """The first flights of the plan's means start on `days`, in order."""

    def change(data: dict[str, Any]) -> None:
        flights = [entry for entry in data["schedule"] if "means" in entry]
        for entry, day in zip(flights, days):
            entry["start"] = day

    return change


def lint_ignore(*rule_ids: str) -> Change:
    return put("lint", {"ignore": list(rule_ids)})


def measured(*figures: tuple[str, int]) -> Change:
    return put("objectives", 0, "measured", [{"month": month, "value": value} for month, value in figures])


def many_targets(count: int) -> Change:
    """`count` more targets, t01, t02...: id lists long enough to be cut short in messages."""
    return add("targets", *({"id": f"t{number:02}", "name": f"Group {number}"} for number in range(1, count + 1)))


def second_target(**fields: Any) -> Change:
    """A second target, `pros`, reached by the promo."""

    def change(data: dict[str, Any]) -> None:
        data["targets"].append({"id": "pros", "name": "Professionals", **fields})
        data["means"][1]["targets"].append("pros")

    return change


class FileAt:
    """Not a plan text but a path to validate: what MP001 is about (the file itself)."""

    def __init__(self, make: Callable[[Path], Path]) -> None:
        self.make = make


@dataclass(frozen=True)
class Fires:
    """A fail case's finding: its severity, a piece of the line it points at, and words of its message."""

    severity: str
    at: str | None
    words: str


@dataclass(frozen=True)
class Case:
    rule: str
    kind: str  # "fail", "pass" or "boundary"
    name: str
    source: str | FileAt
    expect: Fires | None = None  # a boundary that fails states its finding too


def fail(rule: str, name: str, source: str | FileAt, severity: str, at: str | None, words: str) -> Case:
    return Case(rule, "fail", name, source, Fires(severity, at, words))


def passes(rule: str, name: str, source: str | FileAt) -> Case:
    return Case(rule, "pass", name, source)


def edge(rule: str, name: str, source: str | FileAt, fires: Fires | None = None) -> Case:
    return Case(rule, "boundary", name, source, fires)


def findings(source: str | FileAt, tmp_path: Path) -> tuple[list[mixplan.Finding], list[str]]:
    """The findings, and the lines of the text they point into."""
    if isinstance(source, FileAt):
        path = source.make(tmp_path)
        try:
            report = mixplan.validate(path)
        except mixplan.UnreadableFile as error:
            # What `validate --format json` reports for it: MP001, with no line.
            return [mixplan.Finding(str(path), 0, 0, "MP001", "error", error.message)], []
        return report.findings, path.read_text(encoding="utf-8").splitlines()
    return mixplan.validate(text=source, name="plan.yaml").findings, source.splitlines()


FEBRUARY = "2027-02"
HALF = str(Decimal(1000) * UNALLOCATED_WARNING_SHARE)  # 10 % of the minimal plan's total

CASES: list[Case] = [
    # --- loading: the file and its YAML ----------------------------------------------------------
    fail("MP001", "a folder instead of a file", FileAt(lambda tmp: tmp), "error", None, "is a directory, not a plan file"),
    fail("MP001", "a file that is not UTF-8", FileAt(lambda tmp: _written(tmp, MINIMAL.encode("utf-16"))),
         "error", None, "UTF-8"),
    passes("MP001", "the minimal plan as a UTF-8 file", FileAt(lambda tmp: _written(tmp, MINIMAL.encode()))),
    fail("MP100", "an unclosed bracket", text("  reserve: 100\n", "  reserve: [100\n"), "error", None,
         "invalid YAML"),
    fail("MP100", "comments only", "# nothing yet\n", "error", None, "no plan"),
    passes("MP100", "the minimal plan", MINIMAL),
    edge("MP100", "a comment line before the plan", "# a plan\n" + MINIMAL),
    fail("MP104", "budget.total twice", text("  total: 1000\n", "  total: 1000\n  total: 900\n"), "error",
         "total: 900", "total"),
    passes("MP104", "the minimal plan", MINIMAL),
    edge("MP104", "the same key in two mappings", text("  reserve: 100\n", "  reserve: 100\n  lines: [{name: total, cost: 0}]\n")),
    fail("MP108", "a tag of its own", text("  total: 1000\n", "  total: !money 1000\n"), "error", "total:",
         "the YAML tag !money is not allowed"),
    edge("MP108", "a core scalar tag", text("  total: 1000\n", "  total: !!str 1000\n")),
    passes("MP108", "the minimal plan", MINIMAL),
    edge("MP108", "an anchor and its alias, used once",
         text("  promise: Better tests.\n", "  promise: &promise Better tests.\n  tagline: *promise\n")),
    # --- structure: keys, values, links ----------------------------------------------------------
    fail("MP101", "a misspelt key", plan(put("means", 0, "costt", 1)), "error", "costt",
         "unknown key 'costt' in means[0] (did you mean 'cost'?)"),
    passes("MP101", "the minimal plan", plan()),
    edge("MP101", "`from`, a key written differently from its attribute", plan(put("objectives", 0, "from", D(2027, 1, 1)))),
    fail("MP102", "an amount with a currency sign", plan(put("budget", "total", "12 000 €")), "error", "total:",
         "budget.total: '12 000 €' is not a number"),
    passes("MP102", "the minimal plan", plan()),
    edge("MP102", "an amount of exactly 0", plan(put("budget", "reserve", 0))),
    edge("MP102", "an amount a cent below 0", plan(put("budget", "reserve", Decimal("-0.01"))),
         Fires("error", "reserve:", "must be 0 or more")),
    fail("MP103", "an objective without a deadline", plan(drop("objectives", 0, "deadline")), "error", "id: grow",
         "objectives[0]: missing required key 'deadline'"),
    passes("MP103", "the minimal plan", plan()),
    edge("MP103", "an optional key left out", plan(drop("objectives", 0, "baseline"))),
    fail("MP109", "a means serving no objective", plan(put("means", 0, "objectives", [])), "error", "objectives: []",
         "a means must serve at least one objective"),
    passes("MP109", "the minimal plan", plan()),
    # --- 1xx: ids and references -----------------------------------------------------------------
    fail("MP105", "two means with one id", plan(put("means", 1, "id", "ads")), "error", "id: ads",
         "id 'ads' is already used by the 1st means"),
    passes("MP105", "the minimal plan", plan()),
    fail("MP105", "two objectives with one id",
         plan(add("objectives", {"id": "grow", "statement": "Grow more", "metric": "sales", "target": 9,
                                 "baseline": 1, "deadline": D(2027, 6, 30)})),
         "error", "id: grow", "id 'grow' is already used by the 1st objective"),
    fail("MP105", "two segments with one id",
         plan(put("context", {"segments": [{"id": "town", "name": "Town"}, {"id": "town", "name": "Old town"}]})),
         "error", "id: town", "id 'town' is already used by the 1st segment"),
    edge("MP105", "one id in two different lists",
         plan(put("objectives", 0, "id", "locals"), put("means", 0, "objectives", ["locals"]),
              put("means", 1, "objectives", ["locals"]))),
    fail("MP106", "a means serving an unknown objective", plan(put("means", 0, "objectives", ["growth"])), "error",
         "growth", "no objective has the id 'growth' (did you mean 'grow'?); known objective ids: grow"),
    fail("MP106", "a message variant for an unknown target", plan(put("message", "by_target", {"local": "Hi"})),
         "error", "local:", "no target has the id 'local'"),
    passes("MP106", "the minimal plan", plan()),
    fail("MP106", "a segment when none is defined", plan(put("targets", 0, "segment", "town")), "error",
         "segment: town", "no segment has the id 'town'; known segment ids: none defined"),
    fail("MP106", "an unknown target among 13 known", plan(many_targets(12), put("means", 0, "targets", ["nobody"])),
         "error", "nobody", "known target ids: locals, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, ..."),
    edge("MP106", "a message variant for a known target", plan(put("message", "by_target", {"locals": "Hi"}))),
    fail("MP107", "channel other without a P", plan(put("means", 0, "channel", "other")), "error", "channel: other",
         "has no default P"),
    passes("MP107", "channel other with its P", plan(put("means", 0, "channel", "other"), put("means", 0, "p", "promotion"))),
    fail("MP112", "a logo the plan's folder does not hold",
         FileAt(lambda folder: _written(folder, text("  currency: EUR\n", "  currency: EUR\n  logo: logo.png\n").encode())),
         "error", "logo.png", "logo.png"),
    passes("MP112", "a PNG logo beside the plan", FileAt(lambda folder: _with_logo(folder, b"\x89PNG\r\n\x1a\n" + bytes(64)))),
    edge("MP112", "a logo of exactly 512 KB", FileAt(lambda folder: _with_logo(folder, b"\x89PNG\r\n\x1a\n" + bytes(512 * 1024 - 8)))),
    fail("MP113", "a text cut at '#'", text("    name: Search ads\n", "    name: Search ads #1\n"), "warning", "#1",
         "#1"),
    passes("MP113", "a comment after a space", text("    name: Search ads\n", "    name: Search ads # our best\n")),
    edge("MP113", "a '#' in quoted text", text("    name: Search ads\n", '    name: "Search ads #1"\n')),
    fail("MP114", "a list whose last item starts with 'and'",
         text("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [fast, cheap, and reliable]\n"),
         "warning", "proof_points", "and reliable"),
    passes("MP114", "a list of separate points",
           text("  promise: Better tests.\n", "  promise: Better tests.\n  proof_points: [fast, cheap]\n")),
    edge("MP114", "a linking word inside quotes",
         text("  promise: Better tests.\n", '  promise: Better tests.\n  proof_points: [fast, "and reliable"]\n')),
    fail("MP110", "an id no rule has", plan(lint_ignore("MP999")), "error", "MP999", "there is no rule MP999"),
    passes("MP110", "an empty ignore list", plan(lint_ignore())),
    fail("MP110", "a rule id one digit off", plan(lint_ignore("MP310")), "error", "MP310",
         "there is no rule MP310 (did you mean 'MP410'?)"),
    edge("MP110", "a rule that stops the plan from being read", plan(lint_ignore("MP100")),
         Fires("error", "MP100", "MP100 yaml-syntax cannot be ignored")),
    edge("MP110", "MP111 itself, which may be silenced", plan(lint_ignore("MP111"))),
    fail("MP111", "ignoring a rule that finds nothing", plan(lint_ignore("MP301")), "warning", "MP301",
         "MP301 is ignored but finds nothing in this plan: remove it from lint.ignore"),
    passes("MP111", "ignoring a rule that fires", plan(lint_ignore("MP301"), drop("schedule", 1))),
    # --- 2xx: budget -----------------------------------------------------------------------------
    fail("MP201", "a cent over the total", plan(budget("1000", "100", "500", "400.01")), "error", "total:",
         "planned spending 1,000.01 EUR (means 900.01 EUR + lines 0 EUR + reserve 100 EUR) exceeds the budget of "
         "1,000 EUR by 0.01 EUR"),
    passes("MP201", "the minimal plan", plan()),
    edge("MP201", "spending exactly the total", plan(budget("1000", "100", "500", "400"))),
    fail("MP202", "a cent more than 10 % unallocated", plan(budget("1000", "100", "500", "299.99")), "warning",
         "total:", "100.01 EUR (10 %) of the budget is not allocated"),
    passes("MP202", "the minimal plan", plan()),
    edge("MP202", "exactly 10 % unallocated", plan(budget("1000", "100", "500", str(1000 - 100 - 500 - Decimal(HALF))))),
    edge("MP202", "a budget of 0", plan(budget("0", "0", "0", "0"))),
    fail("MP203", "a cent over the means' cost", plan(results({"means": "ads", "month": FEBRUARY, "spend": Decimal("500.01")})),
         "warning", "cost: 500", "'ads' has spent 500.01 EUR according to results, 0.01 EUR over its planned cost"),
    fail("MP203", "two rows adding up to more", plan(results({"means": "ads", "month": "2027-01", "spend": 300},
                                                             {"means": "ads", "month": FEBRUARY, "spend": 201})),
         "warning", "cost: 500", "'ads' has spent 501 EUR"),
    passes("MP203", "spend under the cost", plan(results({"means": "ads", "month": FEBRUARY, "spend": 400}))),
    edge("MP203", "spend exactly the cost", plan(results({"means": "ads", "month": FEBRUARY, "spend": 500}))),
    # --- 3xx: schedule and dates -----------------------------------------------------------------
    fail("MP301", "a means never scheduled", plan(drop("schedule", 1)), "warning", "id: promo",
         "means 'promo' is never scheduled: add {means: promo, start: ..., end: ...} to schedule"),
    passes("MP301", "the minimal plan", plan()),
    fail("MP302", "a flight ending the day after the period", plan(put("schedule", 0, "end", D(2027, 7, 1))), "error",
         "end: 2027-07-01", "end 2027-07-01 is outside the plan's period (2027-01-01 to 2027-06-30)"),
    fail("MP302", "a milestone the day before the period", plan(put("schedule", 2, "date", D(2026, 12, 31))),
         "error", "date: 2026-12-31", "milestone date 2026-12-31 is outside the plan's period"),
    passes("MP302", "the minimal plan", plan()),
    edge("MP302", "a flight on the period's first and last days",
         plan(put("schedule", 0, "start", D(2027, 1, 1)), put("schedule", 0, "end", D(2027, 6, 30)))),
    edge("MP302", "a milestone on the period's last day", plan(put("schedule", 2, "date", D(2027, 6, 30)))),
    fail("MP303", "a flight ending the day before it starts", plan(put("schedule", 0, "end", D(2027, 1, 9))),
         "error", "end: 2027-01-09", "'ads' ends (2027-01-09) before it starts (2027-01-10)"),
    fail("MP303", "a period ending before it starts", plan(put("plan", "period", {"start": D(2027, 6, 30), "end": D(2027, 1, 1)})),
         "error", "end: 2027-01-01", "the plan ends (2027-01-01) before it starts (2027-06-30)"),
    passes("MP303", "the minimal plan", plan()),
    edge("MP303", "a one-day flight", plan(put("schedule", 0, "end", D(2027, 1, 10)))),
    edge("MP303", "a one-day period", plan(put("plan", "period", {"start": D(2027, 1, 1), "end": D(2027, 1, 1)}))),
    fail("MP304", f"all {SAME_START_MINIMUM} means starting on one day",
         plan(third_means(D(2027, 2, 1)), starts(D(2027, 2, 1), D(2027, 2, 1))), "warning", "start: 2027-02-01",
         "all 3 scheduled means start on 2027-02-01: stagger them"),
    passes("MP304", "three means, staggered", plan(third_means(D(2027, 3, 1)))),
    edge("MP304", f"{SAME_START_MINIMUM - 1} means starting on one day", plan(starts(D(2027, 2, 1), D(2027, 2, 1)))),
    fail("MP305", "a means starting after its objective's deadline", plan(put("objectives", 0, "deadline", D(2027, 1, 31))),
         "warning", "start: 2027-02-01",
         "'promo' starts on 2027-02-01, after the deadline of every objective it serves (the latest is 2027-01-31)"),
    passes("MP305", "the minimal plan", plan()),
    edge("MP305", "a means starting on its objective's deadline", plan(put("objectives", 0, "deadline", D(2027, 2, 1)))),
    edge("MP305", "a means whose earlier flight is listed second",
         plan(put("objectives", 0, "deadline", D(2027, 1, 31)), put("schedule", 1, "start", D(2027, 3, 1)),
              put("schedule", 1, "end", D(2027, 3, 31)),
              add("schedule", {"means": "promo", "start": D(2027, 1, 20), "end": D(2027, 1, 30)}))),
    edge("MP305", "a means whose later flight is listed second",
         plan(put("objectives", 0, "deadline", D(2027, 2, 15)),
              add("schedule", {"means": "promo", "start": D(2027, 3, 1), "end": D(2027, 3, 31)}))),
    # --- 4xx: objectives, targets and KPIs -------------------------------------------------------
    fail("MP401", "a deadline the day after the period", plan(put("objectives", 0, "deadline", D(2027, 7, 1))),
         "error", "deadline: 2027-07-01", "deadline 2027-07-01 is outside the plan's period"),
    fail("MP401", "a deadline the day before the period", plan(put("objectives", 0, "deadline", D(2026, 12, 31))),
         "error", "deadline: 2026-12-31", "deadline 2026-12-31 is outside"),
    passes("MP401", "the minimal plan", plan()),
    edge("MP401", "a deadline on the period's first day", plan(put("objectives", 0, "deadline", D(2027, 1, 1)))),
    fail("MP402", "an objective no means serves",
         plan(add("objectives", {"id": "keep", "statement": "Keep them", "metric": "sales", "target": 10,
                                 "baseline": 5, "deadline": D(2027, 6, 30)})),
         "warning", "id: keep", "no means serves objective 'keep'"),
    passes("MP402", "the minimal plan", plan()),
    fail("MP403", "an objective without a baseline", plan(drop("objectives", 0, "baseline")), "warning", "id: grow",
         "objective 'grow' has no baseline: give today's value of signups"),
    passes("MP403", "the minimal plan", plan()),
    edge("MP403", "a baseline of 0", plan(put("objectives", 0, "baseline", 0))),
    fail("MP404", "a rate target over 1", plan(put("objectives", 0, "metric", "ctr"), put("objectives", 0, "target", 2),
                                               drop("objectives", 0, "baseline")),
         "warning", "target: 2", "a ctr target of 2 is outside 0-1: rates are fractions, so write 0.02 for 2 %"),
    fail("MP404", "a KPI rate under 0", plan(put("means", 0, "kpis", [{"metric": "ctr", "target": Decimal("-0.1")}])),
         "warning", "target: -0.1", "a ctr target cannot be negative"),
    passes("MP404", "a rate target of 0.02",
           plan(put("means", 0, "kpis", [{"metric": "ctr", "target": Decimal("0.02")}]))),
    edge("MP404", "a rate target of 0", plan(put("means", 0, "kpis", [{"metric": "ctr", "target": 0}]))),
    edge("MP404", "a rate target of 1", plan(put("means", 0, "kpis", [{"metric": "ctr", "target": 1}]))),
    edge("MP404", "a count target over 1 (not a rate)", plan(put("means", 0, "kpis", [{"metric": "clicks", "target": 2}]))),
    fail("MP405", "a target no means reaches", plan(add("targets", {"id": "pros", "name": "Professionals"})),
         "warning", "id: pros", "no means reaches target 'pros'"),
    passes("MP405", "the minimal plan", plan()),
    fail("MP406", "a message variant for one target of two",
         plan(second_target(), put("message", "by_target", {"locals": "Hi"})), "warning", "id: pros",
         "target 'pros' has no message variant while 1 other target(s) have one: add message.by_target.pros"),
    passes("MP406", "a variant for every target",
           plan(second_target(), put("message", "by_target", {"locals": "Hi", "pros": "Hello"}))),
    edge("MP406", "variants keyed only by an unknown id", plan(second_target(), put("message", "by_target", {"nobody": "Hi"}))),
    fail("MP407", "a count target below 0", plan(put("objectives", 0, "target", -1), drop("objectives", 0, "baseline")),
         "error", "target: -1", "a signups target of -1 is negative, and signups is never below zero"),
    passes("MP407", "the minimal plan", plan()),
    edge("MP407", "a count target of 0", plan(put("objectives", 0, "target", 0), drop("objectives", 0, "baseline"))),
    edge("MP407", "a negative ROI target", plan(put("objectives", 0, "metric", "roi"), put("objectives", 0, "target", -1),
                                               drop("objectives", 0, "baseline"))),
    fail("MP408", "a target below the baseline", plan(put("objectives", 0, "target", 99)), "warning", "target: 99",
         "objective 'grow' targets 99 against a baseline of 100, a step backwards since for signups higher is better"),
    fail("MP408", "a cost per result target above the baseline",
         plan(put("objectives", 0, "metric", "cpl"), put("objectives", 0, "target", 12),
              put("objectives", 0, "baseline", 10)),
         "warning", "target: 12", "a step backwards since for cpl lower is better"),
    passes("MP408", "the minimal plan", plan()),
    edge("MP408", "a target one above the baseline", plan(put("objectives", 0, "target", 101))),
    edge("MP408", "a target equal to the baseline", plan(put("objectives", 0, "target", 100)),
         Fires("warning", "target: 100", "objective 'grow' targets 100, its baseline: it asks for no progress")),
    edge("MP408", "a spend target below its baseline (no better direction)",
         plan(put("objectives", 0, "metric", "spend"), put("objectives", 0, "target", 50))),
    fail("MP409", "a count measured as a rate", plan(put("objectives", 0, "measure", "rate")), "error", "measure: rate",
         "signups is a count, not a rate"),
    fail("MP409", "a computed metric measured as a total",
         plan(put("objectives", 0, "metric", "roi"), put("objectives", 0, "measure", "total")), "error",
         "measure: total", "roi is worked out from other counts, so it cannot be a total"),
    passes("MP409", "a count measured as a level", plan(put("objectives", 0, "measure", "level"))),
    fail("MP410", "a window opening before the period", plan(put("objectives", 0, "from", D(2026, 12, 31))),
         "error", "from: 2026-12-31", "from 2026-12-31 is outside the plan's period"),
    fail("MP410", "a window opening the day after its deadline",
         plan(put("objectives", 0, "deadline", D(2027, 5, 31)), put("objectives", 0, "from", D(2027, 6, 1))),
         "error", "from: 2027-06-01", "objective 'grow' starts counting on 2027-06-01, after its deadline 2027-05-31"),
    passes("MP410", "a window from the period's start", plan(put("objectives", 0, "from", D(2027, 1, 1)))),
    edge("MP410", "a window opening on its deadline", plan(put("objectives", 0, "from", D(2027, 6, 30)))),
    # --- 5xx: results ----------------------------------------------------------------------------
    fail("MP501", "results the month after the period", plan(results({"means": "ads", "month": "2027-07", "clicks": 1})),
         "warning", "2027-07", "month 2027-07 is outside the plan's period"),
    fail("MP501", "results the month before the period", plan(results({"means": "ads", "month": "2026-12", "clicks": 1})),
         "warning", "2026-12", "month 2026-12 is outside"),
    passes("MP501", "results inside the period", plan(results({"means": "ads", "month": FEBRUARY, "clicks": 1}))),
    edge("MP501", "results in the period's first and last months",
         plan(results({"means": "ads", "month": "2027-01", "clicks": 1}, {"means": "ads", "month": "2027-06", "clicks": 1}))),
    fail("MP502", "results the month after a flight", plan(results({"means": "ads", "month": "2027-04", "clicks": 1})),
         "warning", "2027-04", "results for 'ads' in 2027-04, a month in which the schedule does not run it"),
    passes("MP502", "results in a month of the flight", plan(results({"means": "ads", "month": FEBRUARY, "clicks": 1}))),
    edge("MP502", "results in the flight's last month", plan(results({"means": "ads", "month": "2027-03", "clicks": 1}))),
    fail("MP502", "results the month before a flight", plan(results({"means": "promo", "month": "2027-01", "clicks": 1})),
         "warning", "2027-01", "results for 'promo' in 2027-01"),
    edge("MP502", "results in the month of a one-day flight",
         plan(put("schedule", 1, "end", D(2027, 2, 1)), add("schedule", {"means": "promo", "start": D(2027, 4, 1), "end": D(2027, 4, 30)}),
              results({"means": "promo", "month": FEBRUARY, "clicks": 1}))),
    fail("MP502", "results outside a flight listed after one that ends before it starts",
         plan(put("schedule", 0, "end", D(2027, 1, 9)), results({"means": "promo", "month": "2027-04", "clicks": 1})),
         "warning", "2027-04", "results for 'promo' in 2027-04"),
    edge("MP502", "results for an unscheduled means", plan(drop("schedule", 0), results({"means": "ads", "month": "2027-05", "clicks": 1}))),
    fail("MP503", "two rows for one means and month",
         plan(results({"means": "ads", "month": FEBRUARY, "clicks": 1}, {"means": "ads", "month": FEBRUARY, "clicks": 2})),
         "error", FEBRUARY, "the 1st results row already holds 'ads' for 2027-02: merge the two rows"),
    passes("MP503", "two months of one means",
           plan(results({"means": "ads", "month": FEBRUARY, "clicks": 1}, {"means": "ads", "month": "2027-03", "clicks": 2}))),
    edge("MP503", "two means in one month",
         plan(results({"means": "ads", "month": FEBRUARY, "clicks": 1}, {"means": "promo", "month": FEBRUARY, "clicks": 2}))),
    fail("MP504", "actions claiming one more than measured",
         plan(measured((FEBRUARY, 10)), results({"means": "ads", "month": FEBRUARY, "signups": 11})), "warning",
         "- month: 2027-02", "the action serving 'grow' account for 11 of signups, more than the 10 the business measured"),
    passes("MP504", "actions claiming less than measured",
           plan(measured((FEBRUARY, 10)), results({"means": "ads", "month": FEBRUARY, "signups": 9}))),
    edge("MP504", "actions claiming exactly what was measured",
         plan(measured((FEBRUARY, 10)), results({"means": "ads", "month": FEBRUARY, "signups": 10}))),
    fail("MP505", "results without the objective's counts", plan(results({"means": "ads", "month": FEBRUARY, "spend": 10})),
         "warning", "metric: signups", "no results row holds signups, and objective 'grow' has no measured figures"),
    passes("MP505", "results with the objective's counts", plan(results({"means": "ads", "month": FEBRUARY, "signups": 3}))),
    edge("MP505", "no results at all", plan()),
    edge("MP505", "the business's own figures instead", plan(measured((FEBRUARY, 10)), results({"means": "ads", "month": FEBRUARY, "spend": 10}))),
    fail("MP506", "a figure the month after the deadline",
         plan(put("objectives", 0, "deadline", D(2027, 5, 31)), measured(("2027-06", 10))), "error", "2027-06",
         "month 2027-06 is outside the window of 'grow' (2027-01-01 to 2027-05-31)"),
    passes("MP506", "a figure inside the window", plan(measured((FEBRUARY, 10)))),
    edge("MP506", "a figure in the deadline's month and the period's first", plan(measured(("2027-06", 10), ("2027-01", 5)))),
    fail("MP507", "two figures for one month", plan(measured((FEBRUARY, 10), (FEBRUARY, 12))), "error", FEBRUARY,
         "the 1st measured figure already holds 2027-02: keep one figure per month"),
    passes("MP507", "figures for two months", plan(measured((FEBRUARY, 10), ("2027-03", 12)))),
]  # fmt: skip


def _written(folder: Path, content: bytes) -> Path:
    path = folder / "plan.yaml"
    path.write_bytes(content)
    return path


def _with_logo(folder: Path, content: bytes) -> Path:
    (folder / "logo.png").write_bytes(content)
    return _written(folder, text("  currency: EUR\n", "  currency: EUR\n  logo: logo.png\n").encode())


def registered_ids() -> set[str]:
    """Every rule id: the registry's, plus those the loader, the structure check and ignore raise themselves."""
    raised = {
        value
        for module in (reader, structure, ignore)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith("MP")
    }
    return set(RULES) | raised


def test_every_rule_has_its_cases() -> None:
    kinds: dict[str, set[str]] = {}
    for case in CASES:
        kinds.setdefault(case.rule, set()).add(case.kind)
    # The forecast rules' cases are built on dicts in test_rule_boundaries.py ("MP621 fail: ...").
    for _, name, _, expected in boundary_cases:
        words = name.split(":")[0].split()
        if len(words) == 2 and words[0].startswith("MP"):
            kinds.setdefault(words[0], set()).add(words[1])
            kinds[words[0]].add("fail" if words[0] in expected else "pass")
    missing = {rule: sorted({"fail", "pass"} - kinds.get(rule, set())) for rule in sorted(registered_ids())}
    assert {rule: lacking for rule, lacking in missing.items() if lacking} == {}
    assert set(kinds) <= registered_ids(), "cases for a rule the registry does not know"


@pytest.mark.parametrize("case", CASES, ids=[f"{case.rule} {case.kind}: {case.name}" for case in CASES])
def test_rule_case(case: Case, tmp_path: Path) -> None:
    found, lines = findings(case.source, tmp_path)
    mine = [finding for finding in found if finding.rule == case.rule]
    if case.expect is None:
        assert mine == []
        return
    assert mine, f"{case.rule} did not fire; found: {[str(f) for f in found]}"
    finding = mine[0]
    assert finding.severity == case.expect.severity == RULES[case.rule].severity
    assert case.expect.words in finding.message
    if case.expect.at is not None:
        assert case.expect.at in lines[finding.line - 1], (finding, lines[finding.line - 1])
        assert finding.column >= 1
