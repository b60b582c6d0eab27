"""Turn pydantic validation errors into located, plain-words findings.

pydantic reports a `loc` like ('means', 2, 'cost') and a message written for
programmers. Users get `plan.yaml:41:11: error: means[2].cost: '12 000 €' is
not a number...`: the position comes from the loaded document, the words
from the table below.
"""

from __future__ import annotations

import difflib
import re
import typing
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import messages
from ..errors import Finding
from ..language import say
from ..loading.reader import DataPath, Document
from ..plan import vocab
from ..plan.fields import AMOUNT, FIGURE, WHOLE, ValueKind, value_kind
from ..plan.model import SCHEDULE_TAGS, Milestone, Plan, ScheduledMeans
from ..plan.numbers import percentage_as_fraction, plain_number_forms
from ..rule_ids import INVALID_VALUE, MEANS_UNLINKED, MEANS_UNSCHEDULED, MISSING_KEY, UNKNOWN_KEY

_TAG_MODELS: dict[str, type[BaseModel]] = {SCHEDULE_TAGS[0]: ScheduledMeans, SCHEDULE_TAGS[1]: Milestone}


def dotted(path: DataPath) -> str:
    """`('means', 2, 'cost')` as `means[2].cost`, the way users read paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the plan"


def suggest(word: Any, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    if not isinstance(word, str):
        return ""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches and word.lower() in choices:
        matches = [word.lower()]
    return say("hint.did_you_mean", word=matches[0]) if matches else ""


def findings_from_validation_error(error: ValidationError, document: Document) -> list[Finding]:
    translated = []
    for item in error.errors(include_url=False):
        model, loc = _resolve(item["loc"])
        translated.append((loc, *_translate(item, model, loc)))
    # A misspelt key also makes the real one "missing"; the typo's finding
    # (with its did-you-mean) is the one fix, so the missing key is not repeated.
    misspelt = {
        loc[:-1] + (hint,)
        for loc, rule, message, _, _ in translated
        if rule == UNKNOWN_KEY
        for hint in re.findall(r"did you mean '([^']+)'", message)
    }
    return [
        document.finding(path, rule, "error", message, key=point_at_key)
        for loc, rule, message, point_at_key, path in translated
        if not (rule == MISSING_KEY and loc in misspelt)
    ]


def _resolve(raw_loc: tuple[Any, ...]) -> tuple[type[BaseModel] | None, DataPath]:
    """Drop union tags from `raw_loc`; find the model of the mapping holding its last key."""
    loc: list[Any] = []
    model: type[BaseModel] | None = Plan
    for index, part in enumerate(raw_loc):
        if part in _TAG_MODELS:
            model = _TAG_MODELS[part]
            continue
        loc.append(part)
        is_last = index == len(raw_loc) - 1
        if is_last or isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model is not None else None
        model = _model_in(field.annotation) if field is not None else None
    return model, tuple(loc)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model inside an annotation such as `list[Means] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _sentence_case(text: str) -> str:
    """Lower the first letter of a description for use mid-sentence, but not of an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _number(value: Any) -> str:
    if isinstance(value, str):
        match = re.fullmatch(r"Decimal\('(.*)'\)", value)
        value = match.group(1) if match else value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def _choices(ctx: dict[str, Any] | None) -> list[str]:
    return re.findall(r"'([^']*)'", (ctx or {}).get("expected", ""))


def _translate(item: Any, owner: type[BaseModel] | None, loc: DataPath) -> tuple[str, str, bool, DataPath]:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    field = loc[-1] if loc else ""
    where = dotted(loc)

    if kind == "extra_forbidden":
        # A key the file writes differently from its attribute (`from`) is offered as written.
        allowed = [field.alias or name for name, field in owner.model_fields.items()] if owner else []
        hint = suggest(field, allowed)
        if not hint and item.get("input") is None and re.search(r"[\s()]", str(field)):
            # `{name: Fees, travel, cost: 1}`: the comma ended the text early.
            hint = "; it looks like the end of a text cut at a comma inside { }: put the whole text in quotes"
        elif not hint and allowed:
            hint = "; allowed keys here: " + ", ".join(allowed)
        return UNKNOWN_KEY, f"unknown key '{field}' in {dotted(loc[:-1])}{hint}", True, loc

    if kind == "missing":
        described = ""
        if owner and isinstance(field, str) and field in owner.model_fields:
            description = owner.model_fields[field].description
            described = f" ({_sentence_case(description.rstrip('.'))})" if description else ""
        return MISSING_KEY, f"{dotted(loc[:-1])}: missing required key '{field}'{described}", False, loc

    if kind == "too_short" and len(loc) == 3 and loc[0] == "means" and field in ("objectives", "targets"):
        noun = "objective" if field == "objectives" else "target"
        return (
            MEANS_UNLINKED,
            f"{where}: a means must serve at least one {noun}; list the id of the {noun} it is for",
            False,
            loc,
        )

    message = _number_as_written(kind, value, loc) or _value_message(kind, ctx, value, field, item["msg"])
    return INVALID_VALUE, f"{where}: {message}", False, loc


_NUMBER_ERRORS = frozenset(
    ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "int_parsing", "int_type")
)


def _number_as_written(kind: str, value: Any, loc: DataPath) -> str | None:
    """For `35 %` in a rate or `1 234,56 €` in an amount: the plain number to write instead, never read in its place."""
    if kind not in _NUMBER_ERRORS or not isinstance(value, str):
        return None
    field_kind: ValueKind | None = value_kind(Plan, loc)
    if field_kind not in (AMOUNT, FIGURE, WHOLE):
        return None
    shown = _shown(value)
    percentage = percentage_as_fraction(value)
    if percentage is not None:
        return messages.percentage_as_number(shown, *percentage) if field_kind is FIGURE else None
    forms = plain_number_forms(value)
    if forms is None or (field_kind is WHOLE and "." in forms[0]):
        return None
    return messages.amount_as_plain_number(shown, *forms)


# The closed lists too long to print in a message: each has a command that lists it.
_VOCABULARIES: dict[frozenset[str], tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    frozenset(vocab.CHANNELS): ("channel", vocab.CHANNELS, vocab.CHANNEL_SYNONYMS),
    frozenset(vocab.METRICS): ("metric", vocab.METRICS, vocab.METRIC_SYNONYMS),
}


def _unknown_word(vocabulary: tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]], value: Any, shown: str) -> str:
    kind, ids, synonyms = vocabulary
    meant: tuple[str, ...] = ()
    if isinstance(value, str):
        meant = vocab.meant_by(value, ids, synonyms)
        if not meant:
            close = difflib.get_close_matches(value.lower(), ids, n=1, cutoff=0.6)
            meant = tuple(close)
    return messages.unknown_vocabulary_word(kind, shown, meant)


def _value_message(kind: str, ctx: dict[str, Any], value: Any, field: Any, fallback: str) -> str:
    shown = _shown(value)
    if kind == "literal_error":
        choices = _choices(ctx)
        vocabulary = _VOCABULARIES.get(frozenset(choices))
        if vocabulary is not None:
            return _unknown_word(vocabulary, value, shown)
        hint = suggest(value, choices)
        listed = ", ".join(choices) if len(choices) <= 8 else "see docs/format.md for the list"
        return f"{shown} is not one of the allowed values{hint}; allowed: {listed}"
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^MP"):
            return f"{shown} is not a rule id: write MP and three digits, such as {MEANS_UNSCHEDULED} (`mixplan rules` lists them)"
        if field == "currency":
            return f"{shown} is not an ISO 4217 currency code: write three capital letters, such as EUR or USD"
        # Suggest the id a person would write: accents dropped (publicité -> publicite), spaces as hyphens.
        plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
        slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "my-id"
        return (
            f"{shown} is not a valid id: ids use lowercase letters (no accents), digits and hyphens, "
            f"starting with a letter or digit, such as '{slug}'"
        )
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
        "datetime_parsing",
    ):
        reason = str(ctx.get("error", ""))
        if "outside expected range" in reason:
            reason = ": that day or month does not exist"
        elif kind == "date_from_datetime_inexact":
            reason = ": give a day without a time"
        else:
            reason = ""
        return f"{shown} is not a valid date{reason}; write it YYYY-MM-DD, such as 2027-03-31"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "decimal_max_digits"):
        return (
            f"{shown} is not a number: write a plain number such as 1200 or 1200.50, "
            "without currency sign, spaces or thousands separators"
        )
    if kind in ("finite_number",):
        return f"{shown} is not a finite number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number: write a count without decimals, such as 1200"
    if kind == "string_type" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        # Only ids are strict text: YAML would have turned `0777` into 511.
        written = f"{field}: '{value}'" if isinstance(field, str) else f"'{value}'"
        return f"YAML reads {value} as a number: write {written} in quotes"
    if kind == "greater_than_equal":
        return f"must be {_number(ctx.get('ge'))} or more, got {_shown(value)}"
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx.get('le'))}, got {_shown(value)}"
    if kind == "too_short":
        return "must hold at least one item"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("string_too_long", "too_long"):
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "list_type":
        return f"expected a list (lines starting with '- ', or [a, b]), got {shown}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys and values, got {shown}"
    if kind == "string_type":
        return f"expected text, got {shown}"
    if kind == "bool_type":
        return f"expected true or false, got {shown}"
    # Our own validators already speak plain words.
    return fallback[0].lower() + fallback[1:] if fallback else f"invalid value {shown}"
