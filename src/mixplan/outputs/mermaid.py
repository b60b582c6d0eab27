"""The Markdown deliverable's timeline: a Mermaid gantt whose text is shown, never parsed as syntax."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from markupsafe import Markup

from ..controls import visible
from ..plan import vocab
from ..plan.model import Plan

# Mermaid's gantt lexer reads a line from its first character, case-insensitively,
# and tries its keywords there before task text: "Title sponsor" would retitle
# the chart, "Click & collect" start a click binding, "2027-01-01 launch" a
# date, a leading "%" or "5%" a comment that swallows the line. Inside a
# task's text, ":" ends it, and "#", ";" and "%" end or comment it out in some
# versions. Mermaid reads "#35;"-style entity codes before it parses anything
# and draws them as the character, so those characters, and a keyword's first
# letter, are written as codes: the chart shows the text as written.
_MERMAID_KEYWORD = re.compile(
    r"(?:gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker"
    r"|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call|href|\d{4}-\d\d-\d\d)",
    re.IGNORECASE,
)
_MERMAID_SPECIAL = re.compile(r"[:;#%<>{}`\"\\]")
_MERMAID_CODES = {"<": "#lt;", ">": "#gt;", '"': "#quot;"}


def _mermaid_code(char: str) -> str:
    return _MERMAID_CODES.get(char) or f"#{ord(char)};"


def mermaid_text(value: Any) -> str:
    """Text for a Mermaid gantt line: one line, drawn as written, never read as syntax."""
    text = visible(" ".join(str(value).split()), single_line=True)
    if not text:
        return "-"
    text = _MERMAID_SPECIAL.sub(lambda match: _mermaid_code(match.group()), text)
    if _MERMAID_KEYWORD.match(text):
        text = _mermaid_code(text[0]) + text[1:]
    return text


def mermaid_gantt(plan: Plan, lab: dict[str, Any]) -> Markup:
    """The schedule as a Mermaid `gantt` block: GitHub and GitLab draw it."""
    if not plan.schedule:
        return Markup("")
    means = {m.id: m for m in plan.means}
    lines = [
        "```mermaid",
        "gantt",
        f"    title {mermaid_text(lab['charts']['timeline_title'])}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m/%Y",
    ]
    stones = sorted(plan.milestones, key=lambda m: (m.date, m.milestone))
    if stones:
        lines.append(f"    section {mermaid_text(lab['schedule']['milestone'])}")
        for stone in stones:
            lines.append(f"    {mermaid_text(stone.milestone)} :milestone, {stone.date.isoformat()}, 0d")
    entries_of: dict[str, list] = {}
    for entry in plan.scheduled:
        item = means.get(entry.means)
        entries_of.setdefault((item.mix_p if item else None) or "other", []).append(entry)
    for p in (*vocab.PS, "other"):
        entries = sorted(entries_of.get(p, ()), key=lambda e: (e.start, e.end, e.means))
        if not entries:
            continue
        lines.append(f"    section {mermaid_text(lab['ps'][p])}")
        for entry in entries:
            name = means[entry.means].name if entry.means in means else entry.means
            # Mermaid's end date is exclusive; the plan's is the last day it runs.
            after = entry.end + _dt.timedelta(days=1)
            lines.append(f"    {mermaid_text(name)} :{entry.start.isoformat()}, {after.isoformat()}")
    lines.append("```")
    return Markup("\n".join(lines))
