"""The PDF step prints the deliverable and nothing else: no script, no local file, no request.

A custom template can write any HTML. These render it to PDF with the real
`mixplan` command and Chromium, and read the printed text back with pdftotext.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mixplan
from mixplan.outputs.pdf import find_browser, html_to_pdf

from ..conftest import EXAMPLES
from .test_browser import PDF_PAGES

pytestmark = pytest.mark.browser

PASSWD_LINE = re.compile(r"root:.?:0:0:")


@pytest.fixture(scope="module", autouse=True)
def _needs_chromium_and_pdftotext() -> None:
    missing = [
        name for name, found in (("chromium", find_browser()), ("pdftotext", shutil.which("pdftotext"))) if not found
    ]
    if missing:
        if os.environ.get("MIXPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"MIXPLAN_REQUIRE_BROWSER=1 but {', '.join(missing)} is not installed")
        pytest.skip(f"{', '.join(missing)} not installed")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def render_pdf(tmp_path: Path, page: str, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path / "tpl" / "html"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.html.j2").write_text(page, encoding="utf-8")
    out = tmp_path / "plan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(EXAMPLES[0]), "-o", str(out), "--templates", str(tmp_path / "tpl"), *extra],
        check=False, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done, out


def test_a_template_gets_no_script_and_no_local_file_into_the_pdf(tmp_path: Path) -> None:
    listed = tmp_path / "listed"
    listed.mkdir()
    (listed / "LISTED-FILE-NAME-0451.txt").write_text("x", encoding="utf-8")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<link rel='stylesheet' href='file:///etc/passwd'></head><body>"
        "<h1>{{ info.title }}</h1>"
        "<script>document.write('SCRIPT-RAN-' + (6 * 7))</script>"
        "<img src='x' onerror=\"document.body.append('ONERROR-RAN')\">"
        "<iframe src='file:///etc/passwd' width='800' height='300'></iframe>"
        "<iframe src='file:///root/' width='800' height='300'></iframe>"
        f"<iframe src='{listed.as_uri()}/' width='800' height='300'></iframe>"
        "<object data='file:///etc/passwd' type='text/plain' width='800' height='300'></object>"
        "<embed src='file:///etc/passwd' type='text/plain' width='800' height='300'>"
        "<p>END-OF-DELIVERABLE</p></body></html>"
    )
    done, out = render_pdf(tmp_path, page)
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    title = mixplan.load_plan(EXAMPLES[0]).plan.title
    assert title in " ".join(text.split()) and "END-OF-DELIVERABLE" in text
    assert "SCRIPT-RAN" not in text and "ONERROR-RAN" not in text
    assert not PASSWD_LINE.search(text), text
    assert "LISTED-FILE-NAME-0451" not in text and "Index of" not in text


def test_a_refresh_to_a_local_file_does_not_replace_the_deliverable(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><meta http-equiv='refresh' content='0;url=file:///etc/passwd'></head>"
        "<body><h1>REFRESH-PAGE-TITLE</h1></body></html>"
    )
    done, out = render_pdf(tmp_path, page)
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert not PASSWD_LINE.search(text), text
    assert "REFRESH-PAGE-TITLE" in text


def test_a_refresh_to_the_network_does_not_replace_the_deliverable(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><meta http-equiv='refresh' content='0;url=http://127.0.0.1:9/'></head>"
        "<body><h1>REFRESH-PAGE-TITLE</h1></body></html>"
    )
    done, out = render_pdf(tmp_path, page)
    assert done.returncode == 0, done.stderr
    assert "REFRESH-PAGE-TITLE" in pdf_text(out)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_still_print_whole(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(example), "-o", str(out)],
        check=False, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes()))
    assert pages in PDF_PAGES, pages
    text = " ".join(pdf_text(out).split())
    plan = mixplan.load_plan(example)
    assert plan.plan.title in text
    assert all(m.name in text for m in plan.means[:3])


def test_a_browser_that_never_answers_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    # A stand-in "browser" that only sleeps: html_to_pdf gives up and kills it.
    sleeper = tmp_path / "sleepy-browser"
    sleeper.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    sleeper.chmod(0o755)
    with pytest.raises(mixplan.MixplanError) as caught:
        html_to_pdf("<p>hi</p>", timeout=2, browser=str(sleeper))
    assert "did not finish printing the PDF within 2 s" in caught.value.message
    found = subprocess.run(["pgrep", "-f", str(sleeper)], capture_output=True, text=True, check=False)
    assert found.stdout.strip() == ""
