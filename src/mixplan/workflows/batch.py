"""Which file each plan given to `render` becomes, and writing it.

One plan: `-o FILE` names the output (its suffix gives the format) and is
replaced if it exists, since the user named it; without `-o`, Markdown or
HTML goes to standard output. Several plans (or one with an output folder):
each plan `NAME.yaml` becomes `DIR/NAME.<format>` in the folder given by
`--output-dir DIR`, or by `-o DIR` when DIR is an existing folder; the format
comes from `--format` (default html), and existing files there are replaced
only with `--force`, because the user did not name them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import MixplanError
from ..language import say
from ..messages import one_of

DELIVERABLE_FORMATS = ("md", "html", "pdf")
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf"}


@dataclass(frozen=True)
class Job:
    """One plan to render: where it comes from, where it goes (None: standard output), in which format."""

    plan: Path
    output: Path | None
    format: str
    overwrite: bool


def _format(name: str | None) -> str | None:
    if name is None:
        return None
    if name.lower() not in DELIVERABLE_FORMATS:
        raise MixplanError(say("cli.unknown_format", format=name, choices=one_of(("md", "html", "pdf"))))
    return name.lower()


def plan_jobs(
    plans: Sequence[Path],
    *,
    output: Path | None = None,
    output_dir: Path | None = None,
    format: str | None = None,
    force: bool = False,
) -> list[Job]:
    """Decide every output before anything is rendered, so a bad batch writes nothing."""
    chosen = _format(format)
    if output is not None and output_dir is not None:
        raise MixplanError(say("batch.o_and_dir"))
    folder = output_dir
    if folder is None and output is not None and output.is_dir():
        folder = output
    if folder is None and len(plans) > 1:
        if output is not None:
            raise MixplanError(say("batch.o_not_folder", output=output))
        raise MixplanError(say("batch.several"))

    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise MixplanError(say("batch.not_folder", folder=folder))
        chosen = chosen or "html"
        jobs = [Job(p, folder / (p.stem + EXTENSIONS[chosen]), chosen, force) for p in plans]
        seen: dict[Path, Path] = {}
        for job in jobs:
            assert job.output is not None
            if job.output in seen:
                raise MixplanError(say("batch.same_output", first=seen[job.output], second=job.plan, output=job.output))
            seen[job.output] = job.plan
        # A link counts even when what it points to is missing: writing would go through it.
        existing = [job.output for job in jobs if job.output is not None and os.path.lexists(job.output)]
        if existing and not force:
            shown = ", ".join(str(p) for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
            raise MixplanError(say("batch.exist", shown=shown))
    elif output is None:
        chosen = chosen or "md"
        if chosen == "pdf":
            raise MixplanError(say("batch.pdf_needs_file"))
        jobs = [Job(plans[0], None, chosen, False)]
    else:
        chosen = chosen or SUFFIX_FORMATS.get(output.suffix.lower())
        if chosen is None:
            raise MixplanError(say("batch.no_format", output=output))
        jobs = [Job(plans[0], output, chosen, True)]

    from ..outputs.write import file_key

    # Through a symbolic or a hard link, it would still be the plan.
    inputs = {file_key(p) for p in plans}
    for job in jobs:
        if job.output is not None and file_key(job.output) in inputs:
            raise MixplanError(say("cli.plan_itself", output=job.output))
    return jobs


def ensure_folder(folder: Path) -> None:
    """Create a batch's output folder when it does not exist yet."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MixplanError(say("batch.cannot_create", folder=folder, reason=error.strerror or error)) from None
