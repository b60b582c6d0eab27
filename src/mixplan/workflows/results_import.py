"""`mixplan results import`: merge measured figures from a CSV export into a plan's `results`.

The plan is written back in place, so its comments and key order must
survive: this one write goes through ruamel.yaml's round-trip mode (imported
here only), while every read of a plan elsewhere stays on PyYAML. The merged
text is validated by mixplan's own validator before anything is written, and
the write is atomic: a failed import leaves the plan byte-identical.

A side file (`plan.results.yaml`) was the other option; it was not taken
because every command, editor and git diff would then need two files to see
one plan.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..checks.structure import row_value_message, suggest
from ..errors import EXIT_INVALID, MixplanError, UnreadableFile
from ..language import grouped, say, speaking
from ..loading.limits import DEFAULT_MAX_PLAN_BYTES
from ..plan import vocab

# The columns a CSV may have, named as in a results row; --map renames others.
HEADERS: tuple[str, ...] = ("means", "month", *vocab.RAW_COUNTS)
IGNORE = "-"
_DAY = re.compile(r"^(\d{4}-\d{2})-\d{2}$")


class ImportRejected(MixplanError):
    """The CSV has bad rows, or the merged plan would be invalid; nothing was written."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    csv_rows: int
    added: int
    replaced: int
    language: str = "en"  # the plan's, for the messages about it


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """--map values (`Column name=field`, `Column=-` to ignore it) as {lowercased column: field}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        column, field = column.strip(), field.strip()
        if not sep or not column or not field:
            raise MixplanError(say("import.map_form", pair=repr(pair)))
        if field != IGNORE and field not in HEADERS:
            raise MixplanError(
                say(
                    "import.map_field",
                    pair=repr(pair),
                    field=field,
                    hint=suggest(field, HEADERS),
                    fields=", ".join(HEADERS),
                )
            )
        mapping[column.lower()] = field
    return mapping


def _read_csv(source: str | os.PathLike[str]) -> tuple[str, str]:
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        text = Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UnreadableFile(say("import.missing", source=source)) from None
    except IsADirectoryError:
        raise UnreadableFile(say("import.directory", source=source)) from None
    except UnicodeDecodeError:
        raise UnreadableFile(say("import.not_utf8", source=source)) from None
    except OSError as exc:
        raise UnreadableFile(say("import.unreadable", source=source, reason=exc.strerror or exc)) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # French spreadsheets export with semicolons
    return text, delimiter


def _fields(header: list[str], mapping: dict[str, str], name: str) -> list[str]:
    fields, unknown = [], []
    for column in header:
        key = column.strip()
        field = mapping.get(key.lower(), key.lower())
        if field != IGNORE and field not in HEADERS:
            unknown.append(key)
        fields.append(field)
    if unknown:
        shown = ", ".join(say("shown.text", text=column) for column in unknown)
        raise MixplanError(say("import.unknown_columns", name=name, columns=shown, fields=", ".join(HEADERS)))
    duplicated = sorted({f for f in fields if f != IGNORE and fields.count(f) > 1})
    if duplicated:
        raise MixplanError(say("import.duplicate_columns", name=name, fields=", ".join(duplicated)))
    missing = [f for f in ("means", "month") if f not in fields]
    if missing:
        if len(missing) > 1:
            raise MixplanError(say("import.no_columns", name=name))
        raise MixplanError(say("import.no_column", name=name, field=missing[0]))
    return fields


def _cell(field: str, value: str) -> Any:
    value = value.strip()
    if field == "month":
        day = _DAY.match(value)
        return day.group(1) if day else value  # a daily export's date counts for its month
    if field in vocab.PLAIN_COUNTS:
        # Exports write counts as 12 or 12.0; both are the count 12.
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number.is_finite() and number == number.to_integral_value() else value
    return value


def _row_problems(error: ValidationError, columns: dict[str, str], place: str) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else "row"
        column = columns.get(field, field)
        if column.lower() != field:
            shown = say("import.column_field", column=column, field=field)
        else:
            shown = say("import.column", column=column)
        if item["type"] == "missing":
            message = say("import.cell_empty", field=field)
        else:
            message = row_value_message(item, ("results", 0, *item["loc"]))
        problems.append(say("import.cell_problem", place=place, column=shown, message=message))
    return problems


def read_rows(source: str | os.PathLike[str], plan, mapping: dict[str, str] | None = None) -> tuple[dict, int]:
    """Validate every CSV row against the plan; rows for one means and month are summed.

    Returns {(means, month): counts} and the number of data rows read.
    Raises `ImportRejected` listing every bad row by its line in the CSV.
    """
    from ..plan.model import ResultRow

    name = str(source)
    text, delimiter = _read_csv(source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _csv_rows(reader, name)
    header = next(rows, None)
    if header is None:
        raise MixplanError(say("import.empty", name=name))
    fields = _fields(header, mapping or {}, name)
    columns = {field: column.strip() for field, column in zip(fields, header)}
    means_ids = [m.id for m in plan.means]
    period = plan.plan.period
    first_month = period.start.replace(day=1)

    merged: dict[tuple[str, _dt.date], dict[str, Any]] = {}
    problems: list[str] = []
    count = 0
    for cells in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if len(cells) != len(fields):
            problems.append(say("import.cells", place=f"{name}:{line}", cells=len(cells), columns=len(fields)))
            continue
        data = {f: _cell(f, c) for f, c in zip(fields, cells) if f != IGNORE and c.strip()}
        try:
            row = ResultRow.model_validate(data)
        except ValidationError as error:
            problems.extend(_row_problems(error, columns, f"{name}:{line}"))
            continue
        if row.means not in means_ids:
            problems.append(
                say(
                    "import.unknown_means",
                    place=f"{name}:{line}",
                    means=row.means,
                    hint=suggest(row.means, means_ids),
                    known=", ".join(means_ids),
                )
            )
            continue
        if not first_month <= row.month <= period.end:
            problems.append(
                say(
                    "import.outside",
                    place=f"{name}:{line}",
                    month=f"{row.month:%Y-%m}",
                    start=f"{period.start:%Y-%m-%d}",
                    end=f"{period.end:%Y-%m-%d}",
                )
            )
            continue
        counts = merged.setdefault((row.means, row.month), {})
        for key in vocab.RAW_COUNTS:
            value = getattr(row, key)
            if value is not None:
                counts[key] = counts.get(key, 0) + value
    if problems:
        raise ImportRejected([say("import.problems", name=name, count=len(problems)), *problems])
    if not merged:
        raise ImportRejected([say("import.no_rows", name=name)])
    return merged, count


def _csv_rows(reader: Any, name: str) -> Iterator[list[str]]:
    """The reader's rows, with a plain message naming the row the csv module cannot read."""
    while True:
        start = reader.line_num + 1
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" in str(error):
                raise MixplanError(
                    say("import.cell_too_long", place=f"{name}:{start}", limit=grouped(csv.field_size_limit()))
                ) from None
            raise MixplanError(say("import.bad_row", place=f"{name}:{start}", error=error)) from None


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    # Written as the plain number it is (1980.00, 12), never as a tagged or quoted string.
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def _round_trip():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode: comments, key order and scalar styles are kept
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    # No re-wrapping of long lines: what the user wrapped stays wrapped where ruamel can keep it.
    yaml.width = 4096
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def merge_text(plan_text: str, rows: dict) -> tuple[str, int, int]:
    """The plan text with `rows` merged into its results: (text, rows added, rows replaced).

    A row for a means and month already in the plan is replaced; new rows
    are appended, in CSV order, as one-line flow mappings. The plan's line
    endings are kept. Whichever way the text is edited, it must read back
    as the plan with exactly these rows merged, or nothing is returned.
    """
    crlf = plan_text.count("\r\n") * 2 > plan_text.count("\n")
    text = plan_text.replace("\r\n", "\n")
    expected, added, replaced = _expected(text, rows)
    merged = None
    # A plan saved as JSON is edited in place only: ruamel would write it back as YAML flow
    # (bare keys, lines cut at its width), which reads as the same plan but is no longer JSON.
    if not text.lstrip().startswith("{"):
        try:
            merged = _round_trip_merge(text, rows)
        except Exception:  # noqa: BLE001 - ruamel cannot read some valid YAML (tabs before comments); edited below instead
            pass
    if merged is None or not _reads_as(merged, expected):
        merged = _edit_spans(text, rows)
        if merged is None or not _reads_as(merged, expected):
            raise MixplanError(say("import.layout"))
    return (merged.replace("\n", "\r\n") if crlf else merged), added, replaced


def _row_key(entry: Any) -> tuple[str, str] | None:
    if isinstance(entry, dict) and "means" in entry and "month" in entry:
        return str(entry["means"]), str(entry["month"])[:7]
    return None


def _expected(text: str, rows: dict) -> tuple[Any, int, int]:
    """The plan's data once `rows` are merged, as PyYAML reads it, and how many rows were added and replaced."""
    data = _plain_load(text)
    results = list(data.get("results") or [])
    index = {_row_key(entry): position for position, entry in enumerate(results) if _row_key(entry)}
    added = replaced = 0
    for (means, month), counts in rows.items():
        entry = {"means": means, "month": f"{month:%Y-%m}"}
        # PyYAML reads 1980.10 as the float nearest to it, which is what float() of the Decimal gives.
        entry.update(
            {
                key: float(counts[key]) if isinstance(counts[key], Decimal) else counts[key]
                for key in vocab.RAW_COUNTS
                if key in counts
            }
        )
        key = (means, f"{month:%Y-%m}")
        if key in index:
            results[index[key]] = entry
            replaced += 1
        else:
            index[key] = len(results)
            results.append(entry)
            added += 1
    data["results"] = results
    return data, added, replaced


def _plain_load(text: str) -> Any:
    import yaml as pyyaml

    return pyyaml.load(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))  # noqa: S506 - a safe loader


def _reads_as(text: str, expected: Any) -> bool:
    import yaml as pyyaml

    try:
        return _plain_load(text) == expected
    except pyyaml.YAMLError:
        return False


def _round_trip_merge(plan_text: str, rows: dict) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _round_trip()
    document = yaml.load(plan_text)
    results = document.get("results")
    if results is None:
        results = CommentedSeq()
        document["results"] = results
    index: dict[tuple[str, str], int] = {}
    for position, entry in enumerate(results):
        if isinstance(entry, dict) and "means" in entry and "month" in entry:
            index[(str(entry["means"]), str(entry["month"])[:7])] = position
    for (means, month), counts in rows.items():
        entry = CommentedMap()
        entry["means"] = means
        entry["month"] = f"{month:%Y-%m}"
        for key in vocab.RAW_COUNTS:
            if key in counts:
                entry[key] = counts[key]
        entry.fa.set_flow_style()
        row_key = (means, f"{month:%Y-%m}")
        if row_key in index:
            results[index[row_key]] = entry
        else:
            results.append(entry)
            index[row_key] = len(results) - 1
    out = io.StringIO()
    yaml.dump(document, out)
    return _splice(plan_text, out.getvalue(), yaml)


def _row_text(means: str, month: _dt.date, counts: dict, quoted: bool) -> str:
    """One results row as a one-line flow mapping; `quoted` writes it as JSON does."""
    values = {"means": means, "month": f"{month:%Y-%m}"}
    values.update({key: counts[key] for key in vocab.RAW_COUNTS if key in counts})

    def shown(value: Any) -> str:
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False) if quoted else value
        return format(value, "f") if isinstance(value, Decimal) else str(value)

    return "{" + ", ".join(f"{json.dumps(k) if quoted else k}: {shown(v)}" for k, v in values.items()) + "}"


def _edit_spans(text: str, rows: dict) -> str | None:
    """The plan text with each row written into it where it goes, every other character kept.

    For what ruamel cannot read back and write (a plan saved as JSON, tabs
    before comments): PyYAML's positions of the results and of each row
    say where to replace a row or add one. None when the plan has a form
    this does not handle.
    """
    import yaml as pyyaml

    try:
        root = pyyaml.compose(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    except pyyaml.YAMLError:
        return None
    if not isinstance(root, pyyaml.MappingNode) or not root.value:
        return None
    quoted = text.lstrip().startswith("{")
    results = next((value for key, value in root.value if getattr(key, "value", None) == "results"), None)
    items = list(results.value) if isinstance(results, pyyaml.SequenceNode) else []
    index: dict[tuple[str, str], int] = {}
    for position, item in enumerate(items):
        if isinstance(item, pyyaml.MappingNode):
            fields = {getattr(k, "value", None): getattr(v, "value", None) for k, v in item.value}
            means_id, month_text = fields.get("means"), fields.get("month")
            if isinstance(means_id, str) and isinstance(month_text, str):
                index[(means_id, month_text[:7])] = position
    edits: list[tuple[int, int, str]] = []
    new: list[str] = []
    for (means, month), counts in rows.items():
        row = _row_text(means, month, counts, quoted)
        found = index.get((means, f"{month:%Y-%m}"))
        if found is None:
            new.append(row)
        else:
            edits.append((items[found].start_mark.index, items[found].end_mark.index, row))
    if new:
        if results is None:
            if root.flow_style:
                at = root.value[-1][1].end_mark.index
                key = '"results"' if quoted else "results"
                edits.append((at, at, f", {key}: [{', '.join(new)}]"))
            else:
                head = "" if text.endswith("\n") else "\n"
                edits.append((len(text), len(text), head + "results:\n" + "".join(f"  - {row}\n" for row in new)))
        elif not isinstance(results, pyyaml.SequenceNode):
            return None
        elif results.flow_style or not items:
            if not results.flow_style:
                return None
            at = items[-1].end_mark.index if items else results.end_mark.index - 1
            edits.append((at, at, (", " if items else "") + ", ".join(new)))
        else:
            first, last = items[0].start_mark.index, items[-1].end_mark.index
            dash = text.rfind("-", text.rfind("\n", 0, first) + 1, first)
            indent = " " * (dash - text.rfind("\n", 0, first) - 1)
            # After the whole line of the last row, so a comment at its end stays with it.
            at = last if text[last - 1] == "\n" else (text.find("\n", last) + 1 or len(text))
            head = "" if at == 0 or text[at - 1] == "\n" else "\n"
            edits.append((at, at, head + "".join(f"{indent}- {row}\n" for row in new)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _section(document: Any, line_count: int, key: str) -> tuple[int, int] | None:
    """The lines [start, end) of a top-level key, up to the next top-level key."""
    starts = sorted((document.lc.key(name)[0], name) for name in document)
    for position, (line, name) in enumerate(starts):
        if name == key:
            return line, starts[position + 1][0] if position + 1 < len(starts) else line_count
    return None


def _splice(original: str, dumped: str, yaml: Any) -> str:
    """The original text with only its results section taken from ruamel's dump.

    ruamel keeps comments and key order but joins flow mappings the user
    wrapped over several lines; splicing keeps every other section byte for
    byte. Should the splice not read back as the dump does, the dump is used.
    """
    import yaml as pyyaml

    before, after = original.splitlines(keepends=True), dumped.splitlines(keepends=True)
    new = _section(yaml.load(dumped), len(after), "results")
    if new is None:
        return dumped
    old = _section(yaml.load(original), len(before), "results")
    if old is None:
        head = original if original.endswith("\n") or not original else original + "\n"
        spliced = head + "".join(after[new[0] : new[1]])
    else:
        spliced = "".join(before[: old[0]] + after[new[0] : new[1]] + before[old[1] :])
    return spliced if pyyaml.safe_load(spliced) == pyyaml.safe_load(dumped) else dumped


def import_results(
    plan_path: str | os.PathLike[str],
    csv_path: str | os.PathLike[str],
    mapping: dict[str, str] | None = None,
    *,
    max_bytes: int | None = DEFAULT_MAX_PLAN_BYTES,
) -> ImportSummary:
    """Validate the CSV, merge it into the plan, validate the result, then write the plan atomically.

    The plan stays locked from its reading to its writing, so imports run at
    the same time on one plan take turns and none loses another's rows.
    """
    from .. import api
    from ..loading.reader import read_text
    from ..outputs.write import locked, write_text

    with locked(plan_path):
        plan_text = read_text(plan_path, max_bytes=max_bytes)
        try:
            plan = api.require_valid(text=plan_text, name=str(plan_path))
        except api.PlanRefused as refused:
            with speaking(refused.report.language):
                refusal = say("import.plan_invalid", path=plan_path)
            raise ImportRejected([str(f) for f in refused.report.errors] + [refusal]) from None
        # What is wrong with the CSV or the merge is said in the plan's language, as its findings are.
        with speaking(plan.plan.language):
            rows, count = read_rows(csv_path, plan, mapping)
            merged, added, replaced = merge_text(plan_text, rows)
            try:
                api.require_valid(text=merged, name=str(plan_path))
            except api.PlanRefused as refused:
                raise ImportRejected(
                    [str(f) for f in refused.report.errors] + [say("import.merged_invalid", path=plan_path)]
                ) from None
            # An editor does not take the lock: a save made meanwhile would be lost.
            if read_text(plan_path, max_bytes=max_bytes) != plan_text:
                raise MixplanError(say("import.changed", path=plan_path))
        write_text(plan_path, ("\ufeff" if _starts_with_bom(plan_path) else "") + merged, overwrite=True)
    return ImportSummary(Path(plan_path), count, added, replaced, plan.plan.language)


def _starts_with_bom(path: str | os.PathLike[str]) -> bool:
    """Whether the file begins with a UTF-8 byte-order mark, which reading drops and writing must put back."""
    try:
        with open(path, "rb") as handle:
            return handle.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False
