"""Reusable field types for the plan models, each with a plain-words error."""

from __future__ import annotations

import datetime as _dt
import re
import types
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..language import say
from ..rule_ids import INVALID_VALUE
from . import vocab
from .numbers import decimals_problem

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_FIRST = re.compile(r"^\s*(\d{4})-")

# A ceiling that no marketing budget reaches but that keeps 1e400 and other
# typos from flowing into arithmetic.
MONEY_CEILING = Decimal("1e12")
# Every date of a plan lies in these years: far from the ends of Python's
# calendar (year 1 to 9999), so a month or a day before or after any of them exists.
FIRST_DAY = _dt.date(1900, 1, 1)
LAST_DAY = _dt.date(2199, 12, 31)


def _check_year(year: int, shown: Any) -> None:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        too_far = f"{INVALID_VALUE}.date_too_early" if year < FIRST_DAY.year else f"{INVALID_VALUE}.date_too_late"
        raise PydanticCustomError(
            "date_out_of_range", say(too_far, day=str(shown), first=str(FIRST_DAY), last=str(LAST_DAY))
        )


def _no_numbers_as_dates(value: Any) -> Any:
    # pydantic would read 2027 as a Unix timestamp (1970-01-01 + 2027 s).
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", say(f"{INVALID_VALUE}.date_expected", value=value))
    # Checked here, in the one call every date already costs, rather than by a second validator.
    if isinstance(value, _dt.date):
        _check_year(value.year, value)
    elif isinstance(value, str):
        written = _YEAR_FIRST.match(value)
        if written is not None:
            _check_year(int(written.group(1)), value.strip())
    return value


def _month(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        _check_year(value.year, f"{value:%Y-%m}")
        return value.replace(day=1)
    match = _MONTH.match(str(value).strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            _check_year(year, match.group(0))
            return _dt.date(year, month, 1)
    raise PydanticCustomError("month_format", say(f"{INVALID_VALUE}.month_expected", value=value))


def _not_bool(value: Any) -> Any:
    # YAML 1.1 reads yes/no/on/off as booleans; they are never amounts.
    if isinstance(value, bool):
        raise PydanticCustomError("decimal_type", say(f"{INVALID_VALUE}.number_expected", value=str(value).lower()))
    return value


def _usable_decimal(value: Any) -> Any:
    """A decimal with at most MAX_DECIMALS decimals, so that sums, ratios and rounding stay exact and fast."""
    kind = type(value)
    if kind is int:
        return value
    if kind is Decimal:
        # What the loader gives: str() is the quickest look at the decimals (no exponent, 6 after the point at most).
        text = str(value)
        point = text.find(".")
        if "E" not in text and (point < 0 or len(text) - point <= 7):
            return value
    if isinstance(value, float):
        return float(value)  # `.nan` as written would read as text; as a float it is "not a finite number"
    problem = decimals_problem(_not_bool(value))
    if problem is not None:
        raise PydanticCustomError("too_many_decimals", problem)
    return value


class ValueKind:
    """What a field holds beyond its Python type, for the messages that depend on it.

    Carried in the field's annotation (pydantic leaves it alone): a percentage
    written in a number field gets "write 0.35", not the advice for amounts;
    a `#` cutting a text is worth a warning in a name, not in an id.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ValueKind({self.name!r})"


FREE_TEXT = ValueKind("text")
AMOUNT = ValueKind("money")
# A number that may be a rate or a share (a target, a baseline, a growth), written as a fraction of 1.
FIGURE = ValueKind("number")
WHOLE = ValueKind("count")


def value_kind(model: type[BaseModel], path: tuple[str | int, ...]) -> ValueKind | None:
    """The kind of the field at `path` (keys as written, list indexes) under `model`, if it has one."""
    return _kind_in(model, (), path)


def _kind_in(annotation: Any, metadata: tuple[Any, ...], path: tuple[str | int, ...]) -> ValueKind | None:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _kind_in(base, (*metadata, *extra), path)
    if origin is Union or origin is types.UnionType:
        for option in get_args(annotation):
            found = _kind_in(option, metadata, path)
            if found is not None:
                return found
        return None
    if not path:
        return next((item for item in metadata if isinstance(item, ValueKind)), None)
    step, rest = path[0], path[1:]
    if origin is list and isinstance(step, int):
        return _kind_in(get_args(annotation)[0], (), rest)
    if origin is dict and isinstance(step, str):
        return _kind_in(get_args(annotation)[1], (), rest)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(step, str):
        for name, field in annotation.model_fields.items():
            if (field.alias or name) == step:
                return _kind_in(field.annotation, tuple(field.metadata), rest)
    return None


# The JSON Schema of each type says what a person should write in the YAML
# file (a plain number, a YYYY-MM month), which is what editors complete and
# check; pydantic's own schema for Decimal would also invite strings.
def _number_schema(low: float, high: float) -> WithJsonSchema:
    return WithJsonSchema({"type": "number", "minimum": low, "maximum": high})


# Strict: an id YAML reads as a number (`0777`, `2027`) is refused rather than turned into text.
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
# Numbers are read as text too (coerce_numbers_to_str), so a title such as 2027 is fine.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}),
    FREE_TEXT,
]
PlanDate = Annotated[_dt.date, BeforeValidator(_no_numbers_as_dates)]
# Only its form is a field's business; whether the file is there and safe to embed
# is decided where the plan's folder is known (loading/logo.py, rule MP112).
LogoPath = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=400),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 400}),
]
Month = Annotated[
    _dt.date,
    BeforeValidator(_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_usable_decimal),
    Field(ge=0, le=MONEY_CEILING, allow_inf_nan=False),
    _number_schema(0, 1e12),
    AMOUNT,
]
Number = Annotated[
    Decimal,
    BeforeValidator(_usable_decimal),
    Field(ge=-MONEY_CEILING, le=MONEY_CEILING, allow_inf_nan=False),
    _number_schema(-1e12, 1e12),
    FIGURE,
]
Count = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=10**15), WHOLE]
Share = Annotated[
    Decimal,
    BeforeValidator(_usable_decimal),
    Field(ge=-1, le=100, allow_inf_nan=False),
    _number_schema(-1, 100),
    FIGURE,
]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# A forecast's rate or cost per result: never negative; whether a rate stays within 0-1 is a rule's business.
FunnelValue = Annotated[
    Decimal,
    BeforeValidator(_usable_decimal),
    Field(ge=0, le=MONEY_CEILING, allow_inf_nan=False),
    _number_schema(0, 1e12),
    FIGURE,
]


_PHASING_EXAMPLE = "{2027-02: 1200, 2027-03: 800}"


def _phasing(value: Any) -> str | dict[_dt.date, Decimal]:
    # Validated by hand rather than as a union: pydantic would report a wrong month twice, under
    # both members of the union, with its own names for them.
    if isinstance(value, str) and value.strip() in vocab.PHASINGS:
        return value.strip()
    if not isinstance(value, dict):
        if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool):
            raise PydanticCustomError(
                "phasing", say(f"{INVALID_VALUE}.phasing_got", example=_PHASING_EXAMPLE, value=value)
            )
        raise PydanticCustomError("phasing", say(f"{INVALID_VALUE}.phasing", example=_PHASING_EXAMPLE))
    months: dict[_dt.date, Decimal] = {}
    for written, amount in value.items():
        month = _month(written)
        if isinstance(amount, bool) or not isinstance(amount, (int, Decimal, str)):
            raise PydanticCustomError(
                "phasing_amount", say(f"{INVALID_VALUE}.phasing_amount", month=f"{month:%Y-%m}", amount=str(amount))
            )
        try:
            number = Decimal(str(_usable_decimal(amount)).strip())
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or not 0 <= number <= MONEY_CEILING:
            raise PydanticCustomError(
                "phasing_amount",
                say(f"{INVALID_VALUE}.phasing_amount_range", month=f"{month:%Y-%m}", amount=str(amount)),
            )
        months[month] = number
    return months


P = Literal[vocab.PS]  # type: ignore[valid-type]
Channel = Literal[vocab.CHANNELS]  # type: ignore[valid-type]
Metric = Literal[vocab.METRICS]  # type: ignore[valid-type]
Approach = Literal[vocab.APPROACHES]  # type: ignore[valid-type]
Priority = Literal[vocab.PRIORITIES]  # type: ignore[valid-type]
PriceTier = Literal[vocab.PRICE_TIERS]  # type: ignore[valid-type]
LifecycleStage = Literal[vocab.LIFECYCLE_STAGES]  # type: ignore[valid-type]
RiskLevel = Literal[vocab.RISK_LEVELS]  # type: ignore[valid-type]
Cadence = Literal[vocab.CADENCES]  # type: ignore[valid-type]
Language = Literal[vocab.LANGUAGES]  # type: ignore[valid-type]
ObjectiveMeasure = Literal[vocab.MEASURES]  # type: ignore[valid-type]
ObjectiveScope = Literal[vocab.SCOPES]  # type: ignore[valid-type]
FunnelRate = Literal[vocab.FUNNEL_RATES]  # type: ignore[valid-type]
Phasing = Annotated[
    str | dict[_dt.date, Decimal],
    PlainValidator(_phasing),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(vocab.PHASINGS)},
                {
                    "type": "object",
                    "propertyNames": {"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
                    "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1e12},
                },
            ]
        }
    ),
]
JourneyStage = Literal[vocab.JOURNEY_STAGES]  # type: ignore[valid-type]


def _format_one(value: int) -> int:
    if value != vocab.FORMAT_VERSION:
        raise PydanticCustomError(
            "format_version", say(f"{INVALID_VALUE}.format_version", value=value, supported=vocab.FORMAT_VERSION)
        )
    return value


FormatVersion = Annotated[int, AfterValidator(_format_one), WithJsonSchema({"const": vocab.FORMAT_VERSION})]
