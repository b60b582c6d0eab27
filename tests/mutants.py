"""A small mutation run: hand-made mutants of the rules and metrics, each run against the tests that should kill it.

    python -m tests.mutants            # every mutant; prints killed/survived and the score
    python -m tests.mutants MP202      # those whose name contains MP202

Each mutant changes one expression in a copy of the source tree (the working
tree is never touched) and runs the named tests there; a mutant is killed
when they fail. docs/testing.md records the last score.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RULE_TESTS = ["tests/checks", "tests/checks/test_lint.py", "tests/checks/test_validate_errors.py"]
METRIC_TESTS = [
    "tests/views/test_metrics.py",
    "tests/views/test_measure.py",
    "tests/views/test_progress.py",
    "tests/outputs/test_status.py",
]

# (name, file under src/mixplan, text, mutated text, tests)
MUTANTS = [
    # The eight that once survived the whole suite (issue 17).
    ("MP202 > becomes >=", "checks/rules.py", "if left > budget.total * UNALLOCATED_WARNING_SHARE:",
     "if left >= budget.total * UNALLOCATED_WARNING_SHARE:", RULE_TESTS),
    ("MP408 equal branch dropped", "checks/rules.py", "        if target == baseline:\n            yield",
     "        if False:\n            yield", RULE_TESTS),
    ("MP302 milestones not checked", "checks/rules.py", "        elif not period.start <= entry.date <= period.end:",
     "        elif False:", RULE_TESTS),
    ("MP404 negative rates accepted", "checks/rules.py", "if metric in vocab.RATES and not 0 <= target <= 1:",
     "if metric in vocab.RATES and not target <= 1:", RULE_TESTS),
    ("alias-bomb limit x100", "loading/reader.py",
     "limit = max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * len(distinct))",
     "limit = 100 * max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * len(distinct))", ["tests/loading"]),
    ("results import splice unchecked", "workflows/results_import.py",
     "return spliced if pyyaml.safe_load(spliced) == pyyaml.safe_load(dumped) else dumped", "return spliced",
     ["tests/workflows"]),
    ("diff drops renamed budget lines", "views/diff.py", '        result.other_sections.append("budget lines")',
     "        pass", ["tests/views"]),
    ("':' left raw in Mermaid text", "outputs/mermaid.py", '_MERMAID_SPECIAL = re.compile(r"[:;#%<>{}`\\"\\\\]")',
     '_MERMAID_SPECIAL = re.compile(r"[;#%<>{}`\\"\\\\]")', ["tests/outputs/test_mermaid_text.py"]),
    # More of the rules.
    ("MP201 > becomes >=", "checks/rules.py", "    if planned > budget.total:", "    if planned >= budget.total:",
     RULE_TESTS),
    ("MP202 share 10 % becomes 20 %", "checks/rules.py", 'UNALLOCATED_WARNING_SHARE = Decimal("0.10")',
     'UNALLOCATED_WARNING_SHARE = Decimal("0.20")', RULE_TESTS),
    ("MP302 means end not checked", "checks/rules.py", '            for name in ("start", "end"):',
     '            for name in ("start",):', RULE_TESTS),
    ("MP404 rate of exactly 1 refused", "checks/rules.py", "not 0 <= target <= 1:", "not 0 <= target < 1:",
     RULE_TESTS),
    ("MP408 direction ignored", "checks/rules.py", "elif (target > baseline) if lower_wins else (target < baseline):",
     "elif target < baseline:", RULE_TESTS),
    ("MP301 never fires", "checks/rules.py", "        if item.id not in scheduled:", "        if False:", RULE_TESTS),
    # And of the metrics.
    ("ratio divides by zero as None dropped", "views/metrics.py",
     "if numerator is None or denominator is None or denominator == 0:",
     "if numerator is None or denominator is None:", METRIC_TESTS),
    ("roi margin becomes revenue", "views/metrics.py", "else revenue - spend", "else revenue", METRIC_TESTS),
    ("cpm per thousand dropped", "views/metrics.py", "else 1000 * spend", "else spend", METRIC_TESTS),
    ("conversion rate over clicks first", "views/metrics.py", '_first("sessions", "clicks")',
     '_first("clicks", "sessions")', METRIC_TESTS),
    ("total counts a missing count as 0", "views/metrics.py", "        return summed if found else None",
     "        return summed", METRIC_TESTS),
    ("total keeps rows lacking a part", "views/metrics.py", "        if top is None or bottom is None:\n            continue",
     "        if top is None and bottom is None:\n            continue", METRIC_TESTS),
]  # fmt: skip


def run(name: str, relative: str, text: str, mutated: str, tests: list[str], copy: Path) -> bool:
    """True when the tests kill the mutant."""
    source = copy / "src" / "mixplan" / relative
    original = source.read_text(encoding="utf-8")
    if original.count(text) != 1:
        raise SystemExit(f"{name}: the text to mutate is not found once in {relative}")
    source.write_text(original.replace(text, mutated), encoding="utf-8")
    try:
        env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow and not browser",
        ]
        done = subprocess.run([*command, *tests], cwd=copy, env=env, capture_output=True, text=True, check=False)
        return done.returncode != 0
    finally:
        source.write_text(original, encoding="utf-8")


def main(selected: str = "") -> int:
    chosen = [m for m in MUTANTS if selected in m[0]]
    with tempfile.TemporaryDirectory(prefix="mixplan-mutants-") as folder:
        copy = Path(folder)
        for part in ("src", "tests", "templates", "examples", "docs", "benchmarks"):
            shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
        killed = 0
        for name, relative, text, mutated, tests in chosen:
            started = time.monotonic()
            dead = run(name, relative, text, mutated, tests, copy)
            killed += dead
            print(f"{'killed  ' if dead else 'SURVIVED'} {name} ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"mutation score: {killed}/{len(chosen)} killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
