"""Live preview: render the plan, then again every time it (or a template folder) is saved.

The command supplies the rendering (a plan in, text or bytes out); this module
validates, writes, reports one line per render and keeps watching. An invalid
plan never reaches the output file, so the last good deliverable stays on disk
while the marketer fixes a typo. watchfiles (a Rust-backed watcher) is imported
only when watching starts.
"""

from __future__ import annotations

import datetime as _dt
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import MixplanError
from ..language import current, plural, say, speaking
from ..loading.limits import DEFAULT_MAX_PLAN_BYTES
from ..plan.model import Plan
from ..rule_ids import UNREADABLE_FILE

RenderFunction = Callable[[Plan], str | bytes]

# How often the watcher wakes up when nothing changes (to notice Ctrl-C and stop_event).
_TICK_MS = 200


def _clock() -> str:
    return _dt.datetime.now().strftime("%H:%M:%S")


@dataclass
class LiveRender:
    """One plan rendered to one output file, again and again."""

    plan: Path
    output: Path
    render: RenderFunction
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Callable[[], str] = _clock
    last_good: str | None = None
    max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES
    # --lang, else each version of the plan speaks its own `plan.language`; `spoken` is the last one used.
    language: str | None = None
    spoken: str = "en"

    def say(self, line: str) -> None:
        self.stream.write(line.rstrip("\n") + "\n")
        self.stream.flush()

    def once(self) -> bool:
        """Validate and render once; True when the output was written.

        Never raises for a bad plan or a failed write: the message is
        printed and the previous output is left as it was.
        """
        from .. import api
        from ..outputs.write import write_bytes, write_text

        now = self.clock()
        try:
            report = api.validate(self.plan, max_bytes=self.max_bytes, lang=self.language, default_lang=self.spoken)
            self.spoken = report.language
            with speaking(self.spoken):
                try:
                    plan = report.valid_plan
                except api.PlanRefused:
                    errors = plural(len(report.errors), "findings.errors")
                    self.say(say("watch.refused", time=now, plan=self.plan, errors=errors, kept=self._kept()))
                    for finding in report.findings:
                        self.say(f"  {finding}")
                    return False
                data: Any = self.render(plan)
                if isinstance(data, bytes):
                    write_bytes(self.output, data, overwrite=True)
                else:
                    write_text(self.output, data, overwrite=True)
        except MixplanError as error:
            with speaking(error.language or self.spoken):
                self.say(say("watch.failed", time=now, message=error.message, kept=self._kept()))
            return False
        with speaking(self.spoken):
            warnings = (
                say("watch.warnings", warnings=plural(len(report.warnings), "findings.warnings"))
                if report.warnings
                else ""
            )
            self.say(say("watch.wrote", time=now, output=self.output, warnings=warnings))
        for finding in report.findings:
            self.say(f"  {finding}")
        self.last_good = now
        return True

    def _kept(self) -> str:
        if self.last_good:
            return say("watch.kept", output=self.output, time=self.last_good)
        return say("watch.not_written", output=self.output)


def _watched(plan: Path, folders: Iterable[Path], output: Path | None = None) -> Callable[[Any, str], bool]:
    """Which file events matter: the plan itself, or anything in a template folder.

    The plan's folder is watched rather than the file, because editors often
    save by writing a new file and renaming it over the old one. The output
    and the temporary files it is written through are never a reason to
    render: inside a watched folder, each render would start the next, for ever.
    """
    plan = plan.resolve()
    roots = [folder.resolve() for folder in folders]
    written = output.resolve() if output is not None else None

    def own_output(path: Path) -> bool:
        if written is None:
            return False
        # write.py's temporary name: ".NAME.<random>.tmp" beside the target.
        temporary = path.name.startswith(f".{written.name}.") and path.name.endswith(".tmp")
        return path == written or (temporary and path.parent == written.parent)

    def keep(_change: Any, raw: str) -> bool:
        path = Path(raw).resolve()
        if own_output(path):
            return False
        return path == plan or any(path.is_relative_to(root) for root in roots)

    return keep


def _stop_on_terminate() -> Any:
    """Make SIGTERM (a service manager, `kill`) stop watching as cleanly as Ctrl-C; returns the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def watch_render(
    plan: Path,
    output: Path,
    render: RenderFunction,
    *,
    folders: Iterable[Path] = (),
    stream: TextIO | None = None,
    stop_event: Any = None,
    max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES,
    language: str | None = None,
) -> int:
    """Render `plan` to `output`, then on every save, until Ctrl-C (or `stop_event`); returns the exit code, 0.

    `folders` are watched too (a custom template directory, recursively).
    """
    import watchfiles

    from .. import api

    folders = list(folders)
    live = LiveRender(plan, output, render, max_bytes=max_bytes, language=language)
    if stream:
        live.stream = stream
    if not plan.is_file():
        raise MixplanError(say(f"{UNREADABLE_FILE}.missing", path=plan))
    live.spoken = language or api.written_language(plan, max_bytes=max_bytes) or current()
    with speaking(live.spoken):
        shown_folders = "".join(say("watch.and_folder", folder=folder) for folder in folders)
        live.say(say("watch.watching", plan=plan, folders=shown_folders))
    previous = _stop_on_terminate()
    try:
        started = False
        # The first render waits for the watcher's first (empty) tick, so a save
        # made as soon as the first "wrote" line shows is never missed.
        for changes in watchfiles.watch(
            plan.resolve().parent,
            *folders,
            watch_filter=_watched(plan, folders, output),
            recursive=bool(folders),
            stop_event=stop_event,
            rust_timeout=_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=True,
        ):
            if changes or not started:
                started = True
                live.once()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    with speaking(live.spoken):
        live.say(say("watch.stopped", time=live.clock()))
    return 0
