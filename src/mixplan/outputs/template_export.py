"""`mixplan templates export`: a copy of the built-in templates to edit.

`render --templates DIR` then reads DIR first and the built-ins for any file
DIR lacks, so a user can keep only the files they changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..assets import templates_dir
from ..errors import MixplanError
from ..language import plural, say
from .write import WouldOverwrite, write_bytes

# The deliverable's templates; labels and starter plans are not templates.
EXPORTED = ("html", "markdown")


def builtin_templates() -> list[Path]:
    """The built-in template files, relative to the templates folder, in a stable order."""
    root = templates_dir()
    return sorted(
        path.relative_to(root) for folder in EXPORTED for path in (root / folder).rglob("*") if path.is_file()
    )


def export_templates(destination: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Copy every built-in template under `destination`; nothing is written if one would be replaced without `force`."""
    target = Path(destination)
    if target.exists() and not target.is_dir():
        raise MixplanError(say("templates.not_folder", path=target))
    files = builtin_templates()
    clashes = [target / name for name in files if (target / name).exists()]
    if clashes and not force:
        shown = ", ".join(str(p) for p in clashes[:3]) + (" ..." if len(clashes) > 3 else "")
        raise WouldOverwrite(plural(len(clashes), "templates.would_overwrite", shown=shown))
    root = templates_dir()
    written = []
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        written.append(write_bytes(target / name, (root / name).read_bytes(), overwrite=force))
    return written
