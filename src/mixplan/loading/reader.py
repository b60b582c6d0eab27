"""Stage 1, load: YAML text to plain Python data, keeping where each value was.

PyYAML's `safe_load` forgets positions and silently keeps the last of two
duplicate keys; we read the parser's events instead (libyaml's C parser when
present) and build the data ourselves so that:

- every value's and key's line and column is remembered (see `Positions`),
  so later stages can point a user at `plan.yaml:12:5`;
- duplicate keys, unsupported tags and alias bombs become findings or errors
  instead of lost data or a hung process;
- numbers with a fractional part become `Decimal` from their source text, so
  `4.20` is exactly 4.20 and never a binary float.

Building straight from events, a 100,000-means file never holds its whole
node graph (with two mark objects per node) in memory. Anything unusual
(anchors, aliases, merge keys, a second document, deep nesting) is handed
to a builder that composes the node graph first, which has the final say
on those.

This module knows nothing of the plan models or of any output format.
"""

from __future__ import annotations

import gc
import os
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import yaml

from ..controls import UNSAFE, describe, first_unsafe
from ..errors import Finding, PlanInvalid, UnreadableFile
from ..language import grouped, say
from ..plan.numbers import as_written, loaded_number_problem
from ..rule_ids import (
    DUPLICATE_KEY,
    INVALID_VALUE,
    LIST_READS_AS_SENTENCE,
    TEXT_CUT_BY_COMMENT,
    UNREADABLE_FILE,
    UNSUPPORTED_YAML,
    YAML_SYNTAX,
)
from . import yaml_traps
from .limits import DEFAULT_MAX_PLAN_BYTES, MAX_BYTES_VARIABLE

try:  # libyaml is several times faster and keeps the same marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DataPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE_TAG = _CORE + "merge"
_STR, _FLOAT, _NULL = (_CORE + t for t in ("str", "float", "null"))
_INT, _BOOL = _CORE + "int", _CORE + "bool"
_SEQ, _MAP = _CORE + "seq", _CORE + "map"
_SHARED_TEXT_LENGTH = 40
_PLAIN = (True, False)  # the `implicit` of a plain scalar with no tag
_UNSEEN = object()
# PyYAML picks a plain scalar's candidate types by its first character (None: for any).
_RESOLVED_BY_FIRST_CHARACTER = (
    None if None in _Loader.yaml_implicit_resolvers else frozenset(_Loader.yaml_implicit_resolvers)
)
_intern = sys.intern

# Deep nesting has no use in a plan and would exhaust Python's stack later.
MAX_DEPTH = 64
# Aliases may repeat a node; a document whose expansion is far bigger than
# what was written is an alias bomb ("billion laughs") and is refused.
ALIAS_EXPANSION_FACTOR = 50
ALIAS_EXPANSION_FLOOR = 100_000


# A position is packed into one int, line and column (0-based) side by side.
_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1
Position = int


def _packed(mark: Any) -> Position:
    return (mark.line << _COLUMN_BITS) | mark.column


def _line_col(position: Position) -> tuple[int, int]:
    return (position >> _COLUMN_BITS) + 1, (position & _COLUMN_MASK) + 1


class Positions:
    """Where each value and key of a document was written, in 8 bytes each.

    A plan of 100,000 means has millions of values; a dictionary from data
    paths to positions cost 600 MB there, more than the data. Positions are
    kept instead in document order in one array: a container's own, then for
    each mapping entry its key's and its value's (the value's whole subtree
    for a container), for a list each item's. Entries of a container that
    holds only scalars are found by arithmetic; any other container keeps
    the index where each entry's value starts. A lookup walks the data along
    the path beside this layout.
    """

    def __init__(self) -> None:
        self.spots = array("q")
        self.entries: dict[int, array] = {}
        # Key -> ordinal of the big mappings looked up so far, by the mapping's index:
        # a finding in each of 40,000 keys must not scan the keys each time.
        self._ordinals: dict[int, dict[str, int]] = {}

    def _ordinal(self, index: int, node: dict[str, Any], key: str) -> int:
        if len(node) <= 16:
            return next(n for n, name in enumerate(node) if name == key)
        ordinals = self._ordinals.get(index)
        if ordinals is None:
            ordinals = self._ordinals[index] = {name: n for n, name in enumerate(node)}
        return ordinals[key]

    def locate(self, data: Any, path: DataPath) -> tuple[int, int | None, int]:
        """(index of the deepest value on `path` that exists, index of its key if any, its depth)."""
        node, index, key_index = data, 0, None
        for depth, step in enumerate(path):
            entries = self.entries.get(index)
            if isinstance(node, dict) and isinstance(step, str) and step in node:
                ordinal = self._ordinal(index, node, step)
                index = entries[ordinal] if entries is not None else index + 2 + 2 * ordinal
                key_index = index - 1
            elif isinstance(node, list) and type(step) is int and 0 <= step < len(node):
                index = entries[step] if entries is not None else index + 1 + step
                key_index = None
            else:
                return index, key_index, depth
            node = node[step]
        return index, key_index, len(path)


@dataclass
class Document:
    """A loaded YAML file: its data, and the positions of its values."""

    name: str
    data: Any
    problems: list[Finding] = field(default_factory=list)
    positions: Positions = field(default_factory=Positions, repr=False)
    # The folder of the file it was read from (None for text): what paths in it are relative to.
    folder: Path | None = None
    # Text read without error but likely not as meant, in any field: the checks keep those in free text.
    text_traps: list[yaml_traps.TextTrap] = field(default_factory=list, repr=False)

    def position(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key.

        A path that does not exist in the file (a missing key, say) falls
        back to its closest existing ancestor, which is where the fix goes.
        """
        spots = self.positions.spots
        if not spots:
            return 1, 1
        index, key_index, depth = self.positions.locate(self.data, tuple(path))
        if key and key_index is not None and depth == len(path):
            return _line_col(spots[key_index])
        return _line_col(spots[index])

    def has_path(self, path: DataPath) -> bool:
        if not self.positions.spots:
            return False
        return self.positions.locate(self.data, tuple(path))[2] == len(path)

    def finding(
        self, path: DataPath, rule: str, severity: str, message: str, *, key: bool = False, readable: str | None = None
    ) -> Finding:
        line, column = self.position(path, key=key)
        return Finding(self.name, line, column, rule, severity, message, readable)  # type: ignore[arg-type]


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return say("size.megabytes", size=grouped(round(size / (1024 * 1024), 1)))
    return say("size.bytes", size=grouped(size))


def read_text(path: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES) -> str:
    """Read a plan file as UTF-8 text, with a plain-words error for each way it can fail."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            # Read one byte past the limit: enough to know, without reading a huge file whole.
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableFile(say(f"{UNREADABLE_FILE}.missing", path=path)) from None
    except IsADirectoryError:
        raise UnreadableFile(say(f"{UNREADABLE_FILE}.directory", path=path)) from None
    except PermissionError:
        raise UnreadableFile(say(f"{UNREADABLE_FILE}.permission", path=path)) from None
    except OSError as exc:
        raise UnreadableFile(say(f"{UNREADABLE_FILE}.os_error", path=path, reason=exc.strerror or exc)) from None
    if max_bytes is not None and len(raw) > max_bytes:
        try:
            size = p.stat().st_size
        except OSError:
            size = len(raw)
        raise UnreadableFile(
            say(
                f"{UNREADABLE_FILE}.too_large",
                path=path,
                size=_size_text(size),
                limit=_size_text(max_bytes),
                variable=MAX_BYTES_VARIABLE,
            )
        )
    try:
        # utf-8-sig drops a byte-order mark that some Windows editors add.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            say(f"{UNREADABLE_FILE}.not_utf8", path=path, byte=f"{raw[exc.start]:02x}", offset=exc.start)
        ) from None


def load(path: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES) -> Document:
    """Read and parse a plan file of at most `max_bytes` (None: no limit). Raises `UnreadableFile` or `PlanInvalid`."""
    document = load_text(read_text(path, max_bytes=max_bytes), name=str(path))
    document.folder = Path(path).parent
    return document


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a stage allocates millions of objects.

    Loading, modelling and rendering make acyclic data only, yet each burst of
    allocations triggers full collections that rescan everything made so far:
    a third of the load time at 10,000 means. The collector runs again after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_text(text: str, name: str = "<plan>") -> Document:
    """Parse YAML text into a `Document`. Raises `PlanInvalid` on syntax errors."""
    refused = _control_characters(text, name)
    if refused:
        raise PlanInvalid(refused)
    with collector_paused():
        try:
            try:
                builder, data = _EventBuilder(name).run(text)
            except _NeedsNodeGraph:
                builder, data = _NodeBuilder(name).run(text)
        except yaml.MarkedYAMLError as exc:
            raise PlanInvalid([_syntax_finding(name, exc, text)]) from None
        except yaml.YAMLError as exc:  # unmarked errors, e.g. from the reader
            raise PlanInvalid(
                [Finding(name, 1, 1, YAML_SYNTAX, "error", say(f"{YAML_SYNTAX}.invalid", problem=exc))]
            ) from None
        except RecursionError:
            raise PlanInvalid(
                [Finding(name, 1, 1, UNSUPPORTED_YAML, "error", say(f"{UNSUPPORTED_YAML}.too_deep"))]
            ) from None
    if builder.fatal:
        raise PlanInvalid(builder.problems)
    traps = yaml_traps.find_text_traps(text, TEXT_CUT_BY_COMMENT, LIST_READS_AS_SENTENCE)
    return Document(name, data, builder.problems, builder.positions, text_traps=traps)


def control_message(char: str, holder: str = "text") -> str:
    """`holder`: text, key or line, what holds the character."""
    return say(f"{INVALID_VALUE}.control_in_{holder}", character=describe(char))


def _control_characters(text: str, name: str) -> list[Finding]:
    """A finding at each control character written in the file, wherever it is (comments too).

    One search over the whole text, so a clean plan costs a few milliseconds;
    CRLF line endings are fine (YAML reads them as line breaks), a bare CR is not.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # the same lines and columns
    if first_unsafe(text) is None:
        return []
    found = []
    line, line_start, counted_to = 1, 0, 0
    for match in UNSAFE.finditer(text):
        at = match.start()
        newlines = text.count("\n", counted_to, at)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, at) + 1
        counted_to = at
        found.append(
            Finding(
                name,
                line,
                at - line_start + 1,
                INVALID_VALUE,
                "error",
                control_message(match.group(), "line"),
            )
        )
    return found


def _no_plan(name: str) -> PlanInvalid:
    return PlanInvalid(
        [
            Finding(
                name,
                1,
                1,
                YAML_SYNTAX,
                "error",
                say(f"{YAML_SYNTAX}.no_plan"),
            )
        ]
    )


# The parser's own words for the errors no trap explains, worded again in the catalogues (any other is shown as is).
_PARSER_WORDS = {
    "unreadable YAML": "parser.unreadable",
    "found unexpected end of stream": "parser.end_of_stream",
    "found a tab character that violates indentation": "parser.tab",
    "found character '\\t' that cannot start any token": "parser.tab_token",
    "did not find expected key": "parser.no_key",
    "did not find expected '-' indicator": "parser.no_dash",
    "did not find expected ',' or ']'": "parser.no_bracket",
    "did not find expected ',' or '}'": "parser.no_brace",
    "mapping values are not allowed in this context": "parser.mapping_values",
    "found unknown escape character": "parser.escape",
    "while scanning a quoted scalar": "parser.quoted",
    "while scanning a plain scalar": "parser.plain",
    "while scanning a simple key": "parser.simple_key",
    "while parsing a block mapping": "parser.block_mapping",
    "while parsing a block collection": "parser.block_collection",
    "while parsing a flow sequence": "parser.flow_sequence",
    "while parsing a flow mapping": "parser.flow_mapping",
}


def _parser_words(words: str) -> str:
    key = _PARSER_WORDS.get(words)
    return say(key) if key is not None else words


def _tab_in_indent(text: str, line: int) -> bool:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return False
    content = lines[line - 1]
    return "\t" in content[: len(content) - len(content.lstrip(" \t"))]


def _syntax_finding(name: str, exc: yaml.MarkedYAMLError, text: str = "") -> Finding:
    explained = yaml_traps.explain(exc, text)
    if explained is not None:
        return Finding(name, *explained[:2], YAML_SYNTAX, "error", explained[2])
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = _parser_words((exc.problem or "unreadable YAML").strip())
    context = _parser_words((exc.context or "").strip())
    if context and exc.context_mark is not None and exc.context_mark is not mark:
        context = say(
            f"{YAML_SYNTAX}.context_at",
            context=context,
            line=exc.context_mark.line + 1,
            column=exc.context_mark.column + 1,
        )
    elif context:
        context = f" ({context})"
    hint = ""
    if "\t" in problem or "tab" in problem or _tab_in_indent(text, line):
        hint = "; " + yaml_traps.tab_hint()
    return Finding(
        name, line, column, YAML_SYNTAX, "error", say(f"{YAML_SYNTAX}.invalid", problem=f"{problem}{context}{hint}")
    )


class _PlanLoader(_Loader):
    """The YAML loader, remembering how each plain scalar resolved.

    Plans repeat the same words and numbers thousands of times, and the
    resolver tries its regular expressions on each; the answer depends only
    on the scalar's text and style, since a plan loader has no path resolvers.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[Any, Any, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


class _NeedsNodeGraph(Exception):
    """The event builder met something only the node-graph builder handles."""


class _Builder:
    """What both builders share: positions, problems and scalar values."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Finding] = []
        self.fatal = False
        self.positions = Positions()
        self.spots = self.positions.spots
        self._constructor = yaml.constructor.SafeConstructor()
        self._constructed: dict[tuple[str, str], Any] = {}

    def _problem(self, mark: Any, rule: str, message: str, *, fatal: bool = True) -> None:
        line, column = mark.line + 1, mark.column + 1
        self.problems.append(Finding(self.name, line, column, rule, "error", message))
        self.fatal = self.fatal or fatal

    def _escaped_control(self, value: str, mark: Any, holder: str = "text") -> None:
        """Refuse a control character that a double-quoted scalar wrote as an escape (`"\\e[2J"`).

        Characters written as they are were refused before parsing; only escapes remain.
        """
        found = first_unsafe(value, allow_line_breaks=holder == "text")
        if found is not None:
            self._problem(mark, INVALID_VALUE, control_message(found.group(), holder))

    def _duplicate_key(self, key: str, first: Position, mark: Any) -> None:
        line, column = _line_col(first)
        self._problem(
            mark,
            DUPLICATE_KEY,
            say(f"{DUPLICATE_KEY}.duplicate", key=key, line=line, column=column),
        )

    def _scalar(self, tag: str, value: str, mark: Any) -> Any:
        if tag == _STR:
            # Ids, channels and names recur thousands of times in a big plan, each
            # a new string from the parser: one shared copy saves a tenth of its memory.
            return sys.intern(value) if len(value) <= _SHARED_TEXT_LENGTH else value
        if tag not in _SCALAR_TAGS:
            self._problem(mark, UNSUPPORTED_YAML, _tag_message(tag))
            return value
        if tag == _BOOL:
            # No field of a plan is a yes/no switch: `yes`, `off` are the words written.
            return sys.intern(value)
        key = (tag, value)
        try:
            return self._constructed[key]
        except KeyError:
            pass
        constructed: Any
        try:
            if (tag == _INT or tag == _FLOAT) and len(value) > 80:
                constructed = 0  # refused below, before making a huge number of it
            elif tag == _FLOAT:
                constructed = _decimal_from_yaml(value)
            else:
                constructed = self._constructor.yaml_constructors[tag](self._constructor, yaml.ScalarNode(tag, value))
        except (ValueError, KeyError, ArithmeticError):
            # An impossible date such as 2027-02-30, or `!!int abc`: hand the
            # text on so the model reports it as a wrong value at this position.
            constructed = value
        if tag == _FLOAT or tag == _INT:
            if not isinstance(constructed, str):
                refusal = loaded_number_problem(value, constructed)
                if refusal is not None:
                    self._problem(mark, INVALID_VALUE, refusal)
                    return value  # not kept: each repeat is reported
                constructed = as_written(constructed, value)
        # Numbers, booleans, dates and None are immutable: one object serves every repeat.
        self._constructed[key] = constructed
        return constructed


class _EventBuilder(_Builder):
    """Builds the data straight from parser events: one pass, no node graph.

    This is the hot loop of `mixplan validate` on a big plan, so scalars (most
    events) are handled inline rather than through helper calls.
    """

    def run(self, text: str) -> tuple[_Builder, Any]:
        loader = _PlanLoader(text)
        try:
            self._next = loader.get_event
            self._resolve = loader.resolve
            # Plain scalar text -> its value: a plan repeats the same words, numbers and dates.
            self._plain: dict[str, Any] = {}
            self._next()  # stream start
            event = self._next()
            if isinstance(event, yaml.StreamEndEvent):
                raise _no_plan(self.name)
            root = self._next()  # the document's root node
            if isinstance(root, yaml.ScalarEvent) and self._scalar_tag(root) == _NULL:
                raise _no_plan(self.name)
            data = self._value(root, 0)
            self._next()  # document end
            if not isinstance(self._next(), yaml.StreamEndEvent):
                raise _NeedsNodeGraph  # a second document: composing explains the problem
            return self, data
        finally:
            loader.dispose()

    def _scalar_tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(yaml.ScalarNode, event.value, event.implicit)
        return tag

    def _value(self, event: Any, depth: int) -> Any:
        kind = type(event)
        if kind is yaml.AliasEvent or event.anchor is not None or depth > MAX_DEPTH:
            raise _NeedsNodeGraph
        mark = event.start_mark
        self.spots.append((mark.line << _COLUMN_BITS) | mark.column)
        if kind is yaml.ScalarEvent:
            if event.style == '"':
                self._escaped_control(event.value, mark)
            return self._scalar(self._scalar_tag(event), event.value, mark)
        if kind is yaml.SequenceStartEvent:
            tag = event.tag
            if tag is not None and tag != "!" and tag != _SEQ:
                self._problem(mark, UNSUPPORTED_YAML, _tag_message(tag))
            return self._sequence(depth + 1)
        tag = event.tag
        if tag is not None and tag != "!" and tag != _MAP:
            self._problem(mark, UNSUPPORTED_YAML, _tag_message(tag))
        return self._mapping(depth + 1)

    def _plain_scalar(self, value: str, mark: Any) -> Any:
        """A plain scalar's value, remembered when every repeat of its text means the same."""
        first_characters = _RESOLVED_BY_FIRST_CHARACTER
        if value and first_characters is not None and value[0] not in first_characters:
            tag = _STR  # no implicit type (number, date, boolean, null) starts this way
        else:
            tag = self._resolve(yaml.ScalarNode, value, _PLAIN)
        reported = len(self.problems)
        built = self._scalar(tag, value, mark)
        # An unsupported tag (`=` resolves to !!value) or a refused number must be reported at each repeat.
        if (
            tag in _SCALAR_TAGS
            and (tag != _STR or len(value) <= _SHARED_TEXT_LENGTH)
            and len(self.problems) == reported
        ):
            self._plain[value] = built
        return built

    def _sequence(self, depth: int) -> list[Any]:
        spots = self.spots
        start = len(spots) - 1
        items: list[Any] = []
        where: list[int] = []
        nested = False
        next_event, plain = self._next, self._plain
        append_spot, append_item, append_where = spots.append, items.append, where.append
        event = next_event()
        while type(event) is not yaml.SequenceEndEvent:
            append_where(len(spots))
            if type(event) is yaml.ScalarEvent and event.anchor is None and depth <= MAX_DEPTH:
                mark: Any = event.start_mark  # a parsed event always has its marks
                append_spot((mark.line << _COLUMN_BITS) | mark.column)
                value = event.value
                if event.tag is not None:
                    if event.style == '"':
                        self._escaped_control(value, mark)
                    append_item(self._scalar(self._scalar_tag(event), value, mark))
                elif event.implicit[0]:
                    built = plain.get(value, _UNSEEN)
                    append_item(self._plain_scalar(value, mark) if built is _UNSEEN else built)
                else:  # quoted: text, whatever it looks like
                    if event.style == '"':
                        self._escaped_control(value, mark)
                    append_item(_intern(value) if len(value) <= _SHARED_TEXT_LENGTH else value)
            else:
                append_item(self._value(event, depth))
                nested = True
            event = next_event()
        if nested:
            self.positions.entries[start] = array("q", where)
        return items

    def _mapping(self, depth: int) -> dict[str, Any]:
        spots = self.spots
        start = len(spots) - 1
        result: dict[str, Any] = {}
        where: list[int] = []
        nested = False
        next_event, plain = self._next, self._plain
        append_spot, append_where = spots.append, where.append
        key_event = next_event()
        while type(key_event) is not yaml.MappingEndEvent:
            if type(key_event) is not yaml.ScalarEvent:
                # The parser closes every mapping it opens: no None before MappingEndEvent.
                if type(key_event) is yaml.AliasEvent or key_event.anchor is not None or depth > MAX_DEPTH:  # type: ignore[union-attr]
                    raise _NeedsNodeGraph
                self._problem(key_event.start_mark, YAML_SYNTAX, say(f"{YAML_SYNTAX}.key_not_name"))  # type: ignore[union-attr]
                self._skip(key_event, depth)
                self._skip(next_event(), depth)
                key_event = next_event()
                continue
            # A tagged key, or `<<` (a merge key), is for the node-graph builder.
            if (
                key_event.anchor is not None
                or key_event.tag is not None
                or depth > MAX_DEPTH
                or key_event.value == "<<"
            ):
                raise _NeedsNodeGraph
            # Keys are names: keep the text as written, so `on:` or `2027:` stay strings.
            # The same few dozen names recur in every item: one shared copy of each.
            key = _intern(key_event.value)
            # libyaml and PyYAML give every parsed event its marks; None only in hand-made events.
            mark: Any = key_event.start_mark
            if key_event.style == '"':
                self._escaped_control(key, mark, "key")
            if key in result:
                first_key_spot = where[list(result).index(key)] - 1
                self._duplicate_key(key, spots[first_key_spot], mark)
                self._skip(next_event(), depth)
                key_event = next_event()
                continue
            append_spot((mark.line << _COLUMN_BITS) | mark.column)
            append_where(len(spots))
            event = next_event()
            if type(event) is yaml.ScalarEvent and event.anchor is None and depth <= MAX_DEPTH:
                mark = event.start_mark
                append_spot((mark.line << _COLUMN_BITS) | mark.column)
                value = event.value
                if event.tag is not None:
                    if event.style == '"':
                        self._escaped_control(value, mark)
                    result[key] = self._scalar(self._scalar_tag(event), value, mark)
                elif event.implicit[0]:
                    built = plain.get(value, _UNSEEN)
                    result[key] = self._plain_scalar(value, mark) if built is _UNSEEN else built
                else:  # quoted: text, whatever it looks like
                    if event.style == '"':
                        self._escaped_control(value, mark)
                    result[key] = _intern(value) if len(value) <= _SHARED_TEXT_LENGTH else value
            else:
                result[key] = self._value(event, depth)
                nested = True
            key_event = next_event()
        if nested:
            self.positions.entries[start] = array("q", where)
        return result

    def _skip(self, event: Any, depth: int) -> None:
        """Read past a node whose value is not kept (a repeated key's, say)."""
        open_collections = 0
        while True:
            if type(event) is yaml.AliasEvent or getattr(event, "anchor", None) is not None or depth > MAX_DEPTH:
                raise _NeedsNodeGraph
            if type(event) in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
                open_collections += 1
                depth += 1
            elif type(event) in (yaml.SequenceEndEvent, yaml.MappingEndEvent):
                open_collections -= 1
                depth -= 1
            if open_collections == 0:
                return
            event = self._next()


class _NodeBuilder(_Builder):
    """Composes the node graph first: for anchors, aliases and merge keys."""

    def run(self, text: str) -> tuple[_Builder, Any]:
        root = yaml.compose(text, Loader=_PlanLoader)
        if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
            raise _no_plan(self.name)
        self.refuse_alias_bomb(root)
        return self, self.build(root)

    def refuse_alias_bomb(self, root: yaml.Node) -> None:
        distinct: dict[int, int] = {}

        def expanded(node: yaml.Node, depth: int) -> int:
            known = distinct.get(id(node))
            if known is not None:
                return known
            if depth > MAX_DEPTH:
                raise PlanInvalid(
                    [
                        self._finding(
                            node,
                            UNSUPPORTED_YAML,
                            say(f"{UNSUPPORTED_YAML}.nested", levels=MAX_DEPTH),
                        )
                    ]
                )
            if isinstance(node, yaml.MappingNode):
                size = 1 + sum(expanded(k, depth + 1) + expanded(v, depth + 1) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                size = 1 + sum(expanded(item, depth + 1) for item in node.value)
            else:
                size = 1
            distinct[id(node)] = size
            return size

        total = expanded(root, 0)
        limit = max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * len(distinct))
        if total > limit:
            raise PlanInvalid(
                [
                    self._finding(
                        root,
                        UNSUPPORTED_YAML,
                        say(f"{UNSUPPORTED_YAML}.alias_bomb", total=grouped(total), written=grouped(len(distinct))),
                    )
                ]
            )

    def _finding(self, node: yaml.Node, rule: str, message: str) -> Finding:
        mark = node.start_mark
        return Finding(self.name, mark.line + 1, mark.column + 1, rule, "error", message)

    def build(self, node: yaml.Node) -> Any:
        spots = self.spots
        start = len(spots)
        spots.append(_packed(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            if node.style == '"':
                self._escaped_control(node.value, node.start_mark)
            return self._scalar(node.tag, node.value, node.start_mark)
        where: list[int] = []
        if isinstance(node, yaml.SequenceNode):
            self._check_collection_tag(node, _SEQ)
            items = []
            for item in node.value:
                where.append(len(spots))
                items.append(self.build(item))
            built: Any = items
        else:
            self._check_collection_tag(node, _MAP)
            built = self._mapping(cast(yaml.MappingNode, node), where)
        # This builder is for small, unusual files: every container lists its entries.
        self.positions.entries[start] = array("q", where)
        return built

    def _check_collection_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self._problem(node.start_mark, UNSUPPORTED_YAML, _tag_message(node.tag))

    def _mapping(self, node: yaml.MappingNode, where: list[int]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node.start_mark, YAML_SYNTAX, say(f"{YAML_SYNTAX}.key_not_name"))
                continue
            # Keys are names: keep the text as written, so `on:` or `2027:` stay strings.
            key = key_node.value
            if key_node.style == '"':
                self._escaped_control(key, key_node.start_mark, "key")
            if key in first_seen:
                self._duplicate_key(key, first_seen[key], key_node.start_mark)
                continue
            first_seen[key] = _packed(key_node.start_mark)
            self.spots.append(first_seen[key])
            where.append(len(self.spots))
            result[key] = self.build(value_node)
        return result

    def _pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The mapping's pairs, with `<<: *anchor` merge keys expanded (own keys win)."""
        own: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self._problem(source.start_mark, YAML_SYNTAX, say(f"{YAML_SYNTAX}.merge_key"))
                    continue
                merged.extend(self._pairs(source))
        if not merged:
            return own
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        inherited: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in merged:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name is not None and name not in own_keys:
                inherited.setdefault(name, (key_node, value_node))
        return list(inherited.values()) + own


def _decimal_from_yaml(text: str) -> Decimal | float:
    cleaned = text.replace("_", "").lower()
    if cleaned in (".inf", "+.inf", "-.inf", ".nan"):
        # Returned as floats so the models reject them as "not a finite number".
        return float(cleaned.replace(".", ""))
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # sexagesimal and other YAML 1.1 oddities
        return Decimal(repr(yaml.safe_load(text)))


def _tag_message(tag: str) -> str:
    shown = tag.replace(_CORE, "!!")
    return say(f"{UNSUPPORTED_YAML}.tag", tag=shown)
