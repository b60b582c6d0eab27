"""What a custom template folder may not do: read files outside it, run planted code, leak internals, run away.

Each test runs the real `mixplan` command in a subprocess (with a short
timeout) where the fault is one of the process: its files, its cache, its time.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import jinja2
import pytest
from markupsafe import escape

import mixplan
from mixplan.outputs import deliverable as renderer
from mixplan.outputs import template_cache, templating
from mixplan.workflows.watch import watch_render

from ..conftest import EXAMPLES

PLAN = EXAMPLES[0]
SECRET = "the-secret-outside-the-folder-4242"


def run(*args: object, timeout: float = 60, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mixplan", *(str(a) for a in args)],
        check=False, capture_output=True, text=True, timeout=timeout, env=env,
    )  # fmt: skip


def one_template(folder: Path, text: str, name: str = "html/plan.html.j2") -> Path:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return outside


# --- 1. nothing outside the templates folder ---------------------------------------------


def test_an_include_through_a_symlinked_folder_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = one_template(tmp_path / "tpl", "<p>{% include 'root/secret.txt' %}</p>")
    (folder / "root").symlink_to(secret)
    out = tmp_path / "out.html"
    done = run("render", PLAN, "-o", out, "--templates", folder)
    assert done.returncode == 2, done.stderr
    assert SECRET not in done.stderr + done.stdout and not out.exists()
    assert "root/secret.txt" in done.stderr
    assert "leads outside the templates folder" in done.stderr and "Traceback" not in done.stderr


def test_a_template_that_is_a_symlink_to_a_file_outside_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = one_template(tmp_path / "tpl", "<p>{% include 'html/part.html' %}</p>")
    (folder / "html" / "part.html").symlink_to(secret / "secret.txt")
    out = tmp_path / "out.html"
    done = run("render", PLAN, "-o", out, "--templates", folder)
    assert done.returncode == 2, done.stderr
    assert SECRET not in done.stderr and not out.exists()
    assert "html/part.html" in done.stderr and "leads outside the templates folder" in done.stderr


def test_the_page_template_itself_as_a_symlink_outside_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "markdown").mkdir(parents=True)
    (folder / "markdown" / "plan.md.j2").symlink_to(secret / "secret.txt")
    done = run("render", PLAN, "--format", "md", "--templates", folder)
    assert done.returncode == 2 and SECRET not in done.stdout + done.stderr
    assert "markdown/plan.md.j2" in done.stderr and "leads outside the templates folder" in done.stderr


def test_a_symlink_that_stays_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = one_template(tmp_path / "tpl", "<p>{% include 'html/alias.html' %}</p>")
    (folder / "html" / "real.html").write_text("inside", encoding="utf-8")
    (folder / "html" / "alias.html").symlink_to(folder / "html" / "real.html")
    assert mixplan.render(mixplan.load_plan(PLAN), format="html", templates=folder) == "<p>inside</p>"


# --- 3. the compiled-template cache runs only our own files --------------------------------


def _plant(cache_root: Path, marker: Path) -> Path:
    """A compiled 'html/plan.html.j2' whose code writes `marker` when loaded, where mixplan looks for it."""
    env = templating.environment("html")
    name = renderer.TEMPLATE_NAMES["html"]
    source, filename, _ = env.loader.get_source(env, name)
    folder = cache_root / "templates" / template_cache._compile_fingerprint(env)
    folder.mkdir(parents=True)
    bucket = jinja2.bccache.Bucket(
        env, jinja2.BytecodeCache().get_cache_key(name, filename), jinja2.BytecodeCache().get_source_checksum(source)
    )
    bucket.code = compile(f"open({str(marker)!r}, 'w').write('ran')", filename, "exec")
    planted = folder / f"{bucket.key}.jinja"
    planted.write_bytes(bucket.bytecode_to_string())
    return planted


def _render_with_cache(cache_root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MIXPLAN_CACHE_DIR": str(cache_root)}
    done = run("render", PLAN, "-o", tmp_path / "out.html", env=env)
    assert done.returncode == 0, done.stderr
    assert 'id="actions"' in (tmp_path / "out.html").read_text(encoding="utf-8")
    return done


def test_a_planted_file_in_our_own_cache_does_run_so_the_test_can_see_it(tmp_path: Path) -> None:
    # The control: a file owned by us, in a folder only we may write, is trusted.
    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    planted = _plant(cache, marker)
    planted.chmod(0o600)
    for level in (cache / "templates", planted.parent):
        level.chmod(0o700)
    env = {**os.environ, "MIXPLAN_CACHE_DIR": str(cache)}
    run("render", PLAN, "-o", tmp_path / "out.html", env=env)
    assert marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX ownership")
def test_a_cache_folder_others_may_write_is_not_used(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir()
    planted = _plant(cache, marker)
    for level in (cache, cache / "templates", planted.parent):
        level.chmod(0o777)
    done = _render_with_cache(cache, tmp_path)
    assert not marker.exists()
    assert "not using the compiled-template cache" in done.stderr and "writable by other users" in done.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_owned_by_someone_else_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    planted = _plant(cache, marker)
    for level in (cache / "templates", planted.parent):
        level.chmod(0o700)
    os.chown(planted, 12345, 12345)
    done = _render_with_cache(cache, tmp_path)
    assert not marker.exists()
    assert "compiled-template cache" not in done.stderr  # a stray file is skipped without a word
    # Compiled again and replaced by a file of our own.
    assert planted.stat().st_uid == os.geteuid()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_cache_folder_owned_by_someone_else_is_not_used(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    _plant(cache, marker)
    os.chown(cache, 12345, 12345)
    done = _render_with_cache(cache, tmp_path)
    assert not marker.exists()
    assert "not using the compiled-template cache" in done.stderr and "belongs to another user" in done.stderr


def test_a_symlinked_cache_file_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    planted = _plant(cache, marker)
    for level in (cache / "templates", planted.parent):
        level.chmod(0o700)
    elsewhere = tmp_path / "elsewhere.jinja"
    planted.rename(elsewhere)
    planted.symlink_to(elsewhere)
    _render_with_cache(cache, tmp_path)
    assert not marker.exists()


# --- 4. the `names` filter reads attributes through the sandbox --------------------------


@pytest.mark.parametrize(
    "probe",
    [
        "{{ ['x'] | names({'x': fmt.money}, '__globals__') }}",
        "{{ ['x'] | names({'x': fmt}, '_seen') }}",
        "{{ ['x'] | names({'x': ''}, '__class__') }}",
        "{{ ['x'] | names({'x': fmt.money}, '__func__') }}",
    ],
)
def test_names_reveals_nothing_the_sandbox_hides(tmp_path: Path, probe: str) -> None:
    folder = one_template(tmp_path / "tpl", probe)
    out = tmp_path / "out.html"
    done = run("render", PLAN, "-o", out, "--templates", folder)
    assert done.returncode == 2, (done.stderr, out.exists() and out.read_text(encoding="utf-8"))
    assert "plan.html.j2:1: not allowed in a template" in done.stderr
    assert "MixplanError" not in done.stderr and "<class" not in done.stderr and not out.exists()


def test_names_still_shows_names_in_a_user_template(tmp_path: Path) -> None:
    folder = one_template(tmp_path / "tpl", "{{ ['a', 'b', 'zz'] | names({'a': info, 'b': info}, 'client', ' / ') }}")
    plan = mixplan.load_plan(PLAN)
    expected = f"{plan.plan.client} / {plan.plan.client} / zz"
    assert mixplan.render(plan, format="html", templates=folder) == str(escape(expected))


# --- 5. bounded output, time and arithmetic ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ 'x' * 10**10 }}", "repeats text or a list"),
        ("{{ [1] * 10**10 }}", "repeats text or a list"),
        ("{{ 10**(10**9) }}", "too large a power"),
        ("{{ 7 ** (10**8) }}", "too large a power"),
        ("{{ '%0999999999d' % 1 }}", "too wide"),
    ],
)
def test_huge_arithmetic_is_refused_at_once(tmp_path: Path, text: str, words: str) -> None:
    folder = one_template(tmp_path / "tpl", "<p>\n" + text + "\n</p>")
    out = tmp_path / "out.html"
    started = time.monotonic()
    done = run("render", PLAN, "-o", out, "--templates", folder, timeout=30)
    assert done.returncode == 2, done.stderr
    assert time.monotonic() - started < 20
    assert "plan.html.j2:2: not allowed in a template" in done.stderr and words in done.stderr
    assert not out.exists() and "Traceback" not in done.stderr


def test_ordinary_arithmetic_still_works(tmp_path: Path) -> None:
    folder = one_template(tmp_path / "tpl", "{{ '-' * 3 }}{{ 2 ** 10 }}{{ [0] * 2 }}{{ '%05d' % 42 }}")
    assert mixplan.render(mixplan.load_plan(PLAN), format="html", templates=folder) == "---1024[0, 0]00042"


def test_an_endless_output_stops_at_the_size_limit(tmp_path: Path) -> None:
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}0123456789{% endfor %}{% endfor %}"
    folder = one_template(tmp_path / "tpl", loops)
    out = tmp_path / "out.html"
    done = run("render", PLAN, "-o", out, "--templates", folder, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "plan.html.j2" in done.stderr and "more than 50 MB" in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".out.html.*"))


def test_a_template_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    spin = "<p>\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n</p>"
    folder = one_template(tmp_path / "tpl", spin)
    out = tmp_path / "out.html"
    env = {**os.environ, "MIXPLAN_TEMPLATE_SECONDS": "2"}
    started = time.monotonic()
    done = run("render", PLAN, "-o", out, "--templates", folder, timeout=40, env=env)
    assert done.returncode == 2, done.stderr
    assert time.monotonic() - started < 30
    assert "plan.html.j2" in done.stderr and "still running after 2 s" in done.stderr
    assert not out.exists() and "Traceback" not in done.stderr


def test_the_time_limit_also_works_outside_the_main_thread(tmp_path: Path) -> None:
    spin = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    folder = one_template(tmp_path / "tpl", spin)
    caught: list[BaseException] = []

    def work() -> None:
        try:
            "".join(renderer.render_pieces(mixplan.load_plan(PLAN), "html", templates=folder, time_limit=1.0))
        except BaseException as error:  # noqa: BLE001 - the test reports whatever came out
            caught.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert len(caught) == 1 and isinstance(caught[0], mixplan.MixplanError), caught
    assert "still running after 1 s" in caught[0].message


# A debugger, a profiler or coverage's tracer: once the deadline had fired, Python 3.11 spun forever
# in the rendering thread (its "exception pending" flag was left raised with nothing pending).
TRACED_DEADLINE = """
import sys
sys.settrace(lambda frame, event, arg: None)
from mixplan.outputs.templating import Deadline, TemplateTimeUp
try:
    with Deadline(0.2):
        while True:
            pass
except TemplateTimeUp:
    print("stopped")
def after():
    return 1
print(sum(after() for _ in range(3)))
"""


def test_the_time_limit_stops_a_template_under_a_trace_function_and_the_program_goes_on() -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", TRACED_DEADLINE], check=False, capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the thread hung after the deadline fired under a trace function")
    assert (done.returncode, done.stdout.split()) == (0, ["stopped", "3"]), done.stderr


def test_the_builtin_templates_have_no_limit_to_hit() -> None:
    pieces = renderer.render_pieces(mixplan.load_plan(PLAN), "html", time_limit=0.001)
    assert 'id="actions"' in "".join(pieces)


# --- 6. --watch in the templates folder settles ------------------------------------------


def test_watch_ignores_its_own_output_inside_a_watched_folder(tmp_path: Path) -> None:
    folder = one_template(tmp_path / "tpl", "<h1>{{ info.title }}</h1>")
    out = folder / "out.html"
    stream = io.StringIO()
    stop = threading.Event()

    def render(plan) -> str:
        return mixplan.render(plan, format="html", templates=folder)

    worker = threading.Thread(
        target=watch_render,
        args=(PLAN, out, render),
        kwargs={"folders": [folder], "stream": stream, "stop_event": stop},
    )
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while " wrote " not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2.5)
        assert stream.getvalue().count(" wrote ") == 1, stream.getvalue()
        # A real save in the folder is still followed.
        one_template(folder, "<h2>{{ info.title }}</h2>")
        while stream.getvalue().count(" wrote ") < 2 and time.monotonic() < deadline + 10:
            time.sleep(0.05)
        assert out.read_text(encoding="utf-8").startswith("<h2>")
        time.sleep(1.5)
        assert stream.getvalue().count(" wrote ") == 2, stream.getvalue()
    finally:
        stop.set()
        worker.join(timeout=20)
    assert not worker.is_alive()
