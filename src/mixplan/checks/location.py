"""Where in the plan a finding is, worded as a marketer reads it.

A data path such as ('means', 1, 'cost') is what JSON consumers and the
loader work with; a person reads "means 'insta-ads' (2nd action), cost", in
the language of the message. An item of a list is named by its id when it
has one and counted from 1; a key is shown by its label (catalogues'
PLACES), or as written, in quotes, when it has none (a key the plan made up,
such as a target id under message.by_target).
"""

from __future__ import annotations

from typing import Any

from ..catalogues import feminine_items, places
from ..controls import visible
from ..language import DEFAULT, current, ordinal, say
from ..loading.reader import DataPath

# Longer ids and keys are cut: the location leads the message, which must stay readable.
SHOWN_CHARACTERS = 40


def readable(path: DataPath, data: Any) -> str:
    """`path` in `data` (the plan as loaded) in words: items by id and ordinal, keys by label."""
    if not path:
        return say("path.root")
    parts: list[str] = []
    node: Any = data
    pending_list: str | None = None  # a list's key, named with its item when the path goes into it
    for position, step in enumerate(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            parts.append(_item(pending_list, step, node))
            pending_list = None
            continue
        node = node.get(step) if isinstance(node, dict) else None
        # Decided by the path, not the data: a finding may be about an item the file lacks.
        if position + 1 < len(path) and isinstance(path[position + 1], int):
            pending_list = str(step)
        else:
            parts.append(_label(str(step)))
    return ", ".join(parts)


def nth_item(list_key: str, index: int) -> str:
    """An item of a list by its place alone, counted from 1: "2nd action", « 2e action »."""
    return _item(list_key, index, None)


def _words(key: str) -> str | None:
    return places(current()).get(key) or places(DEFAULT).get(key)


def _label(key: str) -> str:
    label = _words(f"field.{key}")
    return label if label is not None else say("shown.text", text=_cut(key))


def _item(list_key: str | None, index: int, item: Any) -> str:
    kind = f"where.item.{list_key}"
    template = _words(kind)
    nth = ordinal(index + 1, feminine=kind in feminine_items(current()))
    if template is None:
        owner = _label(list_key) if list_key is not None else say("path.root")
        return _words("where.entry").format(field=owner, nth=nth)  # type: ignore[union-attr]
    item_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(item_id, str) and item_id:
        return _words(f"{kind}.named").format(id=_cut(item_id), nth=nth)  # type: ignore[union-attr]
    return template.format(nth=nth)


def _cut(text: str) -> str:
    shown = visible(text)
    return shown if len(shown) <= SHOWN_CHARACTERS else shown[: SHOWN_CHARACTERS - 1] + "…"
