"""Whatever a plan file holds, mixplan answers with findings and an exit code, never a traceback."""

from __future__ import annotations

import os
import random

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import mixplan
from mixplan.cli import app

from .conftest import EXAMPLES
from .fuzz_campaign import line_mutation

pytestmark = pytest.mark.slow

# MIXPLAN_FUZZ_SCALE=20 runs twenty times as many examples, for a longer hunt than CI's.
SCALE = float(os.environ.get("MIXPLAN_FUZZ_SCALE", "1"))


def _examples(count: int) -> int:
    return max(1, int(count * SCALE))


runner = CliRunner()
EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]


def _validate_cleanly(text: str) -> None:
    report = mixplan.validate(text=text, name="fuzz.yaml")
    for finding in report.findings:
        assert finding.line >= 1 and finding.column >= 1 and finding.message
    if report.ok:
        for fmt in ("md", "html"):
            assert mixplan.render(report.plan, format=fmt)


@settings(max_examples=_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_TEXTS), st.integers(min_value=0, max_value=2**32), st.integers(1, 6))
def test_mutated_examples(text: str, seed: int, mutations: int) -> None:
    _validate_cleanly(line_mutation(text, random.Random(seed), mutations))


@settings(max_examples=_examples(200), deadline=None)
@given(
    st.recursive(
        st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(max_size=15), st.dates().map(lambda d: d.isoformat())
        ),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.sampled_from(
                    [
                        "plan",
                        "means",
                        "id",
                        "cost",
                        "budget",
                        "total",
                        "x",
                        "schedule",
                        "start",
                        "end",
                        "objectives",
                        "targets",
                    ]
                ),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=25,
    )
)
def test_random_documents(data) -> None:
    _validate_cleanly(yaml.safe_dump({"mixplan": 1, **data} if isinstance(data, dict) else data))


@settings(max_examples=_examples(150), deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_through_the_cli(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "plan.yaml"
    path.write_bytes(data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


# --- structured mutations: well-formed YAML, odd plans -----------------------------------

_ODD_VALUES = [
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
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "é" * 50,
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(data, rng: random.Random):
    paths = [p for p in _paths(data) if p]
    path = rng.choice(paths)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = rng.randrange(4)
    if action == 0:
        parent[last] = rng.choice(_ODD_VALUES)
    elif action == 1:
        del parent[last]
    elif action == 2 and isinstance(parent, list):
        parent.insert(rng.randrange(len(parent) + 1), parent[last])
    else:
        # Swap with another value of the same plan: ids, dates and amounts land in each other's places.
        other = rng.choice(paths)
        holder = data
        for step in other[:-1]:
            holder = holder[step]
        try:
            parent[last], holder[other[-1]] = holder[other[-1]], parent[last]
        except (KeyError, IndexError, TypeError):
            pass


@settings(max_examples=_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_TEXTS), st.integers(min_value=0, max_value=2**32), st.integers(1, 4))
def test_structured_mutations_validate_and_render_cleanly(text: str, seed: int, mutations: int) -> None:
    rng = random.Random(seed)
    data = yaml.safe_load(text)
    for _ in range(mutations):
        try:
            _mutate(data, rng)
        except (KeyError, IndexError, TypeError):
            continue
    _validate_cleanly(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
