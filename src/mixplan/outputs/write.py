"""Stage 6, write: the only code that puts files on disk.

What a path names is written, never the path itself:

- a regular file is replaced whole: the new content goes to a temporary file
  in the same folder, is flushed, then renamed over the file, so an
  interrupted run leaves the old file whole. The new file keeps the old
  one's mode, owner and group. A file with other hard links, or whose owner
  cannot be kept, is instead rewritten in place, once its new content is
  complete on disk, so that every name of it sees the change;
- a symbolic link is followed to its target, and stays a link;
- a character device or a FIFO (`/dev/null`, a named pipe) and a path naming
  an open descriptor (`/dev/stdout`, `/dev/fd/N`) are written into as a
  stream; a socket or a disk is refused.

Existing files are replaced only when the caller says so. SIGTERM, SIGHUP
and SIGINT during a write remove the temporary file before mixplan stops;
after a SIGKILL a `.NAME.xxxx.tmp` may stay behind, which nothing reads.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import MixplanError, Stopped
from ..language import say

# Linux's own limit on symbolic links followed in one lookup.
_MAX_LINKS = 40
_COPY_BLOCK = 1 << 20
_DESCRIPTOR_FOLDER = re.compile(r"^/proc/(self|thread-self|\d+)(/task/\d+)?/fd$")


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
    try:
        real, status = _destination(target)
        if status is not None and stat.S_ISDIR(status.st_mode):
            raise MixplanError(say("write.directory", target=target))
        if not overwrite and (status is not None or os.path.lexists(target)):
            raise WouldOverwrite(say("write.exists", target=target))
        if status is not None and (not stat.S_ISREG(status.st_mode) or _names_descriptor(real)):
            _check_stream(target, status)
            with _stopping_unwinds():
                _write_stream(target, real, chunks)
        else:
            with _stopping_unwinds():
                _replace(target, real, status, chunks)
    except BaseException:
        # A generator left half-way keeps its frame (and anything it holds open) until closed.
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        raise
    return target


def file_key(path: str | os.PathLike[str]) -> tuple:
    """What makes a file itself: equal for every name of it, through symbolic or hard links alike."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return ("path", os.path.abspath(path))
    return ("inode", status.st_dev, status.st_ino)


def same_file(path: str | os.PathLike[str], other: str | os.PathLike[str]) -> bool:
    return file_key(path) == file_key(other)


@contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file `path` names, for a read-change-write cycle.

    mixplan processes that change the same file then take turns instead of
    each writing back what it read, losing the others' changes. Replacing a
    file gives its name a new inode, and a lock on the old one guards
    nothing: after locking, the name must still lead to the locked file,
    else the new one is locked. Where the file cannot be opened, or the
    filesystem has no locks, nothing is locked and the caller's own read
    reports the problem.
    """
    import fcntl

    descriptor = None
    for _attempt in range(1000):
        try:
            real, _status = _destination(Path(path))
            descriptor = os.open(real, os.O_RDONLY)
        except (OSError, MixplanError):
            descriptor = None
            break
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            if os.path.samestat(os.fstat(descriptor), os.stat(real)):
                break
        except OSError as error:
            if error.errno != errno.ENOENT:
                os.close(descriptor)
                descriptor = None
                break
        os.close(descriptor)
        descriptor = None
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _destination(target: Path) -> tuple[Path, os.stat_result | None]:
    """The file `target` names once symbolic links are followed, and its status (None: not there yet).

    A link to a missing file leads to that file, so writing through it
    creates it where the link points, as a shell's `>` does.
    """
    real = target
    for _hop in range(_MAX_LINKS):
        try:
            link = os.readlink(real)
        except OSError as error:
            if error.errno == errno.EINVAL:  # not a link: the end of the chain
                break
            if error.errno == errno.ENOENT:
                return real, None
            raise _failure(target, error, existed=False) from None
        if _names_descriptor(real):
            # /dev/stdout and its kin name an open descriptor, such as a pipe: not a path to follow.
            break
        real = Path(os.path.join(os.path.dirname(real), link))
    else:
        raise MixplanError(say("write.link_loop", target=target))
    try:
        return real, os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as error:
        raise _failure(target, error, existed=False) from None


def _names_descriptor(path: Path) -> bool:
    return bool(_DESCRIPTOR_FOLDER.match(os.path.realpath(os.path.dirname(os.path.abspath(path)))))


def _check_stream(target: Path, status: os.stat_result) -> None:
    if stat.S_ISSOCK(status.st_mode):
        raise MixplanError(say("write.socket", target=target))
    if stat.S_ISBLK(status.st_mode):
        raise MixplanError(say("write.disk", target=target))


def _write_stream(target: Path, real: Path, chunks: Iterable[bytes | str]) -> None:
    """Write into a device or a pipe, as a shell's `>` would: no temporary file, nothing replaced."""
    try:
        # O_APPEND: a descriptor path leading to a file opened by `>>` adds to it instead of writing over it.
        descriptor = os.open(real, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise _failure(target, error, existed=False) from None
    try:
        for chunk in chunks:
            _write_all(target, descriptor, chunk, existed=False)
    finally:
        os.close(descriptor)


def _replace(target: Path, real: Path, status: os.stat_result | None, chunks: Iterable[bytes | str]) -> None:
    existed = status is not None
    directory = real.parent if str(real.parent) else Path(".")
    if not directory.is_dir():
        if real != target:
            raise MixplanError(say("write.no_folder_link", target=target, real=real, folder=directory))
        raise MixplanError(say("write.no_folder", target=target, folder=directory))
    if existed and not os.access(real, os.W_OK):
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            raise MixplanError(say("write.read_only_fs", target=target))
        raise MixplanError(say("write.read_only", target=target))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=directory)
    except PermissionError:
        raise MixplanError(say("write.folder_denied", target=target, folder=directory)) from None
    except OSError as error:
        raise _failure(target, error, existed=existed) from None
    kept = False
    try:
        try:
            for chunk in chunks:
                _write_all(target, handle, chunk, existed=existed)
            _io(target, existed, os.fsync, handle)
        finally:
            os.close(handle)
        if status is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            _io(target, existed, os.replace, temporary, real)
        elif status.st_nlink > 1 or not _same_owner(temporary, status):
            try:
                _rewrite_in_place(target, real, temporary)
            except _CopyKept:
                kept = True
                raise
        else:
            # After chown, which clears the set-id bits chmod then restores.
            os.chmod(temporary, stat.S_IMODE(status.st_mode))
            _io(target, existed, os.replace, temporary, real)
    finally:
        if not kept:
            Path(temporary).unlink(missing_ok=True)


def _same_owner(temporary: str, status: os.stat_result) -> bool:
    """Give the new file the old one's owner and group; False when that is not allowed."""
    mine = os.stat(temporary)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid):
        return True
    try:
        os.chown(temporary, status.st_uid, status.st_gid)
    except PermissionError:
        return False
    return True


class _CopyKept(MixplanError):
    """An in-place rewrite failed half-way; the complete new content stays in the temporary file."""


def _rewrite_in_place(target: Path, real: Path, temporary: str) -> None:
    """Copy the complete new content over the old file's bytes, keeping its inode and so all its names.

    Space for the new content is reserved first, so a full disk is found
    before any old byte is changed.
    """
    size = os.stat(temporary).st_size
    descriptor = _io(target, True, os.open, real, os.O_WRONLY)
    try:
        reserve = getattr(os, "posix_fallocate", None)
        if reserve is not None and size:
            try:
                reserve(descriptor, 0, size)
            except OSError as error:
                if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise _failure(target, error, existed=True) from None
        try:
            with open(temporary, "rb") as source:
                offset = 0
                while block := source.read(_COPY_BLOCK):
                    view = memoryview(block)
                    while view:
                        written = os.pwrite(descriptor, view, offset)
                        view, offset = view[written:], offset + written
            os.ftruncate(descriptor, size)
            os.fsync(descriptor)
        except OSError as error:
            raise _CopyKept(
                say("write.copy_kept", target=target, reason=error.strerror or error, temporary=temporary)
            ) from None
    finally:
        os.close(descriptor)


def _write_all(target: Path, descriptor: int, chunk: bytes | str, *, existed: bool) -> None:
    view = memoryview(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    while view:
        view = view[_io(target, existed, os.write, descriptor, view) :]


def _io(target: Path, existed: bool, call, *args):
    """Run one system call of a write, turning its failure into a message for the user."""
    try:
        return call(*args)
    except BrokenPipeError:
        raise  # the reader went away: the command ends quietly
    except OSError as error:
        raise _failure(target, error, existed=existed) from None


def _failure(target: Path, error: OSError, *, existed: bool) -> MixplanError:
    unchanged = say("write.unchanged") if existed else ""
    if error.errno == errno.ENOSPC:
        return MixplanError(say("write.no_space", target=target, unchanged=unchanged))
    if error.errno == errno.EDQUOT:
        return MixplanError(say("write.quota", target=target, unchanged=unchanged))
    if error.errno == errno.ELOOP:
        return MixplanError(say("write.link_loop", target=target))
    if error.errno == errno.ENOTDIR:
        return MixplanError(say("write.not_folder", target=target))
    if isinstance(error, PermissionError):
        return MixplanError(say("write.denied", target=target, unchanged=unchanged))
    return MixplanError(say("write.failed", target=target, reason=error.strerror or error, unchanged=unchanged))


def _raise_stopped(signal_number: int, _frame: object) -> None:
    raise Stopped(signal_number)


@contextmanager
def _stopping_unwinds() -> Iterator[None]:
    """While writing, let SIGTERM and SIGHUP (and SIGINT, if Python does not handle it) unwind like Ctrl-C.

    Their default action ends the process on the spot, leaving the
    temporary file behind; raised as `Stopped`, they run the cleanup first.
    A handler someone else installed is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    replaced = {}
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if signal.getsignal(number) == signal.SIG_DFL:
            replaced[number] = signal.signal(number, _raise_stopped)
    try:
        yield
    finally:
        for number, handler in replaced.items():
            signal.signal(number, handler)
