"""Print the HTML deliverable to PDF with a headless Chromium already installed.

Chromium's own `--print-to-pdf` does the printing, so no browser driver is
needed at run time. The browser gets a throw-away profile and the flags that
stop its background traffic; the page is one self-contained file, so it has
nothing to fetch either.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import MixplanError
from .write import write_text

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = (
    "PDF output needs Chromium or Google Chrome on PATH "
    "(Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium); "
    "or render HTML with -o plan.html and print it from a browser"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    # No host name resolves and every request, loopback included, goes to a
    # closed port: a custom template that links an outside image or font
    # cannot make the browser reach the network.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, *, timeout: float = 60.0, browser: str | None = None) -> bytes:
    """The PDF of an HTML document, as bytes; the caller writes them."""
    executable = browser or find_browser()
    if executable is None:
        raise MixplanError(f"no Chromium found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="mixplan-pdf-") as work:
        folder = Path(work)
        page, printed, profile = folder / "plan.html", folder / "plan.pdf", folder / "profile"
        write_text(page, html)
        command = [executable, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={printed}", page.as_uri()]
        try:
            done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise MixplanError(f"{executable} did not finish printing the PDF within {timeout:g} s") from None
        except OSError as error:
            raise MixplanError(f"cannot start {executable}: {error.strerror or error}") from None
        if done.returncode != 0 or not printed.exists() or printed.stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise MixplanError(f"{executable} could not print the PDF (exit {done.returncode}: {detail[0]})")
        return printed.read_bytes()
