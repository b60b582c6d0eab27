"""The HTML deliverable in a real headless Chromium (Debian's package, driven by Playwright).

Skipped when no Chromium is installed, unless MIXPLAN_REQUIRE_BROWSER=1 (as
in CI), where a missing browser is a failure rather than a silent skip.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml

import mixplan
from mixplan.outputs.pdf import find_browser

from ..conftest import EXAMPLES, ROOT

SCREENSHOT_TODAY = dt.date(2027, 5, 10)
# A whole plan prints on several A4 pages, but not on dozens (the examples, with their Forecast chapter
# and their dashboard, on about 25).
PDF_PAGES = range(5, 31)

pytestmark = pytest.mark.browser

# Not mixplan.outputs.pdf.FLAGS: those also cut the browser off the network, and the
# tests here must see that the page itself asks for nothing.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    executable = find_browser()
    if executable is None:
        if os.environ.get("MIXPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail("MIXPLAN_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright starts the browser with a fresh temporary profile of its own.
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        yield instance
        instance.close()


def _open(browser, html: str, tmp_path: Path):
    """Load the HTML from a file, recording every request that is not the file itself."""
    path = tmp_path / "plan.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    outside: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(path.as_uri()), refuse)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, outside, errors, dialogs


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_displays_offline(browser, example: Path, tmp_path: Path) -> None:
    plan = mixplan.load_plan(example)
    page, outside, errors, _ = _open(browser, mixplan.render(plan, format="html"), tmp_path)
    assert outside == [] and errors == []
    assert plan.plan.title in page.title()
    assert page.locator("h1").inner_text() == plan.plan.title
    for section in ("positioning", "objectives", "targets", "message", "mix", "actions", "budget", "schedule", "kpis"):
        assert page.locator(f"section#{section}").is_visible(), section
    # One row per means in the action plan, and the table is laid out (not collapsed).
    rows = page.locator("section#actions tbody tr")
    assert rows.count() == len(plan.means)
    assert page.locator("section#actions table").bounding_box()["height"] > 100
    # The table of contents' links land on their sections.
    page.locator("nav.toc a[href='#budget']").click()
    assert page.evaluate("location.hash") == "#budget"
    # The P bars are drawn with a width that follows their share.
    widths = page.eval_on_selector_all("section#mix svg .bar", "bars => bars.map(b => b.getBoundingClientRect().width)")
    assert len(widths) == 4 and max(widths) > 0
    # The charts are laid out at a readable size and fit the page's width.
    for chart in ("chart-by-p", "chart-by-channel", "chart-gantt"):
        box = page.locator(f"svg#{chart}").bounding_box()
        assert box and box["width"] > 500 and box["height"] > 100, chart
        assert box["x"] + box["width"] <= page.viewport_size["width"], chart
    rows = page.locator("svg#chart-gantt g.gantt-row").count()
    assert rows == len({entry.means for entry in plan.scheduled})
    page.close()


def _png_colours(png: bytes) -> int:
    """How many distinct byte values the decoded image rows hold (1-2 for a blank page)."""
    assert png.startswith(b"\x89PNG")
    chunks, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(png[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return len(set(zlib.decompress(b"".join(chunks))))


@pytest.mark.parametrize("theme", ["classic", "modern", "ink"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_theme_shows_a_page_without_errors_or_requests(
    browser, example: Path, theme: str, tmp_path: Path
) -> None:
    html = mixplan.render(mixplan.load_plan(example), format="html", theme=theme, today=SCREENSHOT_TODAY)
    page, outside, errors, _ = _open(browser, html, tmp_path)
    assert outside == [] and errors == []
    shot = page.screenshot(full_page=False)
    blank = browser.new_page()
    blank.set_content("<html><body></body></html>")
    assert _png_colours(shot) > 4 * _png_colours(blank.screenshot())
    blank.close()
    page.close()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_readme_screenshots(browser, example: Path, tmp_path: Path, update_goldens: bool) -> None:
    """docs/<example>.png (cover, contents, first section) and docs/<example>-charts.png (the timeline)."""
    html = mixplan.render(mixplan.load_plan(example), format="html", today=SCREENSHOT_TODAY)
    page, *_ = _open(browser, html, tmp_path)
    page.set_viewport_size({"width": 1100, "height": 1000})
    top = page.screenshot()
    timeline = page.locator("section#schedule figure").screenshot()
    page.close()
    targets = {ROOT / "docs" / f"{example.stem}.png": top, ROOT / "docs" / f"{example.stem}-timeline.png": timeline}
    for target, shot in targets.items():
        if update_goldens:
            target.write_bytes(shot)
        assert target.exists(), f"no {target.name}: run pytest tests/outputs/test_browser.py --update-goldens"
        assert _png_colours(target.read_bytes()) > 20


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_render_command_prints_a_pdf_with_chromium(example: Path, tmp_path: Path) -> None:
    """The real `mixplan render -o plan.pdf` path: mixplan drives Chromium over its DevTools pipe, no driver."""
    out = tmp_path / "plan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(example), "-o", str(out), "--theme", "modern"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # Said in the plan's language.
    said = "fichier écrit :" if example.stem.startswith("fr-") else "wrote"
    assert f"{said} {out}" in done.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages in PDF_PAGES, pages


def test_example_prints_to_pdf(browser, tmp_path: Path) -> None:
    page, *_ = _open(browser, mixplan.render(mixplan.load_plan(EXAMPLES[0]), format="html"), tmp_path)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    # A whole plan does not fit on one A4 page; the print stylesheet breaks before sections.
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages in PDF_PAGES, pages
    page.close()


def test_hostile_text_runs_no_script_and_makes_no_request(browser, tmp_path: Path, minimal_text: str) -> None:
    payloads = [
        "<script>window.__pwned = 1; alert(1)</script>",
        '<img src="https://example.invalid/x.png" onerror="window.__pwned = 2">',
        '<a href="javascript:window.__pwned=3">click</a>',
        "</style><script>window.__pwned = 4</script>",
        "</title><script>window.__pwned = 5</script>",
    ]
    data = yaml.safe_load(minimal_text)
    data["plan"]["title"] = payloads[4]
    data["plan"]["client"] = payloads[3]
    data["positioning"]["statement"] = payloads[0]
    data["means"][0]["name"] = payloads[1]
    data["means"][1]["name"] = payloads[2]
    data["message"]["proof_points"] = payloads
    plan = mixplan.Plan.model_validate(data)
    page, outside, errors, dialogs = _open(browser, mixplan.render(plan, format="html"), tmp_path)
    assert page.evaluate("window.__pwned === undefined")
    assert outside == [] and dialogs == [] and errors == []
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    # The text is shown to the reader as written.
    assert payloads[0] in page.locator("section#positioning").inner_text()
    page.close()


def test_the_pdf_browser_reaches_no_server_even_when_a_template_asks(tmp_path: Path) -> None:
    """A custom template linking an image and a stylesheet on a live local server: no request arrives."""
    import http.server
    import threading

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        folder = tmp_path / "tpl" / "html"
        folder.mkdir(parents=True)
        (folder / "plan.html.j2").write_text(
            f'<html><head><link rel="stylesheet" href="{base}/a.css"></head>'
            f'<body><h1>{{{{ info.title }}}}</h1><img src="{base}/logo.png"><img src="https://example.com/x.png"></body></html>',
            encoding="utf-8",
        )
        out = tmp_path / "plan.pdf"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mixplan",
                "render",
                str(EXAMPLES[0]),
                "-o",
                str(out),
                "--templates",
                str(tmp_path / "tpl"),
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
