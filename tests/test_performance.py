"""The speed-ups keep every result the same: fast paths against the slow ones they shortcut.

The timings themselves are in benchmarks/ (`python benchmarks/run.py`); here,
each shortcut is checked against the full path it replaces, and the caches
against stale or unwritable storage.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import string
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import mixplan
from mixplan.assets import templates_dir
from mixplan.errors import PlanInvalid
from mixplan.loading import reader as loader
from mixplan.outputs import deliverable as renderer
from mixplan.outputs import template_cache, templating
from mixplan.outputs.template_cache import CompiledTemplateCache, compiled_template_cache
from mixplan.plan import vocab
from mixplan.present import labels as label_catalogue
from mixplan.present import markdown
from mixplan.present.formatting import Formatter
from mixplan.present.markdown import md_escape

from .conftest import ASSETS, EXAMPLES, ROOT

# The benchmark's plan generator: a script beside run.py, not part of the package.
sys.path.insert(0, str(ROOT / "benchmarks"))
generate = importlib.import_module("generate").generate

# --- loader: events straight to data, or the node graph -------------------------------


def _outcome(text: str, *, node_graph: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """What load_text makes of `text`, through one builder or the other."""
    with monkeypatch.context() as patch:
        if node_graph:

            def refuse(self, text):
                raise loader._NeedsNodeGraph

            patch.setattr(loader._EventBuilder, "run", refuse)
        try:
            document = loader.load_text(text, "p.yaml")
        except PlanInvalid as invalid:
            return ("invalid", [str(f) for f in invalid.findings])
    return (document.data, _every_position(document), [str(f) for f in document.problems])


def _every_position(document: loader.Document) -> list[tuple]:
    """The value and key position of every path in the data, and of a few that are not there."""
    found = []

    def walk(value, path):
        found.append((path, document.position(path), document.position(path, key=True), document.has_path(path)))
        missing = (*path, "not-there")
        found.append(
            (missing, document.position(missing), document.position(missing, key=True), document.has_path(missing))
        )
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))
            found.append(((*path, len(value)), document.position((*path, len(value))), None, None))

    walk(document.data, ())
    return found


SAMPLES = [*EXAMPLES, ASSETS / "minimal.yaml", *sorted((ASSETS / "broken").glob("*.yaml"))]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_both_builders_agree_on_every_sample(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    assert _outcome(text, node_graph=False, monkeypatch=monkeypatch) == _outcome(
        text, node_graph=True, monkeypatch=monkeypatch
    )


EDGE_CASES = [
    "a: 1\nb: [x, {c: !!str 2, d: ~}]\n",
    "a: 1\na: 2\nb: [1, 2]\nb: {c: [3]}\n",  # repeated keys, with collections as values
    "? [1, 2]\n: x\nb: 1\n",  # a key that is a list
    "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n",  # anchors and a merge key
    "a: &x 1\nb: 2\n",  # an anchor without alias
    "a: !!python/name:os.system x\n",
    "a: !custom [1]\nb: !!set {x}\n",
    "a: 1\n---\nb: 2\n",  # two documents
    "x: " + "[" * 70 + "]" * 70 + "\n",  # deeper than a plan may be
    "x: " + "[" * 70 + "]" * 70 + "\ny: [1, 2\n",  # ... and a syntax error after it
    "a: !!int abc\nb: !!bool maybe\nc: !!float x\nd: 2027-02-30\n",
    "on: yes\n2027: 0x1F\nn: null\nt: 2027-01-01 10:00:00\nf: .inf\n",
    "- 1\n- two\n",
    "plain scalar\n",
    "",
    "--- ~\n",
    "a: [1, 2\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_both_builders_agree_on_edge_cases(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text, node_graph=False, monkeypatch=monkeypatch) == _outcome(
        text, node_graph=True, monkeypatch=monkeypatch
    )


keys = st.text(alphabet=string.ascii_lowercase + "_<", min_size=1, max_size=6)
scalars = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.none(),
    st.text(alphabet=string.ascii_letters + string.digits + " -_.:#&*!", max_size=12),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=3)),
    max_leaves=15,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=4), st.booleans())
def test_both_builders_agree_on_any_mapping(data, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _outcome(text, node_graph=False, monkeypatch=monkeypatch) == _outcome(
            text, node_graph=True, monkeypatch=monkeypatch
        )


def _check_against_composed_nodes(text: str) -> int:
    """Every value's and key's position equals PyYAML's own mark for that node."""
    document = loader.load_text(text)
    checked = 0

    def walk(node, path, key_node=None):
        nonlocal checked
        assert document.position(path) == (node.start_mark.line + 1, node.start_mark.column + 1), path
        if key_node is not None:
            assert document.position(path, key=True) == (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        checked += 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, (*path, k.value), k)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return checked


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in EXAMPLES] + [generate(60)])
def test_positions_are_where_the_parser_saw_each_node(text: str) -> None:
    assert _check_against_composed_nodes(text) > 300


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys.filter(lambda k: k != "<<"), trees, min_size=1, max_size=4), st.booleans())
def test_positions_of_any_mapping_are_the_parsers(data, flow: bool) -> None:
    _check_against_composed_nodes(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


def test_a_plain_plan_never_builds_the_node_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(self, text):
        raise AssertionError("the node-graph builder ran")

    monkeypatch.setattr(loader._NodeBuilder, "run", forbidden)
    assert loader.load(EXAMPLES[0]).data["mixplan"] == 1
    assert loader.load_text(generate(40)).data["means"][39]["id"] == "means-40"


def test_explicit_tags_with_impossible_values_become_text() -> None:
    # Once an internal error (exit 3); now the model reports a wrong value.
    assert loader.load_text("a: !!int abc\nb: !!bool maybe\n").data == {"a": "abc", "b": "maybe"}


def test_positions_survive_packing() -> None:
    far = "x" * 70_000
    document = loader.load_text(f"a: {far}\nb:\n" + "  - 1\n" * 3 + f"c: [{far}, z]\n")
    assert document.position(("b", 2)) == (5, 5)
    assert document.position(("c", 1)) == (6, 70_007)
    assert document.position(("c",), key=True) == (6, 1)


# A one-shot command in its own process runs without the cycle collector, and a
# program running a command through `app` keeps its own: tests/test_process_switches.py.


def test_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with loader.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), loader.collector_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with loader.collector_paused():
            pass
        assert not gc.isenabled(), "a collector the caller turned off stays off"
    finally:
        gc.enable()


# --- renderer: escaping shortcut and remembered formats ------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters[:6] + string.digits[:4] + " \t\r\n.)-+=#>&;*_`[]<>|~\\\u00a0é", max_size=30)
)
def test_markdown_escaping_shortcut_matches_the_full_escape(text: str) -> None:
    assert md_escape(text) == markdown._md_escape_all(text)


def test_remembered_formats_match_fresh_ones() -> None:
    values = [Decimal(12000), Decimal("12000.50"), Decimal("0.5"), Decimal(0), 3, Decimal("3.25")]
    for locale, currency in (("fr_FR", "EUR"), ("en_GB", "GBP")):
        cached = Formatter(locale, currency)
        for value in values * 2:  # the second round reads the remembered text
            fresh = Formatter(locale, currency)
            assert cached.money(value) == fresh.money(value)
            assert cached.number(value) == fresh.number(value)
            assert cached.percent(value) == fresh.percent(value)
            for metric in ("roas", "ctr", "cac", "leads"):
                assert cached.metric(metric, value) == fresh.metric(metric, value)
        for day in (dt.date(2027, 3, 1), dt.date(2027, 3, 31)) * 2:
            fresh = Formatter(locale, currency)
            assert cached.date(day) == fresh.date(day)
            assert cached.short_date(day) == fresh.short_date(day)
        assert cached.money(None) == cached.date(None) == "—"
    fmt = Formatter("en_US", "USD")
    assert fmt.metric("roas", Decimal(2)) == "2×"
    assert fmt.date(dt.date(2027, 1, 1)) == "January 1, 2027"


# --- compiled-template cache ----------------------------------------------------------------


def test_compiled_templates_go_to_the_user_cache_never_the_package(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MIXPLAN_CACHE_DIR", str(tmp_path / "cache"))
    cache = compiled_template_cache(templating.environment("html"))
    assert cache.directory.is_relative_to(tmp_path / "cache")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True)
    environment.bytecode_cache = cache
    environment.filters.update(templating.environment("html").filters)
    environment.get_template("html/plan.html.j2")
    written = list(cache.directory.glob("*.jinja"))
    assert written, "nothing cached"
    package = Path(mixplan.__file__).parent
    assert not any(p.is_relative_to(package) or p.is_relative_to(templates_dir()) for p in written)


def test_cache_root_follows_the_platform(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("MIXPLAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert template_cache.cache_root() == tmp_path / "mixplan"
    monkeypatch.setenv("MIXPLAN_CACHE_DIR", str(tmp_path / "mine"))
    assert template_cache.cache_root() == tmp_path / "mine"


def _render_with_cache(folder: Path, cache: Path) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=CompiledTemplateCache(cache)
    )
    return environment.get_template("t.j2").render(name="plan")


def test_a_changed_template_is_compiled_again(tmp_path) -> None:
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    (folder / "t.j2").write_text("first {{ name }}")
    assert _render_with_cache(folder, cache) == "first plan"
    assert len(list(cache.iterdir())) == 1
    assert _render_with_cache(folder, cache) == "first plan"  # read back from the cache
    (folder / "t.j2").write_text("second {{ name }}")
    assert _render_with_cache(folder, cache) == "second plan"


def test_a_corrupt_or_unwritable_cache_only_costs_a_compile(tmp_path) -> None:
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    (folder / "t.j2").write_text("hello {{ name }}")
    _render_with_cache(folder, cache)
    for cached in cache.iterdir():
        cached.write_bytes(b"garbage")
    assert _render_with_cache(folder, cache) == "hello plan"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert _render_with_cache(folder, blocked / "cache") == "hello plan"


def test_settings_that_shape_compiled_code_name_the_cache_folder() -> None:
    def folder(**options) -> str:
        return compiled_template_cache(jinja2.Environment(**options)).directory.name

    assert folder() == folder()
    assert folder() != folder(autoescape=True)
    assert folder() != folder(trim_blocks=True)
    assert folder() != folder(finalize=str)
    plain, with_context = jinja2.Environment(), jinja2.Environment()
    plain.filters["f"] = lambda value: value
    with_context.filters["f"] = jinja2.pass_context(lambda context, value: value)
    assert compiled_template_cache(plain).directory != compiled_template_cache(with_context).directory


def test_rendering_from_the_cache_matches_a_fresh_compile(tmp_path, monkeypatch) -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    monkeypatch.setenv("MIXPLAN_CACHE_DIR", str(tmp_path))
    templating.environment.cache_clear()
    try:
        first = mixplan.render(plan, format="html", cache_templates=True)  # compiles and stores
        templating.environment.cache_clear()
        second = mixplan.render(plan, format="html", cache_templates=True)  # loads the stored code
    finally:
        templating.environment.cache_clear()
    assert first == second
    assert list((tmp_path / "templates").rglob("*.jinja"))


def test_labels_load_with_either_yaml_loader(monkeypatch) -> None:
    fast = label_catalogue.labels("fr")
    label_catalogue.labels.cache_clear()
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    try:
        assert label_catalogue.labels("fr") == fast
    finally:
        label_catalogue.labels.cache_clear()


# --- the benchmark's plans ---------------------------------------------------------------------


@pytest.mark.parametrize("means", [1, 10, 250])
def test_generated_plans_are_valid(means: int) -> None:
    report = mixplan.validate(text=generate(means), name=f"plan-{means}.yaml")
    assert report.ok, [str(f) for f in report.errors]
    assert len(report.plan.means) == means
    if means >= 10:
        assert report.warnings == []


def test_generated_plans_are_realistic_and_repeatable() -> None:
    text = generate(len(vocab.CHANNELS) * 2)
    assert text == generate(len(vocab.CHANNELS) * 2)
    plan = mixplan.validate(text=text).plan
    assert {m.channel for m in plan.means} == set(vocab.CHANNELS)
    assert plan.results and plan.milestones and len(plan.objectives) >= 4 and len(plan.targets) >= 3
    assert any(len(m.objectives) > 1 for m in plan.means) and any(m.kpis for m in plan.means)
    with pytest.raises(ValueError):
        generate(0)


@pytest.mark.slow
def test_benchmark_runs_and_writes_json(tmp_path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "10", "--runs", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Start-up" in done.stdout and "Targets" in done.stdout
    results = json.loads(out.read_text())
    assert set(results["sizes"]["10"]) >= {"load", "validate", "check", "render_md", "render_html", "peak_mb"}
    assert results["startup_ms"]["do-nothing typer command"] > 0


def test_benchmark_rejects_a_bad_generator_size() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "ten"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "usage" in done.stderr


def test_models_share_their_set_of_given_fields_safely() -> None:
    plan = mixplan.validate(text=generate(12)).plan
    first, twin = plan.means[0], plan.means[4]  # both give the same keys
    assert (
        first.model_fields_set
        == twin.model_fields_set
        == {
            "id",
            "name",
            "channel",
            "approach",
            "objectives",
            "targets",
            "cost",
            "owner",
            "kpis",
        }
    )
    assert first.model_fields_set is twin.model_fields_set
    changed = first.model_copy(update={"p": "price"})
    assert "p" in changed.model_fields_set
    assert "p" not in first.model_fields_set and "p" not in twin.model_fields_set
    assert set(first.model_dump(exclude_unset=True)) == first.model_fields_set


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_deliverable_written_as_it_renders_is_the_rendered_text(tmp_path: Path, fmt: str) -> None:
    plan = mixplan.validate(text=generate(400)).plan
    pieces = list(renderer.render_pieces(plan, fmt, today=dt.date(2027, 3, 1)))
    assert len(pieces) > 2, "a plan of 400 means comes out in several pieces"
    whole = mixplan.render(plan, fmt, today=dt.date(2027, 3, 1))
    assert "".join(pieces) == whole
    target = tmp_path / f"plan.{fmt}"
    assert mixplan.render_to(plan, target, fmt, today=dt.date(2027, 3, 1)) == target
    assert target.read_bytes() == whole.encode("utf-8")
    with pytest.raises(mixplan.MixplanError, match="already exists"):
        mixplan.render_to(plan, target, fmt)
    assert gc.isenabled()


def test_render_options_are_checked_before_anything_is_rendered() -> None:
    plan = mixplan.load_plan(EXAMPLES[0])
    with pytest.raises(mixplan.MixplanError, match="unknown theme 'neon'"):
        renderer.render_pieces(plan, "html", theme="neon")
    with pytest.raises(mixplan.MixplanError, match="unknown output format"):
        renderer.render_pieces(plan, "docx")


def _peak_kib_of(arguments: list[str]) -> int:
    probe = (
        "import resource, subprocess, sys;"
        "done = subprocess.run([sys.executable, '-m', 'mixplan', *sys.argv[1:]], capture_output=True);"
        "assert done.returncode == 0, done.stderr;"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    completed = subprocess.run([sys.executable, "-c", probe, *arguments], capture_output=True, text=True, check=True)
    return int(completed.stdout.strip())


@pytest.mark.slow
def test_a_batch_render_holds_one_plan_at_a_time(tmp_path: Path) -> None:
    # A template's macros keep the rendering context (plan and view) in a
    # reference cycle, and one-shot commands run without the cycle collector:
    # unless collected between plans, each plan of a batch would stay in memory.
    text = generate(3000)
    plans = []
    for name in "abcd":
        plans.append(tmp_path / f"{name}.yaml")
        plans[-1].write_text(text, encoding="utf-8")
    one = _peak_kib_of(["render", str(plans[0]), "-d", str(tmp_path / "one")])
    four = _peak_kib_of(["render", *map(str, plans), "-d", str(tmp_path / "four")])
    assert len(list((tmp_path / "four").glob("*.html"))) == 4
    assert four < one * 1.25, f"one plan: {one} KiB, four plans: {four} KiB"


def test_without_libyaml_the_pure_python_parser_finds_the_same_things_at_the_same_places() -> None:
    # PyYAML built without libyaml has no CSafeLoader: the loader falls back to
    # the pure-Python parser, slower, with the same positions and findings.
    files = [*EXAMPLES, *sorted((ASSETS / "broken").glob("*.yaml"))]
    probe = (
        "import json, sys, yaml\n"
        "del yaml.CSafeLoader\n"
        "import mixplan\n"
        "from mixplan.loading import reader as loader\n"
        "assert loader._Loader is yaml.SafeLoader\n"
        "found = {}\n"
        "for path in sys.argv[1:]:\n"
        "    report = mixplan.validate(path)\n"
        "    found[path] = [(f.line, f.column, f.rule) for f in report.findings]\n"
        "print(json.dumps(found))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *map(str, files)], capture_output=True, text=True, check=True)
    pure = json.loads(done.stdout)
    with_libyaml = {str(path): [[f.line, f.column, f.rule] for f in mixplan.validate(path).findings] for path in files}
    assert pure == with_libyaml
    assert sum(len(found) for found in pure.values()) >= len(files) - len(EXAMPLES)
