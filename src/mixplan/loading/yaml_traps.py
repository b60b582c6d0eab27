"""The YAML traps of hand-written plans: explained when they break the file, caught when they change it silently.

French typography and everyday writing meet YAML's syntax head-on: a colon
before a space starts a key, an apostrophe ends single quotes, a missing
space after a colon makes a key plain text, one space of indentation moves a
key to another mapping. The parser then reports its own state ("mapping
values are not allowed in this context"); `explain` looks at the lines around
the error and names the trap, with the line rewritten.

Two traps give no error at all: ` #1` after a word starts a comment, so the
text is cut; `[rapide, pas cher, et fiable]` is a list of three, even when
it was meant as one sentence. `find_text_traps` reports where they happen,
by data path, so the checks can keep the free-text fields only.

The words of every message are in `mixplan.messages`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .. import messages

try:  # the same parser as the reader's
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Located = tuple[int, int, str]  # line, column (1-based), message

# A key at the start of a line (after any list dashes), then its colon.
_KEY_START = re.compile(r"(?P<lead>[ \t]*(?:-[ \t]+)*)(?P<key>[^\s#'\"\[\]{},:-][^#:]*?)[ \t]*:(?=[ \t]|$)")
_DASHES = re.compile(r"[ \t]*((?:-(?:[ \t]+|$))+)")
# `owner:Thomas`: a name, a colon, then text at once (not `http://`, not `10:30`).
_NO_SPACE_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*):(?P<rest>[^\s:/#][^#]*)")
_VALUE_START = re.compile(r"(?<=\S):[ \t]+|(?:^|(?<=[ \t]))-[ \t]+|[\[{,][ \t]*|^[ \t]*")
_QUOTE_END = re.compile(r"'(?=[ \t]*(?:[,\]}]|#|$))")
_COMMENT_AFTER_TEXT = re.compile(r" #[^\s#]")
_COMMENT_REST = re.compile(r"[ \t]+#([^\s#].*)$")
# Words that continue a sentence rather than start a list item.
CONTINUING_WORDS = ("et", "ou", "mais", "donc", "puis", "ni", "car", "voire", "and", "or", "but", "nor")
_CONTINUING = re.compile(rf"({'|'.join(CONTINUING_WORDS)})[ \t]+\S")
_SENTENCE_IN_FLOW_LIST = re.compile(rf"\[[^\]\n]*,[ \t]*(?:{'|'.join(CONTINUING_WORDS)})[ \t]")


# --- syntax errors --------------------------------------------------------------------------


def explain(exc: yaml.MarkedYAMLError, text: str) -> Located | None:
    """The trap behind a YAML syntax error, at its line and column, in plain words; None when none fits."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    problem = exc.problem or ""
    first = exc.context_mark.line if exc.context_mark is not None else mark.line
    window = range(max(0, min(first, mark.line - 2)), min(mark.line, len(lines) - 1) + 1)
    for diagnose in (_apostrophe, _colon_in_text, _missing_space, _indentation):
        found = diagnose(lines, window, mark, problem)
        if found is not None:
            return found
    return None


def _code(line: str) -> str:
    return line.rstrip("\r")


def _value_starts(line: str) -> list[int]:
    """Where a value may start on `line`: after `key: `, after `- `, after `[`, `{` or `,` in a flow."""
    starts = []
    for match in _VALUE_START.finditer(line):
        starts.append(match.end())
    return starts


def _apostrophe(lines: list[str], window: range, mark: Any, problem: str) -> Located | None:
    for number in window:
        line = _code(lines[number])
        for start in _value_starts(line):
            if start >= len(line) or line[start] != "'":
                continue
            close = start + 1
            while close < len(line):
                if line[close] == "'":
                    if line[close + 1 : close + 2] == "'":
                        close += 2
                        continue
                    break
                close += 1
            # A quote closed inside a word (l'atelier) was an apostrophe, not the end of the text.
            if close + 1 >= len(line) or not (line[close - 1].isalpha() and line[close + 1].isalnum()):
                continue
            end = _QUOTE_END.search(line, close + 1)
            if end is None:
                continue
            written = line[start + 1 : end.start()].replace("''", "'")
            before, after = line[:start].lstrip(), line[end.start() + 1 :].rstrip()
            fixed = before + messages.quoted(written) + after
            doubled = before + "'" + written.replace("'", "''") + "'" + after
            if '"' in written or "\\" in written:
                fixed = doubled
            return number + 1, close + 1, messages.apostrophe_in_single_quotes(fixed, doubled)
    return None


def _colon_in_text(lines: list[str], window: range, mark: Any, problem: str) -> Located | None:
    if "mapping values are not allowed" not in problem and "did not find expected ','" not in problem:
        return None
    if mark.line >= len(lines):
        return None
    line = _code(lines[mark.line])
    at = mark.column
    if line[at : at + 1] != ":" or line[at + 1 : at + 2] not in ("", " ", "\t"):
        return None
    flow_start = max(line.rfind("[", 0, at), line.rfind("{", 0, at), line.rfind(",", 0, at))
    if flow_start >= 0 and ("[" in line[:at] or "{" in line[:at]):
        item = line[flow_start + 1 :]
        item = re.split(r"[,\]}]", item, maxsplit=1)[0]
        key = re.match(r"[ \t]*[^\s:]+:[ \t]+", item)
        text = (item[key.end() :] if key else item).strip()
        return mark.line + 1, at + 1, messages.colon_in_text(None, text)
    key = _KEY_START.match(line)
    if key is None:
        return None
    value_start = key.end()
    while value_start < len(line) and line[value_start] in " \t":
        value_start += 1
    # The colon of the line's own key is not inside a text: that is an indentation or spacing problem.
    if value_start > at or line[value_start : value_start + 1] in ("'", '"', "[", "{", "|", ">"):
        return None
    text = re.split(r"[ \t]#", line[value_start:], maxsplit=1)[0].rstrip()
    fixed = line[:value_start].lstrip() + messages.quoted(text)
    return mark.line + 1, at + 1, messages.colon_in_text(fixed, text)


def _missing_space(lines: list[str], window: range, mark: Any, problem: str) -> Located | None:
    for number in window:
        line = _code(lines[number])
        found = _NO_SPACE_KEY.fullmatch(line.rstrip())
        if found is None or ": " in line:
            continue
        written = line.strip()
        colon = found.end("key")
        fixed = f"{found.group('key')}: {found.group('rest').strip()}"
        if line.lstrip().startswith("-"):
            fixed = "- " + fixed
        return number + 1, colon + 1, messages.missing_space_after_colon(found.group("key"), written, fixed)
    return None


@dataclass(frozen=True)
class _Level:
    name: str
    line: int  # 1-based
    spaces: int
    dash: bool


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _levels_on(line: str, number: int) -> list[_Level]:
    """The columns where something starts on `line`: each list dash, then its key; left to right."""
    levels = []
    dashes = _DASHES.match(line)
    column = len(line) - len(line.lstrip(" "))
    if dashes is not None:
        for dash in re.finditer(r"-", dashes.group(1)):
            levels.append(_Level("-", number + 1, dashes.start(1) + dash.start(), True))
        column = dashes.end()
    key = _KEY_START.match(line)
    name = key.group("key").strip() if key is not None else line[column:].strip()[:20]
    if column < len(line.rstrip()):
        levels.append(_Level(name, number + 1, column, False))
    return levels


def _indentation(lines: list[str], window: range, mark: Any, problem: str) -> Located | None:
    kinds = ("did not find expected key", "expected <block end>", "did not find expected '-'", "mapping values")
    if not any(kind in problem for kind in kinds) or mark.line >= len(lines):
        return None
    number = mark.line
    line = _code(lines[number])
    if "\t" in line[: len(line) - len(line.lstrip(" \t"))] or not _content(line):
        return None
    own = _levels_on(line, number)
    spaces, name = own[0].spaces, own[-1].name
    if "mapping values" in problem and (own[0].dash or not line[mark.column :].startswith(":")):
        return None
    # The columns still open above the line, nearest (deepest) first.
    above: list[_Level] = []
    bound = spaces + 10_000
    opens_block = None
    for earlier in range(number - 1, -1, -1):
        text = _code(lines[earlier])
        if not _content(text):
            continue
        if opens_block is None:
            opens_block = bool(re.search(r":[ \t]*(#.*)?$", text))
        for level in reversed(_levels_on(text, earlier)):
            if level.spaces < bound:
                above.append(level)
                bound = level.spaces
        if bound == 0:
            break
    if not above:
        return None
    nearest = above[0]
    if spaces > nearest.spaces:
        if opens_block or nearest.dash:
            return None
        message = messages.indented_deeper(name, spaces, nearest.name, nearest.line, nearest.spaces)
        return number + 1, spaces + 1, message
    same = [level for level in above if level.spaces == spaces]
    if same:
        level = same[0]
        if not level.dash or own[0].dash:
            return None  # it lines up with a key: the problem is elsewhere
        inside = [item for item in above if item.spaces > spaces and not item.dash]
        item = inside[-1] if inside else None
        message = messages.indented_like_list_item(
            name, spaces, level.line, item.name if item else None, item.spaces if item else spaces + 2
        )
        return number + 1, spaces + 1, message
    deeper = [level for level in above if level.spaces > spaces]
    shallower = [level for level in above if level.spaces < spaces]
    choices = [(level.name, level.line, level.spaces) for level in (deeper[-1:] + shallower[:1])]
    return number + 1, spaces + 1, messages.indented_between(name, spaces, choices)


def tab_hint() -> str:
    return messages.tab_in_indentation()


# --- silent changes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextTrap:
    """Text that YAML read differently from what was most likely meant, before knowing which field holds it."""

    rule: str
    path: tuple[str | int, ...]
    line: int
    column: int
    message: str


def might_hold_traps(text: str) -> bool:
    """A quick look, so that a plan without any (nearly all) costs no second pass."""
    return _COMMENT_AFTER_TEXT.search(text) is not None or _SENTENCE_IN_FLOW_LIST.search(text) is not None


class _Frame:
    __slots__ = ("path", "mapping", "key", "expect_key", "index", "flow", "items")

    def __init__(self, path: tuple | None, mapping: bool, flow: bool) -> None:
        self.path = path
        self.mapping = mapping
        self.key: Any = None
        self.expect_key = True
        self.index = 0
        self.flow = flow
        self.items: list[Any] | None = [] if flow and not mapping else None


def find_text_traps(text: str, comment_rule: str, sentence_rule: str) -> list[TextTrap]:
    """Texts cut by a `#` and flow lists that read as one sentence, each by its data path."""
    if not might_hold_traps(text):
        return []
    lines = text.splitlines()
    resolver = yaml.resolver.Resolver()
    traps: list[TextTrap] = []
    stack: list[_Frame] = []
    event: Any  # each kind of event has its own attributes
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind in (yaml.SequenceEndEvent, yaml.MappingEndEvent):
            frame = stack.pop()
            if frame.items and frame.path is not None:
                trap = _sentence_trap(frame.items, sentence_rule)
                if trap is not None:
                    traps.append(trap)
            continue
        if kind not in (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent):
            continue
        path: tuple | None = ()
        if stack:
            parent = stack[-1]
            if parent.mapping:
                if parent.expect_key:
                    parent.expect_key = False
                    parent.key = event.value if kind is yaml.ScalarEvent else None
                    if kind in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
                        stack.append(_Frame(None, kind is yaml.MappingStartEvent, False))  # a key that is no name
                    continue
                parent.expect_key = True
                path = None if parent.path is None or parent.key is None else (*parent.path, parent.key)
            else:
                path = None if parent.path is None else (*parent.path, parent.index)
                parent.index += 1
                if parent.items is not None:
                    parent.items.append((event, path) if kind is yaml.ScalarEvent else None)
        if kind is yaml.ScalarEvent:
            if path is not None and not event.style:  # plain (libyaml says "", PyYAML None)
                trap = _comment_trap(event, path, lines, resolver, comment_rule)
                if trap is not None:
                    traps.append(trap)
        elif kind is not yaml.AliasEvent:
            stack.append(_Frame(path, kind is yaml.MappingStartEvent, bool(event.flow_style)))
    return traps


def _comment_trap(event: Any, path: tuple, lines: list[str], resolver: Any, rule: str) -> TextTrap | None:
    start, end = event.start_mark, event.end_mark
    if start.line != end.line or end.line >= len(lines):
        return None
    line = _code(lines[end.line])
    comment = _COMMENT_REST.match(line, end.column)
    if comment is None:
        return None
    if resolver.resolve(yaml.ScalarNode, event.value, (True, False)) != "tag:yaml.org,2002:str":
        return None  # a number or a date: a comment after it is a comment
    whole = event.value + line[end.column :].rstrip()
    fixed = line[: start.column].lstrip() + messages.quoted(whole)
    message = messages.text_cut_by_comment(event.value, comment.group(1).rstrip(), fixed)
    return TextTrap(rule, path, end.line + 1, comment.start(1), message)


def _sentence_trap(items: list[Any], rule: str) -> TextTrap | None:
    if any(item is None for item in items):
        return None  # a list of mappings or lists is not a sentence
    for index, (event, path) in enumerate(items):
        if index == 0 or event.style:
            continue
        word = _CONTINUING.match(event.value)
        if word is None:
            continue
        whole = ", ".join(item.value for item, _ in items)
        message = messages.list_reads_as_sentence(event.value, word.group(1), len(items), f"[{messages.quoted(whole)}]")
        mark = event.start_mark
        return TextTrap(rule, path, mark.line + 1, mark.column + 1, message)
    return None
