"""Stage 1, load: YAML text to plain Python data, keeping where each value was.

PyYAML's `safe_load` forgets positions and silently keeps the last of two
duplicate keys; we compose the node graph instead (libyaml's C parser when
present), then build the data ourselves so that:

- every value's line and column is remembered under its data path, so later
  stages can point a user at `plan.yaml:12:5`;
- duplicate keys, unsupported tags and alias bombs become findings or errors
  instead of lost data or a hung process;
- numbers with a fractional part become `Decimal` from their source text, so
  `4.20` is exactly 4.20 and never a binary float.

This module knows nothing of the plan models or of any output format.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, PlanInvalid, UnreadableFile

try:  # libyaml is several times faster and keeps the same marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DataPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE_TAG = _CORE + "merge"

# Deep nesting has no use in a plan and would exhaust Python's stack later.
MAX_DEPTH = 64
# Aliases may repeat a node; a document whose expansion is far bigger than
# what was written is an alias bomb ("billion laughs") and is refused.
ALIAS_EXPANSION_FACTOR = 50
ALIAS_EXPANSION_FLOOR = 100_000

RULE_SYNTAX = "MP100"
RULE_DUPLICATE_KEY = "MP104"
RULE_UNSUPPORTED_YAML = "MP108"


@dataclass
class Document:
    """A loaded YAML file: its data, and the positions of its values."""

    name: str
    data: Any
    problems: list[Finding] = field(default_factory=list)
    _value_marks: dict[DataPath, Any] = field(default_factory=dict, repr=False)
    _key_marks: dict[DataPath, Any] = field(default_factory=dict, repr=False)

    def position(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key.

        A path that does not exist in the file (a missing key, say) falls
        back to its closest existing ancestor, which is where the fix goes.
        """
        if key and path in self._key_marks:
            return _line_col(self._key_marks[path])
        probe = tuple(path)
        while probe:
            mark = self._value_marks.get(probe)
            if mark is not None:
                return _line_col(mark)
            probe = probe[:-1]
        mark = self._value_marks.get(())
        return _line_col(mark) if mark is not None else (1, 1)

    def has_path(self, path: DataPath) -> bool:
        return tuple(path) in self._value_marks

    def finding(self, path: DataPath, rule: str, severity: str, message: str, *, key: bool = False) -> Finding:
        line, column = self.position(path, key=key)
        return Finding(self.name, line, column, rule, severity, message)  # type: ignore[arg-type]


def _line_col(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


# A plan of a hundred pages is well under 1 MB; the limit stops a wrong file
# (a log, a data dump) before it costs seconds and memory to parse. The API
# takes `max_bytes=None` for generated plans such as the benchmark's.
MAX_PLAN_BYTES = 10 * 1024 * 1024


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def read_text(path: str | os.PathLike[str], *, max_bytes: int | None = MAX_PLAN_BYTES) -> str:
    """Read a plan file as UTF-8 text, with a plain-words error for each way it can fail."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            # Read one byte past the limit: enough to know, without reading a huge file whole.
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a directory, not a plan file") from None
    except PermissionError:
        raise UnreadableFile(f"{path}: permission denied (cannot read the file)") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if max_bytes is not None and len(raw) > max_bytes:
        try:
            size = p.stat().st_size
        except OSError:
            size = len(raw)
        raise UnreadableFile(
            f"{path}: is too large to be a plan ({_size_text(size)}; the limit is {_size_text(max_bytes)}); "
            "check that this is the right file"
        )
    try:
        # utf-8-sig drops a byte-order mark that some Windows editors add.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{path}: is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at byte offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None


def load(path: str | os.PathLike[str], *, max_bytes: int | None = MAX_PLAN_BYTES) -> Document:
    """Read and parse a plan file. Raises `UnreadableFile` or `PlanInvalid`."""
    return load_text(read_text(path, max_bytes=max_bytes), name=str(path))


def load_text(text: str, name: str = "<plan>") -> Document:
    """Parse YAML text into a `Document`. Raises `PlanInvalid` on syntax errors."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise PlanInvalid([_syntax_finding(name, exc, text)]) from None
    except yaml.YAMLError as exc:  # unmarked errors, e.g. from the reader
        raise PlanInvalid([Finding(name, 1, 1, RULE_SYNTAX, "error", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise PlanInvalid(
            [Finding(name, 1, 1, RULE_UNSUPPORTED_YAML, "error", "the YAML is nested too deeply to be a plan")]
        ) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _CORE + "null"):
        raise PlanInvalid(
            [
                Finding(
                    name, 1, 1, RULE_SYNTAX, "error",
                    "the file holds no plan (it is empty or only comments); `mixplan init` writes a starter plan",
                )
            ]
        )
    builder = _Builder(name)
    builder.refuse_alias_bomb(root)
    data = builder.build(root, ())
    if builder.fatal:
        raise PlanInvalid(builder.problems)
    return Document(name, data, builder.problems, builder.value_marks, builder.key_marks)


def _tab_in_indent(text: str, line: int) -> bool:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return False
    content = lines[line - 1]
    return "\t" in content[: len(content) - len(content.lstrip(" \t"))]


def _syntax_finding(name: str, exc: yaml.MarkedYAMLError, text: str = "") -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (exc.problem or "unreadable YAML").strip()
    context = (exc.context or "").strip()
    if context and exc.context_mark is not None and exc.context_mark is not mark:
        context = f" ({context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    elif context:
        context = f" ({context})"
    hint = ""
    if "\t" in problem or "tab" in problem or _tab_in_indent(text, line):
        hint = "; indent with spaces, YAML does not allow tabs"
    return Finding(name, line, column, RULE_SYNTAX, "error", f"invalid YAML: {problem}{context}{hint}")


class _Builder:
    """Turns a composed node graph into data, recording marks and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Finding] = []
        self.fatal = False
        self.value_marks: dict[DataPath, Any] = {}
        self.key_marks: dict[DataPath, Any] = {}
        self._scalars = yaml.constructor.SafeConstructor()

    def _problem(self, mark: Any, rule: str, message: str, *, fatal: bool = True) -> None:
        line, column = _line_col(mark)
        self.problems.append(Finding(self.name, line, column, rule, "error", message))
        self.fatal = self.fatal or fatal

    def refuse_alias_bomb(self, root: yaml.Node) -> None:
        distinct: dict[int, int] = {}

        def expanded(node: yaml.Node, depth: int) -> int:
            known = distinct.get(id(node))
            if known is not None:
                return known
            if depth > MAX_DEPTH:
                raise PlanInvalid(
                    [self._finding(node, RULE_UNSUPPORTED_YAML, f"the YAML is nested more than {MAX_DEPTH} levels deep; a plan never needs that")]
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
                        root, RULE_UNSUPPORTED_YAML,
                        f"the YAML aliases expand to {total:,} values from {len(distinct):,} written ones "
                        "(an alias bomb); use fewer nested aliases",
                    )
                ]
            )

    def _finding(self, node: yaml.Node, rule: str, message: str) -> Finding:
        line, column = _line_col(node.start_mark)
        return Finding(self.name, line, column, rule, "error", message)

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.value_marks[path] = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._check_collection_tag(node, _CORE + "seq")
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        self._check_collection_tag(node, _CORE + "map")
        return self._mapping(node, path)

    def _check_collection_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self._problem(node.start_mark, RULE_UNSUPPORTED_YAML, _tag_message(node.tag))

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Any] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node.start_mark, RULE_SYNTAX, "a key must be a plain name, not a list or a mapping")
                continue
            # Keys are names: keep the text as written, so `on:` or `2027:` stay strings.
            key = key_node.value
            if key in first_seen:
                line, column = _line_col(first_seen[key])
                self._problem(
                    key_node.start_mark, RULE_DUPLICATE_KEY,
                    f"duplicate key '{key}' (first written at line {line}, column {column}); "
                    "YAML would keep only this one and lose the other: merge or rename them",
                )
                continue
            first_seen[key] = key_node.start_mark
            child = path + (key,)
            self.key_marks[child] = key_node.start_mark
            result[key] = self.build(value_node, child)
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
                    self._problem(source.start_mark, RULE_SYNTAX, "a merge key (<<) needs a mapping or a list of mappings")
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

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self._problem(node.start_mark, RULE_UNSUPPORTED_YAML, _tag_message(tag))
            return node.value
        if tag == _CORE + "str":
            return node.value
        if tag == _CORE + "float":
            return _decimal_from_yaml(node.value)
        if tag == _CORE + "timestamp":
            try:
                value = self._scalars.construct_yaml_timestamp(node)
            except ValueError:
                # An impossible date such as 2027-02-30: hand the text on so the
                # model reports it as a bad date at this position.
                return node.value
            return value
        return self._scalars.construct_object(node)


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
    return f"the YAML tag {shown} is not allowed: a plan holds plain text, numbers, dates, lists and mappings only"
