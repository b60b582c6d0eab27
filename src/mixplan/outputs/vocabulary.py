"""`mixplan channels` and `mixplan metrics`: the closed vocabularies, as a plain table or JSON.

The ids come from plan/vocab.py and the words from the label catalogues,
so the lists can never disagree with what `validate` accepts or what the
deliverable prints.
"""

from __future__ import annotations

import json
from typing import Any

from ..plan import vocab
from ..present.labels import labels

VOCABULARY_FORMATS = ("text", "json")


def channel_rows(language: str) -> list[dict[str, Any]]:
    catalogue = labels(language)
    return [
        {"id": channel, "label": catalogue["channels"][channel], "default_p": vocab.default_p(channel)}
        for channel in vocab.CHANNELS
    ]


def metric_rows(language: str) -> list[dict[str, Any]]:
    catalogue = labels(language)
    return [
        {
            "id": metric,
            "label": catalogue["metrics"][metric],
            "unit": vocab.METRIC_UNIT[metric],
            "formula": catalogue["formulas"].get(metric),
        }
        for metric in vocab.METRICS
    ]


def vocabulary_text(kind: str, language: str, output_format: str = "text") -> str:
    """The channels (`kind` "channels") or the metrics ("metrics") in `language`, as `output_format`."""
    rows = channel_rows(language) if kind == "channels" else metric_rows(language)
    if output_format == "json":
        return json.dumps({"language": language, kind: rows}, ensure_ascii=False, indent=2) + "\n"
    catalogue = labels(language)
    words = catalogue["vocabulary"]
    if kind == "channels":
        header = ["id", words["label"], words["default_p"]]
        table = [
            [row["id"], row["label"], catalogue["ps"][row["default_p"]] if row["default_p"] else words["no_default_p"]]
            for row in rows
        ]
    else:
        header = ["id", words["label"], words["unit"], catalogue["columns"]["formula"]]
        table = [
            [row["id"], row["label"], words["units"][row["unit"]], row["formula"] or words["measured"]] for row in rows
        ]
    return _plain_table([header, *table])


def _plain_table(rows: list[list[str]]) -> str:
    """Columns padded with spaces: reads in a terminal, greps and pipes as text."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"
