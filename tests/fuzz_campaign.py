"""A long fuzz campaign: mutated plans through every command, replayed through the CLI when one fails.

Each case is made from a seed, so a failure is reproduced by its number
alone. A case passes when every stage answers with findings or a
`MixplanError` (never another exception) within the time bound. Stages, in
the order a user meets them: validate, then for a valid plan render (md and
html), status (terminal text and JSON), export (csv, ics, xlsx) and diff
against the plan the case was made from.

Run it (two worker processes, 40,000 plans, about a quarter of an hour here):

    python -m tests.fuzz_campaign --plans 40000 --workers 2

Failures are written to `fuzz-failures/` (one YAML file per seed, named by
seed), then replayed through `python -m mixplan` in real processes, whose
exit codes and any traceback are printed. CI runs a slice of it from
tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# A stage slower than this on one plan is a failure (the bound).
CASE_SECONDS = 5.0
# A worker silent for this long is stuck in one case: it is killed and the case counted as a hang.
HANG_SECONDS = 30.0

# Values a careless or hostile author writes; each once reached an exit 3, a hang or a corrupt output somewhere.
HOSTILE_SCALARS = [
    "1.0e+99999999",
    "1.0e-999999999",
    "1.0e-999999",
    "1e400",
    "-1e400",
    "9" * 400,
    "0." + "0" * 400 + "1",
    ".nan",
    ".inf",
    "-.inf",
    "0x1F",
    "0777",
    "1:20",
    "1_000",
    "0b101",
    "+12",
    "-0",
    "1e-7",
    "9999-12-31",
    "0001-01-01",
    "2027-02-29",
    "2027-13-01",
    "2027-00-10",
    "10000-01-01",
    '"\\e[2J\\e]52;c;aGk=\\a"',
    '"a\\rb"',
    '"\\x00nul"',
    '"\\u202Eevil"',
    '"line\\u2028sep"',
    '"\\x7f"',
    '\'=HYPERLINK("http://x","y")\'',
    "'+cmd|'' /C calc''!A0'",
    "'@SUM(1+1)'",
    "'-2+3'",
    "Title injected",
    "Section x",
    "dateFormat YYYY",
    "'Click & collect : #1 ; %% no'",
    "'excludes weekends'",
    "'<script>alert(1)</script>'",
    "'{{ 7*7 }}'",
    "'{% include \"/etc/passwd\" %}'",
    "'[x](javascript:alert(1))'",
    "'# heading'",
    "'---'",
    "'| a | b |'",
    "'`code`'",
    "'<!-- c -->'",
    "'BEGIN:VEVENT'",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "~",
    "''",
    "' '",
    "x" * 5000,
    "é" * 300,
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "&a 1",
    "*a",
    "!!python/object/apply:os.system ['true']",
]

_TEXT_INSERTS = [
    "-5",
    "x",
    ": ",
    "[",
    "'",
    "1e400",
    "\t",
    "é",
    "{",
    "#",
    "&x ",
    "*x",
    "!!str ",
    "\\",
    '"',
    "\r",
    "\x1b[2J",
]


def line_mutation(text: str, rng: random.Random, count: int) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(count):
        if not lines:
            break
        index = rng.randrange(len(lines))
        choice = rng.randrange(6)
        if choice == 0:
            del lines[index]
        elif choice == 1:
            lines.insert(index, lines[rng.randrange(len(lines))])
        elif choice == 2:
            column = rng.randrange(len(lines[index]) + 1)
            lines[index] = lines[index][:column] + rng.choice(_TEXT_INSERTS) + lines[index][column:]
        elif choice == 3:
            old, new = rng.choice(
                [("2027", "2026"), ("2027", "9999"), ("id", "Id"), (": ", ":"), ("-", "- -"), ("0", "1e99")]
            )
            lines[index] = lines[index].replace(old, new, 1)
        elif choice == 4:
            lines[index] = "  " + lines[index]
        else:
            lines[index] = lines[index].rstrip("\n")[: rng.randrange(1, 40)] + "\n"
    return "".join(lines)


def _value_positions(text: str) -> list[tuple[int, int]]:
    """(line index, column) just after `key: ` on lines that hold a plain scalar value."""
    found = []
    for index, line in enumerate(text.splitlines()):
        stripped = line.split(" #", 1)[0]
        at = stripped.find(": ")
        if at > 0 and stripped[at + 2 :].strip() and not stripped.rstrip().endswith(("|", ">")):
            found.append((index, at + 2))
    return found


def _hostile_mutation(text: str, rng: random.Random, count: int) -> str:
    """Replace some values with hostile scalars, keeping the YAML otherwise intact."""
    lines = text.splitlines(keepends=True)
    positions = _value_positions(text)
    for _ in range(count):
        if not positions:
            break
        index, column = rng.choice(positions)
        line = lines[index]
        ending = "\n" if line.endswith("\n") else ""
        head = line[:column]
        value = rng.choice(HOSTILE_SCALARS)
        if head.lstrip().startswith("- {") or "{" in head:
            # Inside a flow mapping the rest of the line still closes it; replace only up to the next comma or brace.
            rest = line[column:].rstrip("\n")
            cut = min((rest.find(c) for c in ",}" if rest.find(c) >= 0), default=len(rest))
            lines[index] = head + value + rest[cut:] + ending
        else:
            lines[index] = head + value + ending
    return "".join(lines)


def _structured_mutation(text: str, rng: random.Random, count: int) -> str:
    import yaml

    data = yaml.safe_load(text)

    def paths(value, prefix=()):
        yield prefix
        if isinstance(value, dict):
            for key, item in value.items():
                yield from paths(item, prefix + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from paths(item, prefix + (index,))

    odd = [
        None,
        0,
        -1,
        10**13,
        0.5,
        "",
        " ",
        "x",
        "2027-02-30",
        "2027-13",
        [],
        {},
        ["a"],
        {"a": 1},
        True,
        "2026-12-31",
        "2028-01-01",
        "9999-12-31",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "é" * 50,
        "=1+1",
        "a\rb",
        "\x1b[31mred",
        "Title x",
        "Click & collect",
    ]
    for _ in range(count):
        every = [p for p in paths(data) if p]
        if not every:
            break
        path = rng.choice(every)
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = rng.randrange(4)
        try:
            if action == 0:
                parent[path[-1]] = rng.choice(odd)
            elif action == 1:
                del parent[path[-1]]
            elif action == 2 and isinstance(parent, list):
                parent.insert(rng.randrange(len(parent) + 1), parent[path[-1]])
            else:
                other = rng.choice(every)
                holder = data
                for step in other[:-1]:
                    holder = holder[step]
                parent[path[-1]], holder[other[-1]] = holder[other[-1]], parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# Free-text keys: a hostile text there keeps the plan valid, so it travels on to every output.
TEXT_KEYS = (
    "name",
    "statement",
    "title",
    "client",
    "author",
    "promise",
    "tagline",
    "description",
    "summary",
    "positioning",
    "owner",
    "tone",
    "market",
    "category",
)
HOSTILE_TEXTS = [
    '"=HYPERLINK(\\"http://evil\\",\\"x\\")"',
    "'+cmd|'' /C calc''!A0'",
    "'@SUM(A1:A9)'",
    "'-2+3'",
    "'\t=1+1'",
    "'Title Hacked'",
    "'Section evil'",
    "'dateFormat X'",
    "'axisFormat %d'",
    "'todayMarker off'",
    "'click t call x()'",
    "'Click & collect : #1 ; %% c'",
    "'excludes weekends'",
    "'a:b:c'",
    "'%%{init: {}}%%'",
    "'<script>alert(1)</script>'",
    "'</style><img src=x onerror=alert(1)>'",
    "'{{ 7*7 }}'",
    "'{% raw %}'",
    "'[x](javascript:alert(1))'",
    "'![i](file:///etc/passwd)'",
    "'# not a heading'",
    "'---'",
    "'| a | b |'",
    "'`code` *em* _u_ ~~s~~'",
    "'<!-- hide -->'",
    "'BEGIN:VEVENT'",
    "'SUMMARY:x;y,z'",
    "'a\\nb'",
    '"a\\rb"',
    '"\\e[2J\\e]52;c;aGk=\\a"',
    '"\\u202Eevil"',
    '"tab\\there"',
    '"nl\\nthere"',
    '"\\x85nel"',
    "'« guillemets » — l’apostrophe'",
    "'emoji 🚀 ✓'",
    "'ﷺ' ",
    "x" * 3000,
    "'\u0301 combining'",
]
EXTREME_NUMBERS = [
    "1.0e-999999",
    "1.0e-30",
    "123456789012.345678901234567890123",
    "0",
    "0.01",
    "0.001",
    "999999999999",
    "1000000000000",
    "1e-7",
    "1e12",
    "12345678.9",
    "1.005",
    "3",
]
EXTREME_DATES = ["2027-01-01", "2027-12-31", "2026-12-31", "2028-02-29", "2027-06-30", "2030-01-01", "9999-12-31"]


def _keyed_mutation(text: str, rng: random.Random, count: int, keys: tuple[str, ...], values: list[str]) -> str:
    """Give some `key: value` lines whose key is in `keys` a value from `values`."""
    lines = text.splitlines(keepends=True)

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" -"))

    def replaceable(index: int) -> bool:
        line = lines[index]
        key, _, value = line.lstrip(" -").partition(": ")
        if key not in keys or not value.strip() or any(c in line for c in "{}[],") or value.strip()[0] in "|>":
            return False
        # A plain text folded onto the next lines would leave its tail behind.
        following = lines[index + 1] if index + 1 < len(lines) else ""
        return not following.strip() or indent(following) <= indent(line)

    found = [i for i in range(len(lines)) if replaceable(i)]
    for _ in range(count):
        if not found:
            break
        index = rng.choice(found)
        head = lines[index].split(": ", 1)[0]
        lines[index] = f"{head}: {rng.choice(values)}\n"
    return "".join(lines)


def make_case(seed: int) -> tuple[str, str]:
    """The base example's text and the mutated plan for `seed`: the same seed always gives the same plan."""
    rng = random.Random(seed)
    base = EXAMPLES[seed % len(EXAMPLES)].read_text(encoding="utf-8")
    kind = rng.randrange(7)
    count = rng.randint(1, 4)
    if kind == 0:
        return base, line_mutation(base, rng, count)
    if kind == 1:
        return base, _hostile_mutation(base, rng, count)
    if kind == 2:
        return base, _structured_mutation(base, rng, count)
    if kind == 3:
        # A valid-looking plan with one odd value is the likeliest to reach the outputs.
        return base, _hostile_mutation(_structured_mutation(base, rng, 1), rng, 1)
    if kind == 4:
        return base, _keyed_mutation(
            base,
            rng,
            count,
            ("cost", "total", "reserve", "target", "baseline", "spend", "revenue", "clicks", "impressions", "sessions"),
            EXTREME_NUMBERS,
        )
    if kind == 5:
        return base, _keyed_mutation(base, rng, count, ("start", "end", "deadline", "date"), EXTREME_DATES)
    return base, _keyed_mutation(base, rng, count, TEXT_KEYS, HOSTILE_TEXTS)


@dataclass
class Outcome:
    seed: int
    valid: bool = False
    stages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failure: str | None = None


def run_case(seed: int) -> Outcome:
    """Every stage on the plan of `seed`, in-process."""
    import mixplan
    from mixplan.errors import MixplanError
    from mixplan.outputs.exports import export
    from mixplan.outputs.status import status_data, status_text
    from mixplan.views.diff import DIFF_FORMATS, compare, format_diff

    outcome = Outcome(seed)
    base, text = make_case(seed)
    started = time.perf_counter()
    stage = "validate"
    try:
        report = mixplan.validate(text=text, name="fuzz.yaml")
        for finding in report.findings:
            if finding.line < 1 or finding.column < 1 or not finding.message:
                raise AssertionError(f"finding without a position or a message: {finding!r}")
        outcome.stages.append(stage)
        if report.ok:
            outcome.valid = True
            plan = report.plan
            for fmt in ("md", "html"):
                stage = f"render {fmt}"
                try:
                    mixplan.render(plan, format=fmt)
                except MixplanError:
                    pass
                outcome.stages.append(stage)
            stage = "status"
            status_data(plan)
            status_text(plan, width=100, color=False)
            outcome.stages.append(stage)
            for fmt in ("csv", "ics", "xlsx"):
                stage = f"export {fmt}"
                try:
                    export(plan, fmt)
                except MixplanError:
                    pass
                outcome.stages.append(stage)
            stage = "diff"
            before = mixplan.validate(text=base, name="base.yaml").plan
            if before is not None:
                change = compare(before, plan)
                for fmt in DIFF_FORMATS:
                    format_diff(change, fmt, "base.yaml", "fuzz.yaml")
            outcome.stages.append(stage)
    except MixplanError:
        pass  # a plain user error, which is an allowed answer
    except Exception:  # noqa: BLE001 - anything else is what the campaign hunts
        outcome.failure = f"{stage}: " + traceback.format_exc(limit=-3)
    outcome.seconds = time.perf_counter() - started
    if outcome.failure is None and outcome.seconds > CASE_SECONDS:
        outcome.failure = f"slow: {outcome.seconds:.1f} s (bound {CASE_SECONDS:g} s)"
    return outcome


def _warm_up() -> None:
    """Imports and first template compilation, so the first case's time is its own."""
    import mixplan

    report = mixplan.validate(EXAMPLES[0])
    if report.plan is not None:
        mixplan.render(report.plan, format="html")


def _worker(seeds: list[int], results: multiprocessing.Queue) -> None:
    _warm_up()
    for seed in seeds:
        results.put(("start", seed, None))
        results.put(("done", seed, run_case(seed)))
    results.put(("finished", None, None))


@dataclass
class Campaign:
    plans: int
    outcomes: list[Outcome] = field(default_factory=list)
    hangs: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failure]


def run_campaign(plans: int, *, first_seed: int = 0, workers: int = 2) -> Campaign:
    """Run `plans` cases over `workers` processes; a stuck worker is killed and its case counted as a hang."""
    campaign = Campaign(plans)
    started = time.perf_counter()
    seeds = list(range(first_seed, first_seed + plans))
    context = multiprocessing.get_context("spawn")
    pending = [seeds[i::workers] for i in range(workers)]
    results: multiprocessing.Queue = context.Queue()
    running: dict[int, tuple[multiprocessing.Process, list[int]]] = {}

    def launch(slot: int, todo: list[int]) -> None:
        process = context.Process(target=_worker, args=(todo, results), daemon=True)
        process.start()
        running[slot] = (process, todo)

    current: dict[int, tuple[int, float]] = {}
    slot_of_seed = {seed: slot for slot, todo in enumerate(pending) for seed in todo}
    for slot, todo in enumerate(pending):
        if todo:
            launch(slot, todo)
    finished = 0
    while finished < len(running):
        try:
            kind, seed, outcome = results.get(timeout=1.0)
        except queue.Empty:
            kind = None
        if kind == "start":
            current[slot_of_seed[seed]] = (seed, time.perf_counter())
        elif kind == "done":
            campaign.outcomes.append(outcome)
            current.pop(slot_of_seed[seed], None)
        elif kind == "finished":
            finished += 1
        now = time.perf_counter()
        for slot, (seed, since) in list(current.items()):
            if now - since > HANG_SECONDS:
                process, todo = running[slot]
                process.kill()
                process.join()
                campaign.hangs.append(seed)
                campaign.outcomes.append(Outcome(seed, failure=f"hang: no answer in {HANG_SECONDS:g} s"))
                del current[slot]
                rest = todo[todo.index(seed) + 1 :]
                if rest:
                    launch(slot, rest)
                else:
                    finished += 1
    campaign.seconds = time.perf_counter() - started
    return campaign


REPLAYS = (
    ("validate", ["validate", "{plan}"]),
    ("render md", ["render", "{plan}", "-o", "{out}/plan.md", "--force"]),
    ("render html", ["render", "{plan}", "-o", "{out}/plan.html", "--force"]),
    ("status", ["status", "{plan}"]),
    ("status json", ["status", "{plan}", "--format", "json"]),
    ("export csv", ["export", "{plan}", "--to", "csv", "-o", "{out}/plan.csv"]),
    ("export ics", ["export", "{plan}", "--to", "ics", "-o", "{out}/plan.ics"]),
    ("export xlsx", ["export", "{plan}", "--to", "xlsx", "-o", "{out}/plan.xlsx"]),
    ("diff", ["diff", "{base}", "{plan}"]),
)


def replay(seed: int, folder: Path) -> list[str]:
    """Run the case through real `mixplan` processes; the problems seen (exit 3, a traceback, a timeout)."""
    base, text = make_case(seed)
    plan, base_path = folder / f"{seed}.yaml", folder / f"{seed}.base.yaml"
    plan.write_text(text, encoding="utf-8")
    base_path.write_text(base, encoding="utf-8")
    problems = []
    with tempfile.TemporaryDirectory() as out:
        for name, arguments in REPLAYS:
            command = [
                sys.executable,
                "-m",
                "mixplan",
                *(a.format(plan=plan, base=base_path, out=out) for a in arguments),
            ]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=60, errors="replace")
            except subprocess.TimeoutExpired:
                problems.append(f"{name}: no answer in 60 s")
                continue
            if done.returncode == 3 or "Traceback" in done.stderr + done.stdout:
                problems.append(f"{name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return problems


def summary(campaign: Campaign) -> str:
    valid = sum(1 for o in campaign.outcomes if o.valid)
    stage_counts = Counter(stage for o in campaign.outcomes for stage in o.stages)
    slowest = max(campaign.outcomes, key=lambda o: o.seconds, default=None)
    lines = [
        f"plans: {len(campaign.outcomes)} in {campaign.seconds:.0f} s; valid after mutation: {valid}",
        "stages run: " + ", ".join(f"{stage} {count}" for stage, count in sorted(stage_counts.items())),
        f"slowest case: seed {slowest.seed}, {slowest.seconds:.2f} s" if slowest else "slowest case: none",
        f"failures: {len(campaign.failures)} (hangs: {len(campaign.hangs)})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=40_000)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"))
    options = parser.parse_args(argv)
    campaign = run_campaign(options.plans, first_seed=options.first_seed, workers=options.workers)
    print(summary(campaign))
    if campaign.failures:
        options.failures.mkdir(parents=True, exist_ok=True)
        for outcome in sorted(campaign.failures, key=lambda o: o.seed)[:50]:
            print(f"\nseed {outcome.seed}: {outcome.failure.strip()}")
            for problem in replay(outcome.seed, options.failures):
                print(f"  replayed: {problem}")
    return 1 if campaign.failures else 0


if __name__ == "__main__":
    sys.exit(main())
