"""Compiled templates kept in the user's cache folder, trusted only when mixplan wrote them."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2

# --- compiled templates ------------------------------------------------------------------

# Compiling the HTML template costs more than rendering a small plan; the
# compiled code is kept in the user's cache folder, never in the package.
CACHE_DIR_VARIABLE = "MIXPLAN_CACHE_DIR"


def cache_root() -> Path:
    """Where mixplan may keep caches: $MIXPLAN_CACHE_DIR, else the platform's user cache folder."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mixplan"


def _compile_fingerprint(env: jinja2.Environment) -> str:
    """What, besides a template's own text, shapes its compiled code.

    Jinja checks each cached template against the checksum of its source;
    these settings it does not check, so they name the cache folder instead:
    a change to any of them (or a new Jinja or Python) starts a fresh cache.
    """
    settings = (
        type(env).__name__,  # the sandbox checks at run time, but keep its compiled code apart anyway
        jinja2.__version__,
        sys.version,
        sorted(env.extensions),
        env.autoescape if isinstance(env.autoescape, bool) else "select",
        env.finalize is not None,
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.optimized,
        env.is_async,
        (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string),
        (env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix),
        # How each filter and test is called (with the context or not) is compiled in.
        sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in env.filters.items()),
        sorted((name, repr(getattr(t, "jinja_pass_arg", None))) for name, t in env.tests.items()),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


class CompiledTemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, one file each, written atomically by `write_bytes`.

    A compiled template is code that runs as the user, so, as Jinja's own
    FileSystemBytecodeCache does, only a file of the user's own is loaded:
    a regular file (not a link) owned by the user that no one else may
    write. A missing, stale, corrupt or untrusted file only means compiling
    again; a folder that cannot be written only means no cache.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.directory / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # No link followed, and no wait on a planted pipe; the checks are on
        # the open file itself, so it cannot be swapped after them.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(self._file(bucket), flags)
        except OSError:
            return
        with os.fdopen(descriptor, "rb") as handle:
            if _untrusted(os.fstat(handle.fileno()), folder=False) is not None:
                return
            try:
                data = handle.read()
            except OSError:
                return
        bucket.bytecode_from_string(data)  # rejects a file from another source text

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Not through write.py: an output keeps the owner of the file it
        # replaces and follows links, while a cache file must become ours
        # alone, whatever was planted under its name.
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.directory)  # created 0600
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(bucket.bytecode_to_string())
            os.replace(temporary, self._file(bucket))
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def _untrusted(info: os.stat_result, *, folder: bool) -> str | None:
    """Why a cache file or folder is not the user's alone to write, or None when it is."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if folder and not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if not folder and not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "belongs to another user"
    if hasattr(os, "geteuid") and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def _trusted_cache_folder(root: Path, fingerprint: str) -> Path | None:
    """The folder for one environment's compiled templates, created for the user alone; None if unsafe."""
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for folder in (root, root / "templates", root / "templates" / fingerprint):
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            problem = _untrusted(os.lstat(folder), folder=True)
        except OSError:
            return None  # not writable: simply no cache
        if problem is not None:
            if not _cache_refused:
                sys.stderr.write(
                    f"mixplan: not using the compiled-template cache in {folder}: it {problem}; "
                    f"remove it, or set {CACHE_DIR_VARIABLE} to a folder of your own\n"
                )
            _cache_refused.append(folder)
            return None
    return folder


# Folders refused in this process: the note is written once.
_cache_refused: list[Path] = []


def compiled_template_cache(env: jinja2.Environment) -> CompiledTemplateCache | None:
    folder = _trusted_cache_folder(cache_root(), _compile_fingerprint(env))
    return CompiledTemplateCache(folder) if folder is not None else None
