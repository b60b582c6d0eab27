"""The Jinja environments: filters, a user's template folder confined and bounded in the sandbox."""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from ..assets import templates_dir
from ..errors import MixplanError
from ..language import grouped, say
from ..present.markdown import heading_anchor, html_paragraphs, md_escape, md_paragraphs
from ..views.dashboard import shown_value
from .template_cache import compiled_template_cache

# --- environments ----------------------------------------------------------------------


@jinja2.pass_environment
def names(
    env: jinja2.Environment,
    ids: list[str],
    lookup: dict[str, Any],
    attribute: str | None = "name",
    separator: str = ", ",
) -> str:
    """Ids shown by what they refer to: an attribute of the item, or the mapped text itself.

    Items and attributes are read the way the template itself would read
    them, so in the sandbox this filter reaches nothing `{{ item.attr }}` could not.
    """
    shown = []
    for ref in ids:
        item = env.getitem(lookup, ref)
        if item is None or isinstance(item, jinja2.Undefined):
            shown.append(ref)
        else:
            shown.append(str(env.getattr(item, attribute) if attribute else item))
    return separator.join(shown)


# The view's formats as filters: `{{ m.cost | money }}`, `{{ kpi.target | metric(kpi.metric) }}`.
# Jinja calls a filter directly, while `fmt.money(m.cost)` goes through its
# generic call path, three times the cost: a table row per means calls several.
# They read the formatter of the rendering under way from the template's context.


@jinja2.pass_context
def _money_filter(context: Any, amount: Decimal | None) -> str:
    return context["fmt"].money(amount)


@jinja2.pass_context
def _date_filter(context: Any, day: _dt.date | None) -> str:
    return context["fmt"].date(day)


@jinja2.pass_context
def _short_date_filter(context: Any, day: _dt.date | None) -> str:
    return context["fmt"].short_date(day)


@jinja2.pass_context
def _percent_filter(context: Any, share: Decimal | None) -> str:
    return context["fmt"].percent(share)


@jinja2.pass_context
def _number_filter(context: Any, value: Decimal | int | None) -> str:
    return context["fmt"].number(value)


@jinja2.pass_context
def _metric_filter(context: Any, value: Decimal | None, metric: str) -> str:
    return context["fmt"].metric(metric, value)


@jinja2.pass_context
def _shown_filter(context: Any, value: Decimal | None, metric: str) -> str:
    return shown_value(context["fmt"], metric, value)


FORMAT_FILTERS: dict[str, Callable[..., str]] = {
    "money": _money_filter,
    "date": _date_filter,
    "short_date": _short_date_filter,
    "percent": _percent_filter,
    "number": _number_filter,
    "metric": _metric_filter,
    "shown": _shown_filter,
}


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    return md_escape(value)


@functools.cache
def environment(format: str, user_templates: str | None = None, *, cached: bool = False) -> jinja2.Environment:
    """The built-in templates, or a user's folder in front of them in Jinja's sandbox.

    `cached` keeps compiled templates in the user's cache folder: the command
    asks for it; a library caller only when it says so, since the library
    writes nothing it was not asked to write.
    """
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    common: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "autoescape": format == "html",
    }
    if format != "html":
        common["finalize"] = _finalize_markdown
    if user_templates is None:
        env = jinja2.Environment(loader=builtin, **common)
    else:
        # A user's template is code from outside: the sandbox keeps it from
        # reaching Python internals; files it lacks come from the built-ins.
        loader = jinja2.ChoiceLoader([ConfinedLoader(user_templates), builtin])
        env = _bounded_sandbox()(loader=loader, **common)
        env.filters["center"] = _bounded_center
    env.filters["paragraphs"] = html_paragraphs if format == "html" else md_paragraphs
    env.filters["names"] = names
    env.filters["anchor"] = heading_anchor
    env.filters.update(FORMAT_FILTERS)
    if cached:
        env.bytecode_cache = compiled_template_cache(env)
    return env


class ConfinedLoader(jinja2.FileSystemLoader):
    """A user's template folder, from which only files really inside it are read.

    Jinja refuses `..` in a template name but follows symbolic links: a link
    in the folder (or a template that is one) could bring any file the user
    can read into the deliverable. Each file's real path must be in the folder.
    """

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.root = Path(os.path.realpath(folder))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        candidate = self.root.joinpath(*split_template_path(template))
        if os.path.lexists(candidate):
            real = Path(os.path.realpath(candidate))
            if not real.is_relative_to(self.root):
                raise MixplanError(
                    say("templates.link_outside", path=candidate, template=template, root=self.root, real=real)
                )
        return super().get_source(environment, template)


# --- limits of a user's template ------------------------------------------------------------

# A template is a small program: in the sandbox it cannot reach Python's
# internals, and these bounds keep it from filling the memory or the disk, or
# running for ever. A deliverable is a few hundred kilobytes; these are far above.
MAX_REPEAT = 10_000_000  # characters or items that one `*` or `%` may produce
MAX_POWER_BITS = 100_000  # size of an integer `**` may produce (about 30,000 digits)
MAX_OUTPUT_CHARS = 50_000_000  # about 50 MB of text
DEFAULT_TIME_LIMIT = 60.0  # seconds a user's template may run
TIME_LIMIT_VARIABLE = "MIXPLAN_TEMPLATE_SECONDS"

# A %-format field: its width and precision, written or taken from the arguments (*).
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?[a-zA-Z%]")


def _repeat_size(left: Any, right: Any) -> int | None:
    """How many characters or items `left * right` makes, when one side is text or a sequence."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
            return len(sequence) * max(count, 0)
    return None


def _check_binop(operator: str, left: Any, right: Any) -> None:

    if operator == "*":
        size = _repeat_size(left, right)
        if size is not None and size > MAX_REPEAT:
            raise SecurityError(say("templates.repeat_too_big", size=grouped(size), limit=grouped(MAX_REPEAT)))
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            bits = left.bit_length() * right
            if bits > MAX_POWER_BITS:
                raise SecurityError(
                    say("templates.power_too_big", left=left, right=right, digits=grouped(bits * 3 // 10))
                )
    elif operator == "%" and isinstance(left, str):
        arguments = right if isinstance(right, tuple) else (right,)
        for match in _PERCENT_FIELD.finditer(left):
            for size in match.groups():  # type: ignore[assignment]  # a field's width text, read as a size below
                if size == "*":
                    wide = any(isinstance(a, int) and abs(a) > MAX_REPEAT for a in arguments)
                else:
                    wide = size is not None and int(size) > MAX_REPEAT
                if wide:
                    raise SecurityError(
                        say("templates.format_too_wide", format=repr(match.group(0)[:20]), limit=grouped(MAX_REPEAT))
                    )


def _bounded_center(value: Any, width: int = 80) -> str:

    if isinstance(width, int) and width > MAX_REPEAT:
        raise SecurityError(say("templates.call_too_wide", call=f"center({grouped(width)})", limit=grouped(MAX_REPEAT)))
    return str(value).center(width)


# Methods of text that pad it to a width given by the template.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


@functools.cache
def _bounded_sandbox() -> type[jinja2.Environment]:
    """Jinja's sandbox, with the arithmetic that can make huge values checked first."""
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
            if isinstance(getattr(__obj, "__self__", None), str) and getattr(__obj, "__name__", "") in _PADDING_METHODS:
                if any(isinstance(a, int) and a > MAX_REPEAT for a in (*args, *kwargs.values())):
                    raise SecurityError(
                        say("templates.call_too_wide", call=f"{__obj.__name__}()", limit=grouped(MAX_REPEAT))
                    )
            return super().call(__context, __obj, *args, **kwargs)

    return BoundedSandbox


class TemplateTimeUp(BaseException):
    """Raised inside a rendering thread whose template ran past its time.

    A BaseException, like KeyboardInterrupt, so that no `except Exception`
    on the way (Jinja's or a filter's) can swallow it.
    """


class Deadline:
    """Stops a template that runs longer than its time, in whatever thread renders it.

    A timer thread raises `TemplateTimeUp` in the rendering thread (CPython's
    PyThreadState_SetAsyncExc): unlike SIGALRM, that works outside the main
    thread too. The clock runs only while the template does (`with deadline:`
    around each batch), not while the caller writes a piece or a reader
    pages through it. Elsewhere than CPython there is no deadline.
    """

    def __init__(self, seconds: float) -> None:
        self.left = seconds
        self.lock = threading.Lock()
        self.armed = False
        self.fired = False
        self.thread = 0
        self.timer: threading.Timer | None = None
        self.started = 0.0

    def __enter__(self) -> None:
        if self.left <= 0:
            raise TemplateTimeUp
        self.thread = threading.get_ident()
        self.armed, self.started = True, time.monotonic()
        self.timer = threading.Timer(self.left, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        with self.lock:
            self.armed = False
            if self.timer is not None:
                self.timer.cancel()
            if self.fired and kind is not TemplateTimeUp:
                _absorb_pending()
        self.left -= time.monotonic() - self.started

    def _fire(self) -> None:
        with self.lock:
            if self.armed:
                self.fired = True
                _raise_in_thread(self.thread, TemplateTimeUp)


def _raise_in_thread(thread: int, exception: type[BaseException]) -> None:
    try:
        import ctypes

        set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return
    set_async(ctypes.c_ulong(thread), ctypes.py_object(exception))


def _absorb_pending() -> None:
    """Let a `TemplateTimeUp` sent but not yet raised land here, never in the caller's code.

    Withdrawing it instead (PyThreadState_SetAsyncExc with NULL) leaves Python 3.11's
    "exception pending" flag raised with nothing pending: under a trace function
    (coverage, a debugger) the thread then spins for ever.
    """
    try:
        # Each backward jump checks for pending exceptions: one that was sent lands on the first.
        for _ in range(100):
            pass
    except TemplateTimeUp:
        pass


def time_limit_setting() -> float:
    """Seconds a user's template may run: $MIXPLAN_TEMPLATE_SECONDS (0 for none), else one minute."""
    chosen = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    try:
        seconds = float(chosen)
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return seconds if seconds >= 0 and seconds == seconds else DEFAULT_TIME_LIMIT


def themes(user_templates: str | None = None) -> list[str]:
    """Theme names: the CSS files under html/themes/, built-in or in the user's folder."""
    folders = [templates_dir()] + ([Path(user_templates)] if user_templates else [])
    return sorted({css.stem for folder in folders for css in (folder / "html" / "themes").glob("*.css")})


def template_position(error: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback (Jinja maps frames to them)."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".html", ".md")) and Path(filename).exists():
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found
