"""The plan's logo (`plan.logo`): a small image file beside the plan, read once and embedded.

A plan may come from someone else, so what `plan.logo` may name is narrow:
a regular file inside the plan's folder (or below it), reached without
going up (`..`) or through a link that leads out, at most MAX_LOGO_BYTES,
whose first bytes say PNG, JPEG or SVG whatever its name says. An SVG must
be a plain drawing: no script, event handler, embedded HTML, entity
declaration or reference to another file. The deliverable embeds the bytes
as a data: URI shown by an <img>, which never runs script or fetches.
"""

from __future__ import annotations

import base64
import os
import re
import stat
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..language import grouped, say
from ..rule_ids import LOGO_UNUSABLE

MAX_LOGO_BYTES = 512 * 1024

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# An SVG's root element, after what may come before it: a byte-order mark,
# an XML declaration, comments, a doctype and white space.
_SVG_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)\s*)*<svg[\s>/]",
    re.DOTALL | re.IGNORECASE,
)


class LogoProblem(Exception):
    """Why `plan.logo` cannot be embedded, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Logo:
    media_type: str
    data: bytes

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def read_logo(folder: Path, written: str) -> Logo:
    """The logo that `written` (plan.logo) names, relative to the plan's `folder`; `LogoProblem` if unusable."""
    relative = _relative_path(written)
    base = folder.resolve()
    target = base.joinpath(*relative.parts)
    shown = say(f"{LOGO_UNUSABLE}.shown", written=written)
    try:
        real = target.resolve(strict=True)
    except FileNotFoundError:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.missing", shown=shown, folder=base)) from None
    except (OSError, RuntimeError) as error:  # a loop of links, a name too long...
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.unreadable_name", shown=shown, reason=_reason(error))) from None
    if not real.is_relative_to(base):
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.link_outside", shown=shown, real=real))
    return Logo(*_checked(_read_regular_file(real, shown), shown))


def _relative_path(written: str) -> PurePosixPath:
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).drive or written.startswith("\\"):
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.absolute", shown=say(f"{LOGO_UNUSABLE}.shown", written=written)))
    relative = PurePosixPath(written.replace("\\", "/"))
    if ".." in relative.parts:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.goes_up", shown=say(f"{LOGO_UNUSABLE}.shown", written=written)))
    return relative


def _read_regular_file(path: Path, shown: str) -> bytes:
    try:
        # Looked at before opening: opening a device or a FIFO could block or have effects.
        before = os.stat(path, follow_symlinks=False)
    except OSError as error:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.unreadable", shown=shown, reason=_reason(error))) from None
    _must_be_regular(before.st_mode, shown)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.unreadable", shown=shown, reason=_reason(error))) from None
    try:
        opened = os.fstat(fd)
        _must_be_regular(opened.st_mode, shown)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise LogoProblem(say(f"{LOGO_UNUSABLE}.changed", shown=shown))
        if opened.st_size > MAX_LOGO_BYTES:
            raise LogoProblem(_too_big(shown, opened.st_size))
        chunks, size = [], 0
        while size <= MAX_LOGO_BYTES:
            chunk = os.read(fd, MAX_LOGO_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_LOGO_BYTES:  # it grew after fstat
            raise LogoProblem(_too_big(shown, size))
        return b"".join(chunks)
    except OSError as error:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.unreadable", shown=shown, reason=_reason(error))) from None
    finally:
        os.close(fd)


def _must_be_regular(mode: int, shown: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "folder"
        if stat.S_ISDIR(mode)
        else "fifo"
        if stat.S_ISFIFO(mode)
        else "device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "socket"
        if stat.S_ISSOCK(mode)
        else "not_regular"
    )
    raise LogoProblem(say(f"{LOGO_UNUSABLE}.{kind}", shown=shown))


def _too_big(shown: str, size: int) -> str:
    return say(f"{LOGO_UNUSABLE}.too_big", shown=shown, size=_size(size), limit=_size(MAX_LOGO_BYTES))


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return say("size.megabytes", size=grouped((Decimal(count) / (1024 * 1024)).quantize(Decimal("0.1"))))
    return say("size.kilobytes", size=grouped(count // 1024))


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def _checked(data: bytes, shown: str) -> tuple[str, bytes]:
    """The media type that the content's first bytes say, and the content, once found safe to embed."""
    if data.startswith(_PNG):
        return "image/png", data
    if data.startswith(_JPEG):
        return "image/jpeg", data
    if _SVG_START.match(data):
        _plain_drawing(data, shown)
        return "image/svg+xml", data
    raise LogoProblem(say(f"{LOGO_UNUSABLE}.not_image", shown=shown))


# What makes an SVG more than a drawing. An <img> runs none of it and fetches
# nothing, but a template may show the logo another way, and a browser
# opening the file by itself would: so none of it is accepted.
def _active(message_id: str, shown: str, **values: str) -> LogoProblem:
    return LogoProblem(say(message_id, shown=shown, plain_drawing=say(f"{LOGO_UNUSABLE}.plain_drawing"), **values))


def _plain_drawing(data: bytes, shown: str) -> None:
    import xml.etree.ElementTree as ElementTree

    # Entity declarations are what an entity bomb ("billion laughs") is made of; a drawing needs none.
    if re.search(rb"<!ENTITY", data, re.IGNORECASE):
        raise _active(f"{LOGO_UNUSABLE}.svg_entities", shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.svg_not_utf8", shown=shown)) from None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise LogoProblem(say(f"{LOGO_UNUSABLE}.svg_malformed", shown=shown, error=error)) from None
    for element in root.iter():
        name = _local(element.tag)
        if name in ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"):
            raise _active(f"{LOGO_UNUSABLE}.svg_element", shown, name=name)
        for attribute, value in element.attrib.items():
            key = _local(attribute)
            if key.startswith("on"):
                raise _active(f"{LOGO_UNUSABLE}.svg_handler", shown, key=key)
            if key in ("href", "src") and not value.strip().startswith("#"):
                raise _active(f"{LOGO_UNUSABLE}.svg_link", shown, key=key, value=value[:60])
            if key == "style" and _fetches(value):
                raise _active(f"{LOGO_UNUSABLE}.svg_style", shown)
        if name == "style" and _fetches(element.text or ""):
            raise _active(f"{LOGO_UNUSABLE}.svg_style", shown)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _fetches(css: str) -> bool:
    lowered = css.lower()
    return "@import" in lowered or any(not rest.lstrip(" '\"").startswith("#") for rest in lowered.split("url(")[1:])
