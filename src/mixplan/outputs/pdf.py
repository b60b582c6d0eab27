"""Print the HTML deliverable to PDF with a headless Chromium already installed.

mixplan drives the browser itself over its DevTools pipe (file descriptors
3 and 4, NUL-terminated JSON messages), so no browser driver is needed. A
custom template can write any HTML, so the page is given no power: scripts
are off, the deliverable is served from memory to an address of its own
(never a file:// page, which could read other local files), every other
request is refused (local files, the network, a refresh to elsewhere), and
a strict Content-Security-Policy says the same inside the document. The
browser gets a throw-away profile and the flags that stop its background
traffic, and is killed when printing ends, however it ends.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import signal
import tempfile
import time
from html import escape as html_escape
from html import parser as html_parser
from pathlib import Path
from typing import Any

from ..errors import MixplanError
from ..language import say

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # No --no-pdf-header-footer: it is --print-to-pdf's, which mixplan no
    # longer uses (printToPDF's displayHeaderFooter says it), and Chromium 156
    # loses every page's renderer when it is given without --print-to-pdf.
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


# Where the page seems to come from. `.invalid` names nothing real, and the
# request never leaves the browser: mixplan answers it with the deliverable.
PAGE_URL = "https://deliverable.mixplan.invalid/plan.html"
CONTENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"


_DOCTYPE = re.compile(r"\A(?:\ufeff)?\s*<!doctype[^>]*>", re.IGNORECASE)

# Chromium fills the spans of these classes with the page's number and the page count.
_PAGE_OF = {
    "en": 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
    "fr": 'Page <span class="pageNumber"></span> sur <span class="totalPages"></span>',
}
_PAGE_NUMBER_ONLY = '<span class="pageNumber"></span> / <span class="totalPages"></span>'
# The footer is its own small document, without the page's stylesheet: it says its
# size and sits inside the page's side margins (14 mm in the built-in stylesheet).
_FOOTER = (
    '<div style="width:100%;margin:0 14mm;display:flex;justify-content:space-between;gap:8mm;'
    "font:7.5pt Arial,'Liberation Sans',sans-serif;color:#5d6672\">"
    '<span style="overflow:hidden;white-space:nowrap;text-overflow:ellipsis">{text}</span>'
    '<span style="white-space:nowrap">{page}</span></div>'
)


class _PrintFacts(html_parser.HTMLParser):
    """The document's language and the running footer its template asks for, from its head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.language = ""
        self.running_footer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.language = (values.get("lang") or "").split("-")[0].lower()
        elif tag == "meta" and values.get("name") == "mixplan-running-footer":
            self.running_footer = values.get("content") or ""


def footer_template(html: str) -> str:
    """Page.printToPDF's footer: the template's running footer text, escaped, and the page number."""
    facts = _PrintFacts()
    # The head is enough, and a plan of thousands of means need not be parsed twice.
    head_end = html.find("<body")
    facts.feed(html[: head_end if head_end >= 0 else 65536])
    # The text is the plan's own (client, title): shown as written, never read as markup.
    text = html_escape(facts.running_footer, quote=True)
    return _FOOTER.format(text=text, page=_PAGE_OF.get(facts.language, _PAGE_NUMBER_ONLY))


def with_content_policy(html: str) -> str:
    """The document with its Content-Security-Policy first, ahead of anything a template wrote.

    Only a leading doctype stays in front: it loads nothing, and without it
    in first place the browser would lay the page out in quirks mode.
    """
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">'
    doctype = _DOCTYPE.match(html)
    end = doctype.end() if doctype else 0
    return html[:end] + policy + html[end:]


_CONTENTS_PAGE = re.compile(r'<span class="toc-page" data-section="([a-z0-9-]+)"></span>')
_OBJECT = re.compile(rb"(?<![0-9])([0-9]+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
_REFERENCE = re.compile(rb"([0-9]+) 0 R")
_DESTINATION = re.compile(rb"/([A-Za-z0-9#_.-]+)\s*\[\s*([0-9]+) 0 R")


def section_pages(pdf: bytes) -> dict[str, int]:
    """Page number (from 1, as the footer counts) of each named destination Chromium wrote: one per
    element id that a link of the page points at, so each contents entry's section.

    Chromium writes the catalogue, the page tree and the /Dests dictionary as
    plain objects; anything else (a PDF it did not write so) gives no numbers.
    """
    objects = {int(number): body for number, body in _OBJECT.findall(pdf)}
    catalogue = next((body for body in objects.values() if b"/Type /Catalog" in body), None)
    if catalogue is None:
        return {}
    pages_at = re.search(rb"/Pages ([0-9]+) 0 R", catalogue)
    dests_at = re.search(rb"/Dests ([0-9]+) 0 R", catalogue)
    if pages_at is None or dests_at is None:
        return {}
    order: list[int] = []

    def walk(number: int, depth: int = 0) -> None:
        body = objects.get(number, b"")
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is None or depth > 32:
            order.append(number)
            return
        for kid in _REFERENCE.findall(kids.group(1)):
            walk(int(kid), depth + 1)

    walk(int(pages_at.group(1)))
    page_number = {number: index for index, number in enumerate(order, start=1)}
    found = {}
    for name, page in _DESTINATION.findall(objects.get(int(dests_at.group(1)), b"")):
        if int(page) in page_number:
            found[name.decode("ascii")] = page_number[int(page)]
    return found


def with_contents_pages(html: str, pages: dict[str, int]) -> str | None:
    """The document with each contents entry's page number written in, or None when there is nothing to write."""
    if not pages or not _CONTENTS_PAGE.search(html):
        return None

    def number(match: re.Match[str]) -> str:
        page = pages.get(match.group(1))
        return match.group(0) if page is None else match.group(0).replace("></span>", f">{page}</span>")

    return _CONTENTS_PAGE.sub(number, html)


def html_to_pdf(html: str, *, timeout: float = 60.0, browser: str | None = None) -> bytes:
    """The PDF of an HTML document, as bytes; the caller writes them."""
    executable = browser or find_browser()
    if executable is None:
        raise MixplanError(say("pdf.no_browser"))
    if not hasattr(os, "posix_spawn"):
        raise MixplanError(say("pdf.needs_posix"))
    page = with_content_policy(html).encode("utf-8")
    footer = footer_template(html)
    with tempfile.TemporaryDirectory(prefix="mixplan-pdf-", ignore_cleanup_errors=True) as work:
        folder = Path(work)
        log = folder / "browser.log"
        session = _Browser.start(executable, folder / "profile", log, time.monotonic() + timeout)
        try:
            printed = session.print_page(page, footer)
            numbered = with_contents_pages(html, section_pages(printed))
            if numbered is None:
                return printed
            # The numbers sit in a column the print stylesheet keeps for them: the
            # second printing lays out the same pages, now with the numbers shown.
            return session.print_page(with_content_policy(numbered).encode("utf-8"), footer)
        except _TimedOut:
            raise MixplanError(say("pdf.too_slow", browser=executable, seconds=f"{timeout:g}")) from None
        except _BrowserGone as gone:
            code = session.exit_code(wait=min(2.0, max(0.0, session.deadline - time.monotonic())))
            detail = gone.detail(log)
            exit_code = say("pdf.exit_code", code=code) if code is not None else ""
            raise MixplanError(say("pdf.browser_gone", browser=executable, exit=exit_code, detail=detail)) from None
        finally:
            session.kill()


class _TimedOut(Exception):
    pass


class _BrowserGone(Exception):
    """The browser closed its pipe, exited or answered a command with an error."""

    def detail(self, log: Path) -> str:
        if self.args:
            return str(self.args[0])
        try:
            lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        except OSError:
            lines = []
        return lines[-1] if lines else say("pdf.no_output")


class _Browser:
    """One Chromium process and its DevTools pipe, bounded by a deadline."""

    def __init__(self, pid: int, commands: int, replies: int, deadline: float) -> None:
        self.pid, self.commands, self.replies, self.deadline = pid, commands, replies, deadline
        self.group = pid
        self.received = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    @classmethod
    def start(cls, executable: str, profile: Path, log: Path, deadline: float) -> _Browser:
        import fcntl

        # Chromium reads commands from its fd 3 and writes replies to its fd 4.
        # Each end is first moved above 10, so the mapping onto 3 and 4 never
        # overwrites the other end, and is close-on-exec here.
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        theirs = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser_read, from_browser_write)]
        for fd in (to_browser_read, from_browser_write):
            os.close(fd)
        logged = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
        null = os.open(os.devnull, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        command = [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        try:
            pid = os.posix_spawn(
                shutil.which(executable) or executable,
                command,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, null, 0),
                    (os.POSIX_SPAWN_DUP2, null, 1),
                    (os.POSIX_SPAWN_DUP2, logged, 2),
                    (os.POSIX_SPAWN_DUP2, theirs[0], 3),
                    (os.POSIX_SPAWN_DUP2, theirs[1], 4),
                ],
                setpgroup=0,  # its own process group: its helpers are killed with it
            )
        except OSError as error:
            for fd in (*theirs, to_browser_write, from_browser_read):
                os.close(fd)
            raise MixplanError(say("pdf.cannot_start", browser=executable, reason=error.strerror or error)) from None
        finally:
            os.close(logged)
            os.close(null)
        for fd in theirs:
            os.close(fd)
        os.set_blocking(to_browser_write, False)
        return cls(pid, to_browser_write, from_browser_read, deadline)

    def exit_code(self, wait: float) -> int | None:
        """The browser's exit code, if it ends within `wait` seconds (then it is reaped)."""
        until = time.monotonic() + wait
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except OSError:
                return None
            if pid:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() >= until:
                return None
            time.sleep(0.02)

    def kill(self) -> None:
        for fd in (self.commands, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.killpg(self.group, signal.SIGKILL)  # its helpers too, even once it has exited
        except OSError:
            pass
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass

    # --- the protocol ---------------------------------------------------------------

    def print_page(self, page: bytes, footer: str) -> bytes:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Emulation.setScriptExecutionDisabled", session, value=True)
        self.call("Fetch.enable", session, patterns=[{"urlPattern": "*"}])
        self.call("Page.enable", session)
        served, navigated, loaded = [False], [False], [False]

        def on_event(event: dict[str, Any]) -> None:
            method = event.get("method")
            if event.get("sessionId") != session:
                return
            if method == "Fetch.requestPaused":
                self._answer(session, event["params"], page, served)
            elif method == "Page.loadEventFired" and navigated[0]:
                loaded[0] = True

        self.on_event = on_event
        # Its answer comes once the page is committed, before its load event.
        opened = self.call("Page.navigate", session, url=PAGE_URL)
        if opened.get("errorText"):
            raise _BrowserGone(say("pdf.page_not_opened", error=opened["errorText"]))
        navigated[0] = True
        while not loaded[0]:
            self._dispatch(self.read())
        printed = self.call(
            "Page.printToPDF",
            session,
            printBackground=True,
            preferCSSPageSize=True,
            displayHeaderFooter=True,
            headerTemplate="<span></span>",  # an empty one: Chromium's default shows the date and address
            footerTemplate=footer,
        )
        return base64.b64decode(printed["data"])

    def _answer(self, session: str, paused: dict[str, Any], page: bytes, served: list[bool]) -> None:
        # The deliverable is served once, for the navigation above; anything
        # else, and the same address asked again (a refresh), is refused. An
        # aborted request, unlike a failed one, leaves the page as it was.
        if paused["request"]["url"] == PAGE_URL and not served[0]:
            served[0] = True
            self.send(
                "Fetch.fulfillRequest",
                session,
                requestId=paused["requestId"],
                responseCode=200,
                responseHeaders=[
                    {"name": "Content-Type", "value": "text/html; charset=utf-8"},
                    {"name": "Content-Security-Policy", "value": CONTENT_POLICY},
                ],
                body=base64.b64encode(page).decode("ascii"),
            )
        else:
            self.send("Fetch.failRequest", session, requestId=paused["requestId"], errorReason="Aborted")

    def send(self, method: str, session: str | None = None, **params: Any) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            _, writable, _ = select.select([self.replies], [self.commands], [], self._left())
            if writable:
                try:
                    data = data[os.write(self.commands, data) :]
                except BlockingIOError:
                    continue
                except OSError:
                    raise _BrowserGone from None
            else:
                # The browser may be waiting for us to read before it reads more.
                self.events.extend(self._read_available())
        return self.next_id

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        wanted = self.send(method, session, **params)
        while True:
            message = self.read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise _BrowserGone(f"{method}: {message['error'].get('message', message['error'])}")
                return message.get("result", {})
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, "on_event", None)
        if handler is not None and "method" in message:
            handler(message)

    def read(self) -> dict[str, Any]:
        while not self.events:
            select.select([self.replies], [], [], self._left())
            self.events.extend(self._read_available())
        return self.events.pop(0)

    def _read_available(self) -> list[dict[str, Any]]:
        if not select.select([self.replies], [], [], 0)[0]:
            self._left()
            return []
        try:
            chunk = os.read(self.replies, 1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            raise _BrowserGone
        self.received += chunk
        *complete, self.received = self.received.split(b"\0")
        return [json.loads(text) for text in complete]

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _TimedOut
        return left
