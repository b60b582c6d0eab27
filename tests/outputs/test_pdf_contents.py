"""The PDF's contents give each section's page number, and each number is the page its heading is on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mixplan.outputs.pdf import find_browser, section_pages, with_contents_pages

from ..conftest import EXAMPLES

# Marked slow too: two printings of each example.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _needs_chromium_and_pdftotext() -> None:
    if not (find_browser() and shutil.which("pdftotext")):
        if os.environ.get("MIXPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail("MIXPLAN_REQUIRE_BROWSER=1 but chromium or pdftotext is not installed")
        pytest.skip("chromium or pdftotext not installed")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_each_contents_entry_gives_the_page_of_its_heading(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "mixplan", "render", str(example), "-o", str(out)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = _pages(out)
    contents = next(page for page in pages if re.search(r"^\s*(Contents|Sommaire)\s*$", page, re.M))
    entries = re.findall(r"^\s{2,}(\S.*?\S)\s{3,}(\d+)\s*$", contents, re.M)
    assert len(entries) >= 9, contents
    for title, number in entries:
        page = pages[int(number) - 1]
        # The heading stands on a line of its own on that page.
        assert re.search(rf"^\s*{re.escape(title)}\s*$", page, re.M), f"{title!r} is not on page {number}"


def test_without_contents_markers_the_html_is_printed_once() -> None:
    assert with_contents_pages("<p>no contents</p>", {"budget": 3}) is None
    assert with_contents_pages('<span class="toc-page" data-section="budget"></span>', {}) is None
    assert with_contents_pages('<span class="toc-page" data-section="budget"></span>', {"budget": 3}) == (
        '<span class="toc-page" data-section="budget">3</span>'
    )


def test_a_pdf_not_written_as_chromium_writes_gives_no_numbers() -> None:
    assert section_pages(b"%PDF-1.7 garbage") == {}
