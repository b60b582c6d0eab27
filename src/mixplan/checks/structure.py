"""Turn pydantic validation errors into located, plain-words findings.

pydantic reports a `loc` like ('means', 2, 'cost') and a message written for
programmers. Users get `plan.yaml:41:11: error: means[2].cost: '12 000 €' is
not a number...`: the position comes from the loaded document, the words
from the table below.
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import messages
from ..errors import Finding
from ..language import current, grouped, say
from ..loading.reader import DataPath, Document
from ..plan import vocab
from ..plan.fields import AMOUNT, FIGURE, WHOLE, ValueKind, value_kind
from ..plan.model import SCHEDULE_TAGS, Milestone, Plan, ScheduledMeans
from ..plan.numbers import percentage_as_fraction, plain_number_forms
from ..rule_ids import INVALID_VALUE, MEANS_UNLINKED, MEANS_UNSCHEDULED, MISSING_KEY, UNKNOWN_KEY
from .location import readable

_TAG_MODELS: dict[str, type[BaseModel]] = {SCHEDULE_TAGS[0]: ScheduledMeans, SCHEDULE_TAGS[1]: Milestone}


def dotted(path: DataPath) -> str:
    """`('means', 2, 'cost')` as `means[2].cost`, the way users read paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or say("path.root")


def suggest(word: Any, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    meant = _closest(word, choices)
    return say("hint.did_you_mean", word=meant) if meant is not None else ""


def _closest(word: Any, choices: typing.Iterable[str]) -> str | None:
    if not isinstance(word, str):
        return None
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches and word.lower() in choices:
        matches = [word.lower()]
    return matches[0] if matches else None


def findings_from_validation_error(error: ValidationError, document: Document) -> list[Finding]:
    translated = []
    misspelt = set()
    in_words = functools.partial(readable, data=document.data)
    for item in error.errors(include_url=False):
        model, loc = _resolve(item["loc"])
        # The same message twice: with the data path for JSON, with the place in words for a person.
        translated.append((loc, *_translate(item, model, loc, dotted), _translate(item, model, loc, in_words)[1]))
        if item["type"] == "extra_forbidden" and model is not None:
            meant = _closest(loc[-1] if loc else "", _allowed_keys(model))
            if meant is not None:
                # A misspelt key also makes the real one "missing"; the typo's finding
                # (with its did-you-mean) is the one fix, so the missing key is not repeated.
                misspelt.add(loc[:-1] + (meant,))
    return [
        document.finding(path, rule, "error", message, key=point_at_key, readable=worded)
        for loc, rule, message, point_at_key, path, worded in translated
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


def _allowed_keys(owner: type[BaseModel]) -> list[str]:
    """The keys a mapping of this model may hold, as a file writes them (`from`, not `window_start`)."""
    return [field.alias or name for name, field in owner.model_fields.items()]


def _sentence_case(text: str) -> str:
    """Lower the first letter of a description for use mid-sentence, but not of an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return say("shown.mapping")
    if isinstance(value, list):
        return say("shown.list")
    if value is None:
        return say("shown.nothing")
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return say("shown.text", text=text)


def _number(value: Any) -> str:
    if isinstance(value, str):
        match = re.fullmatch(r"Decimal\('(.*)'\)", value)
        value = match.group(1) if match else value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    # A limit read, not a value to write back: grouped as the message's language groups it.
    return grouped(int(number) if number == number.to_integral_value() else number)


def _choices(ctx: dict[str, Any] | None) -> list[str]:
    return re.findall(r"'([^']*)'", (ctx or {}).get("expected", ""))


def _translate(
    item: Any, owner: type[BaseModel] | None, loc: DataPath, place: Callable[[DataPath], str]
) -> tuple[str, str, bool, DataPath]:
    """The rule, message, whether it points at the key, and the path; `place` words the paths in the message."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    field = loc[-1] if loc else ""
    where = place(loc)

    if kind == "extra_forbidden":
        # A key the file writes differently from its attribute (`from`) is offered as written.
        allowed = _allowed_keys(owner) if owner else []
        hint = suggest(field, allowed)
        if not hint and item.get("input") is None and re.search(r"[\s()]", str(field)):
            # `{name: Fees, travel, cost: 1}`: the comma ended the text early.
            hint = say(f"{UNKNOWN_KEY}.cut_at_comma")
        elif not hint and allowed:
            hint = say(f"{UNKNOWN_KEY}.allowed", keys=", ".join(allowed))
        return UNKNOWN_KEY, say(f"{UNKNOWN_KEY}.unknown_key", key=field, where=place(loc[:-1]), hint=hint), True, loc

    if kind == "missing":
        described = ""
        # The models describe their keys in English only: a French message names the key alone.
        if owner and isinstance(field, str) and field in owner.model_fields and current() == "en":
            description = owner.model_fields[field].description
            described = f" ({_sentence_case(description.rstrip('.'))})" if description else ""
        return (
            MISSING_KEY,
            say(f"{MISSING_KEY}.missing", where=place(loc[:-1]), key=field, described=described),
            False,
            loc,
        )

    if kind == "too_short" and len(loc) == 3 and loc[0] == "means" and field in ("objectives", "targets"):
        return MEANS_UNLINKED, say(f"{MEANS_UNLINKED}.no_{field}", where=where), False, loc

    message = _number_as_written(kind, value, loc) or _value_message(kind, ctx, value, field, item["msg"])
    return INVALID_VALUE, say(f"{INVALID_VALUE}.at", where=where, message=message), False, loc


def row_value_message(item: Any, loc: DataPath) -> str:
    """The plain words for a value pydantic refused at `loc` of a plan, without the place: for rows read elsewhere."""
    value = item.get("input")
    field = loc[-1] if loc else ""
    return _number_as_written(item["type"], value, loc) or _value_message(
        item["type"], item.get("ctx") or {}, value, field, item["msg"]
    )


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
        listed = ", ".join(choices) if len(choices) <= 8 else say(f"{INVALID_VALUE}.see_format")
        return say(f"{INVALID_VALUE}.not_allowed", shown=shown, hint=hint, listed=listed)
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^MP"):
            return say(f"{INVALID_VALUE}.rule_id", shown=shown, example=MEANS_UNSCHEDULED)
        if field == "currency":
            return say(f"{INVALID_VALUE}.currency", shown=shown)
        # Suggest the id a person would write: accents dropped (publicité -> publicite), spaces as hyphens.
        plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
        slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "my-id"
        return say(f"{INVALID_VALUE}.id", shown=shown, slug=slug)
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
        "datetime_parsing",
    ):
        reason = str(ctx.get("error", ""))
        if "outside expected range" in reason:
            reason = say(f"{INVALID_VALUE}.date_no_such_day")
        elif kind == "date_from_datetime_inexact":
            reason = say(f"{INVALID_VALUE}.date_with_time")
        else:
            reason = ""
        return say(f"{INVALID_VALUE}.date", shown=shown, reason=reason)
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "decimal_max_digits"):
        return say(f"{INVALID_VALUE}.number", shown=shown)
    if kind in ("finite_number",):
        return say(f"{INVALID_VALUE}.finite", shown=shown)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return say(f"{INVALID_VALUE}.whole", shown=shown)
    if kind == "string_type" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        # Only ids are strict text: YAML would have turned `0777` into 511.
        written = f"{field}: '{value}'" if isinstance(field, str) else f"'{value}'"
        return say(f"{INVALID_VALUE}.number_as_text", value=value, written=written)
    if kind == "greater_than_equal":
        return say(f"{INVALID_VALUE}.at_least", limit=_number(ctx.get("ge")), shown=_shown(value))
    if kind == "less_than_equal":
        return say(f"{INVALID_VALUE}.at_most", limit=_number(ctx.get("le")), shown=_shown(value))
    if kind == "too_short":
        return say(f"{INVALID_VALUE}.empty_list")
    if kind == "string_too_short":
        return say(f"{INVALID_VALUE}.empty_text")
    if kind in ("string_too_long", "too_long"):
        return say(f"{INVALID_VALUE}.too_long", max=ctx.get("max_length"))
    if kind == "list_type":
        return say(f"{INVALID_VALUE}.list", shown=shown)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return say(f"{INVALID_VALUE}.mapping", shown=shown)
    if kind == "string_type":
        return say(f"{INVALID_VALUE}.text", shown=shown)
    if kind == "bool_type":
        return say(f"{INVALID_VALUE}.bool", shown=shown)
    # Our own validators already speak plain words (in English: plan/fields.py and plan/model.py).
    return fallback[0].lower() + fallback[1:] if fallback else say(f"{INVALID_VALUE}.invalid", shown=shown)
