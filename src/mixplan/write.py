"""Stage 6, write: the only code that puts files on disk.

Every file is written to a temporary file in the same directory, flushed,
then renamed over the target, so an interrupted run leaves the old file
whole. Existing files are replaced only when the caller says so.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import MixplanError


class WouldOverwrite(MixplanError):
    """The target exists and the caller did not allow replacing it."""


def write_text(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    return write_chunks(path, (data,), overwrite=overwrite)


def write_chunks(path: str | os.PathLike[str], chunks: Iterable[bytes | str], *, overwrite: bool = False) -> Path:
    """Write text (as UTF-8) or bytes that arrive in pieces, without holding them all at once.

    The target is checked before the first piece is asked for, so a refusal
    costs no work; if producing a piece fails, the old file is left as it was.
    """
    target = Path(path)
    if target.is_dir():
        raise MixplanError(f"{target}: is a directory; give a file name")
    if target.exists() and not overwrite:
        raise WouldOverwrite(f"{target}: already exists; not overwriting it (use --force to replace it)")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise MixplanError(f"{target}: the folder {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except PermissionError:
        raise MixplanError(f"{target}: permission denied (cannot write in {directory})") from None
    except OSError as exc:
        raise MixplanError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            # Keep the permissions a user gave the file they are replacing.
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        # A generator left half-way keeps its frame (and anything it holds open) until closed.
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        raise
    return target
