"""Whole-process timings of mixplan's commands next to the floors of its stack.

    python benchmarks/run.py [--runs N] [--json results.json]

Prints a table of medians (milliseconds) over N runs of each command. The
floors are measured in the same run, on the same machine, so the ratios
hold even where absolute times differ.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "fr-epicerie-fine.yaml"


def median_ms(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True)  # warm the file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    options = parser.parse_args()

    mixplan = shutil.which("mixplan") or str(Path(sys.executable).parent / "mixplan")
    python = sys.executable
    out = Path(tempfile.mkdtemp()) / "plan.html"
    commands = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import typer"': [python, "-c", "import typer"],
        'python -c "import yaml, pydantic"': [python, "-c", "import yaml, pydantic"],
        "do-nothing typer command": [python, str(ROOT / "benchmarks" / "noop_typer.py"), "first", "--path", "x"],
        "mixplan --help": [mixplan, "--help"],
        f"mixplan validate {EXAMPLE.name}": [mixplan, "validate", str(EXAMPLE)],
        f"mixplan render {EXAMPLE.name} -o x.html": [mixplan, "render", str(EXAMPLE), "-o", str(out)],
    }
    results = {name: median_ms(command, options.runs) for name, command in commands.items()}
    width = max(map(len, results))
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"median of {options.runs} runs")
    for name, ms in results.items():
        print(f"{name:<{width}}  {ms:7.1f} ms")
    if options.json:
        options.json.write_text(json.dumps({"runs": options.runs, "median_ms": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
