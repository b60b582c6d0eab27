"""How fast mixplan is, next to the floors of its own stack, at every plan size.

    python benchmarks/run.py                      # the full table (a few minutes)
    python benchmarks/run.py --quick              # small sizes, fewer runs (~20 s)
    python benchmarks/run.py --sizes 10,1000 --runs 9 --json results.json
    python benchmarks/run.py --quick --guard      # CI: exit 1 on a gross regression

Two tables:

- start-up: whole-process medians (wall clock and CPU, ms) of `mixplan --help`,
  `mixplan validate` and `mixplan render` of an example, next to three floors
  measured in the same run: `python -c pass`, `python -c "import yaml,
  pydantic"`, `python -c "import typer"` and a do-nothing typer command. The
  commands are run in turns, so a busy moment of the machine hits all alike.
- sizes: for generated plans of N means (benchmarks/generate.py), each in a
  fresh process, the median time of each stage (load, validate = build the
  models, check = the rules, render Markdown, render HTML), the peak memory
  of that process, and the whole `mixplan render plan.yaml -o x.html`.

The targets of issue 10 are checked at the end, on wall-clock time. `--guard`
checks only gross regressions, with wide margins and on CPU time (which a
busy CI machine does not stretch), so it does not fail at random.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mixplan.outputs.write import write_text  # every file mixplan's code writes goes through it

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "fr-epicerie-fine.yaml"
DEFAULT_SIZES = (10, 100, 1_000, 10_000, 100_000)
QUICK_SIZES = (10, 100, 1_000)
STAGES = ("load", "validate", "check", "render_md", "render_html")

# Python as users run it: modules compiled once and their bytecode kept. Some
# sandboxes set PYTHONDONTWRITEBYTECODE, which would recompile mixplan's own
# source (not its installed dependencies) on every run, ~15 ms.
CHILD_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# The 100,000-means plan weighs about 50 MB, over the 10 MB a plan file may weigh by default.
CHILD_ENVIRONMENT["MIXPLAN_MAX_BYTES"] = "0"

# (name, measured, floor, at most this many times the floor)
TARGETS = (
    ("mixplan --help vs import typer", "mixplan --help", "import typer", 1.5),
    ("validate example vs do-nothing typer", "mixplan validate example", "do-nothing typer command", 1.5),
    ("render example to HTML vs do-nothing typer", "mixplan render example -o x.html", "do-nothing typer command", 2.0),
)
# Gross regressions only: each limit is several times what this machine measures.
GUARDS = (
    ("mixplan --help vs import typer", "mixplan --help", "import typer", 3.0),
    ("validate 1,000 means vs do-nothing typer", "mixplan validate 1000 means", "do-nothing typer command", 10.0),
    ("render example to HTML vs do-nothing typer", "mixplan render example -o x.html", "do-nothing typer command", 5.0),
)


# --- whole-process timings --------------------------------------------------------


def _run(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) milliseconds of one run of `command`."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=CHILD_ENVIRONMENT)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return wall, cpu


def _elapsed_ms(command: list[str]) -> float:
    return _run(command)[0]


def interleaved_medians(commands: dict[str, list[str]], runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU times of each command over `runs` turns of all of them."""
    for command in commands.values():
        _run(command)  # warm the file cache and the compiled-template cache
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu = _run(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return (
        {name: statistics.median(values) for name, values in walls.items()},
        {name: statistics.median(values) for name, values in cpus.items()},
    )


def mixplan_command() -> str:
    return shutil.which("mixplan", path=str(Path(sys.executable).parent)) or shutil.which("mixplan") or "mixplan"


# --- per-stage timings, in a fresh process per size ---------------------------------------


def worker(path: Path, repeat: int) -> None:
    """Time each stage of one plan `repeat` times; print medians and peak memory as JSON."""
    import resource

    from mixplan import api
    from mixplan.checks import rules
    from mixplan.loading import reader as loader

    # Compile the templates and load Babel's locale data first, so the stage
    # times are what the plan's size costs, not one-off start-up work.
    warm = api.validate(EXAMPLE).plan
    for format_name in ("md", "html"):
        api.render(warm, format_name, language="en")

    samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
    output = path.with_name(path.stem + "-stages")
    for _ in range(repeat):
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            samples[stage].append((now - clock) * 1000)
            clock = now

        document = loader.load(path, max_bytes=None)
        lap("load")
        plan = api.build(document)
        lap("validate")
        findings = [document.finding(i.path, i.rule, i.severity, i.message, key=i.at_key) for i in rules.check(plan)]
        lap("check")
        del document  # as in `mixplan render`: only the plan is kept for rendering
        # As `mixplan render -o` does: written as rendered, never whole in memory.
        api.render_to(plan, output.with_suffix(".md"), "md", overwrite=True)
        lap("render_md")
        api.render_to(plan, output.with_suffix(".html"), "html", overwrite=True)
        lap("render_html")
        if any(f.severity == "error" for f in findings):
            raise SystemExit(f"{path}: the generated plan has errors")
        del plan, findings
    for written in (output.with_suffix(".md"), output.with_suffix(".html")):
        written.unlink(missing_ok=True)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if sys.platform == "darwin":
        peak_kib //= 1024  # bytes there
    result = {stage: statistics.median(values) for stage, values in samples.items()}
    result["peak_mb"] = peak_kib / 1024
    print(json.dumps(result))


def stage_repeats(size: int, quick: bool) -> int:
    if size >= 100_000:
        return 1
    if size >= 10_000:
        return 2 if quick else 3
    return 3 if quick else 7


def measure_size(size: int, folder: Path, quick: bool, mixplan: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    plan = write_text(folder / f"plan-{size}.yaml", generate(size))
    repeat = stage_repeats(size, quick)
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(plan), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        env=CHILD_ENVIRONMENT,
    )
    if done.returncode != 0:
        raise SystemExit(f"stage timing failed for {size} means:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["repeats"] = repeat
    result["total"] = sum(result[stage] for stage in ("load", "validate", "check", "render_html"))
    render = [mixplan, "render", str(plan), "-o", str(folder / f"plan-{size}.html")]
    runs = 1 if size >= 100_000 else 3
    result["process_render_html"] = statistics.median(_elapsed_ms(render) for _ in range(runs))
    validate = [mixplan, "validate", str(plan)]
    result["process_validate"] = statistics.median(_elapsed_ms(validate) for _ in range(runs))
    plan.unlink()
    return result


# --- report ----------------------------------------------------------------------------------


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_average_1min": load,
    }


def check(limits, times: dict[str, float], cpu_times: dict[str, float] | None = None) -> list[dict[str, object]]:
    results = []
    for name, measured, floor, limit in limits:
        if measured not in times or floor not in times:
            continue
        ratio = times[measured] / times[floor]
        result = {"target": name, "ratio": round(ratio, 2), "limit": limit, "ok": ratio <= limit}
        if cpu_times:
            result["cpu_ratio"] = round(cpu_times[measured] / cpu_times[floor], 2)
        results.append(result)
    return results


def print_report(info, startup, startup_cpu, sizes, targets, runs) -> None:
    print(
        f"{info['python']} on {info['cpu']} ({info['cpus']} CPUs), {info['system']}, "
        f"load average {info['load_average_1min']}"
    )
    print(f"\nStart-up: whole process, median of {runs} runs")
    width = max(map(len, startup))
    print(f"  {'':<{width}}  {'wall ms':>8}  {'CPU ms':>8}")
    for name, ms in startup.items():
        print(f"  {name:<{width}}  {ms:8.1f}  {startup_cpu[name]:8.1f}")
    if sizes:
        print("\nPlan sizes: stage medians in ms (fresh process per size), peak memory of that process")
        header = ("means", "load", "validate", "check", "md", "html", "total", "peak MB", "render cmd", "validate cmd")
        print("  " + "".join(f"{h:>12}" for h in header))
        for size, row in sizes.items():
            cells = (
                [f"{int(size):,}"]
                + [f"{row[s]:.1f}" for s in STAGES]
                + [
                    f"{row['total']:.1f}",
                    f"{row['peak_mb']:.0f}",
                    f"{row['process_render_html']:.0f}",
                    f"{row['process_validate']:.0f}",
                ]
            )
            print("  " + "".join(f"{c:>12}" for c in cells))
        print("  total = load + validate + check + html; the *cmd columns are whole `mixplan` processes")
    print("\nTargets")
    for target in targets:
        cpu = f", CPU time {target['cpu_ratio']}" if "cpu_ratio" in target else ""
        print(
            f"  {'ok  ' if target['ok'] else 'MISS'} {target['target']}: {target['ratio']}{cpu} (at most {target['limit']})"
        )


def size_targets(sizes: dict[str, dict[str, float]]) -> list[dict[str, object]]:
    results = []
    big, bigger = sizes.get("10000"), sizes.get("100000")
    if big:
        seconds = big["process_render_html"] / 1000
        results.append(
            {
                "target": "10,000 means validated and rendered to HTML (s)",
                "ratio": round(seconds, 2),
                "limit": 2.0,
                "ok": seconds < 2.0,
            }
        )
    if big and bigger:
        growth = bigger["total"] / big["total"]
        results.append(
            {
                "target": "growth from 10,000 to 100,000 means (x)",
                "ratio": round(growth, 2),
                "limit": 12.0,
                "ok": growth <= 12.0,
            }
        )
        results.append(
            {
                "target": "peak memory at 100,000 means (MB)",
                "ratio": round(bigger["peak_mb"]),
                "limit": 1024,
                "ok": bigger["peak_mb"] < 1024,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated numbers of means (default: 10,100,1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000 and fewer runs, for a quick look or CI")
    parser.add_argument("--runs", type=int, help="runs of each start-up command (default 15, quick 7)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--guard", action="store_true", help="exit 1 on a gross regression (for CI)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.worker:
        worker(options.worker, options.repeat)
        return

    if options.sizes:
        sizes = tuple(int(s.replace("_", "")) for s in options.sizes.split(",") if s.strip())
    else:
        sizes = QUICK_SIZES if options.quick else DEFAULT_SIZES
    runs = options.runs or (7 if options.quick else 15)
    info = machine()
    mixplan = mixplan_command()
    python = sys.executable
    folder = Path(tempfile.mkdtemp(prefix="mixplan-bench-"))
    try:
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "import yaml, pydantic": [python, "-c", "import yaml, pydantic"],
            "import typer": [python, "-c", "import typer"],
            "do-nothing typer command": [python, str(ROOT / "benchmarks" / "noop_typer.py"), "first", "--path", "x"],
            "mixplan --help": [mixplan, "--help"],
            "mixplan validate example": [mixplan, "validate", str(EXAMPLE)],
            "mixplan render example -o x.html": [mixplan, "render", str(EXAMPLE), "-o", str(folder / "example.html")],
        }
        if options.guard:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from generate import generate

            guard_plan = write_text(folder / "guard-1000.yaml", generate(1000))
            commands["mixplan validate 1000 means"] = [mixplan, "validate", str(guard_plan)]
        startup, startup_cpu = interleaved_medians(commands, runs)
        by_size = {str(size): measure_size(size, folder, options.quick, mixplan) for size in sizes}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    targets = check(TARGETS, startup, startup_cpu) + size_targets(by_size)
    # CPU time: a CI machine busy with other jobs stretches wall time, not CPU time.
    guards = check(GUARDS, startup_cpu) if options.guard else []
    info["load_average_1min_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print_report(info, startup, startup_cpu, by_size, targets, runs)
    if guards:
        print("\nGuards (gross regressions only)")
        for guard in guards:
            print(
                f"  {'ok  ' if guard['ok'] else 'FAIL'} {guard['target']}: CPU time {guard['ratio']} (at most {guard['limit']})"
            )
    if options.json:
        results = {
            "machine": info,
            "runs": runs,
            "startup_ms": startup,
            "startup_cpu_ms": startup_cpu,
            "sizes": by_size,
            "targets": targets,
            "guards": guards,
        }
        write_text(options.json, json.dumps(results, indent=2) + "\n", overwrite=True)
    if any(not guard["ok"] for guard in guards):
        sys.exit(1)


if __name__ == "__main__":
    main()
