"""Stage 2, model: the pydantic models of plan format 1.

Every mapping forbids unknown keys. Cross-references between sections
(ids used by means, schedule, results...) are checked in `check`, which can
point at each offending id; the models check only what one value can tell.

Start-up: annotations are evaluated as written (no postponed annotations to
resolve) and validators are built on first use (`defer_build`), so pydantic
builds one schema for `Plan` rather than one per model and then Plan's again.
"""

import datetime as _dt
from decimal import Decimal
from pathlib import Path as _Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, StringConstraints, Tag, model_validator
from pydantic_core import PydanticCustomError

from ..language import say
from ..rule_ids import INVALID_VALUE, MEANS_UNSCHEDULED
from . import vocab
from .fields import (
    Approach,
    Cadence,
    Channel,
    Count,
    CurrencyCode,
    FormatVersion,
    FunnelRate,
    FunnelValue,
    JourneyStage,
    Language,
    LifecycleStage,
    LogoPath,
    Metric,
    Money,
    Month,
    Number,
    ObjectiveMeasure,
    ObjectiveScope,
    P,
    Phasing,
    PlanDate,
    PriceTier,
    Priority,
    RiskLevel,
    Share,
    Slug,
    Text,
)

# One set of given field names for every model instance that gives the same fields.
_SHARED_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class Strict(BaseModel):
    """Base of every model: unknown keys are errors; numbers are accepted as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True, defer_build=True)

    @model_validator(mode="after")
    def _share_fields_set(self) -> "Strict":
        # pydantic keeps, per instance, the set of fields the file gave (728 bytes
        # for ten names): 200 MB, a fifth of the peak, at 100,000 means. The
        # models are frozen, so no set is changed in place (model_copy copies it).
        given = self.__pydantic_fields_set__
        shared = _SHARED_FIELDS_SETS.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self


# --- plan header -------------------------------------------------------------


# A plan is an operational plan: past a few years it is a strategy, and a
# period of centuries would make every month-by-month view endless.
MAX_PERIOD_YEARS = 5


def _years_after(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return _dt.date(day.year + years, 3, 1)


class Period(Strict):
    start: PlanDate = Field(description="First day, YYYY-MM-DD.")
    end: PlanDate = Field(description="Last day, YYYY-MM-DD, after the start.")

    @model_validator(mode="after")
    def _at_most_a_few_years(self) -> "Period":
        if self.end >= _years_after(self.start, MAX_PERIOD_YEARS):
            raise PydanticCustomError(
                "period_too_long",
                say(
                    f"{INVALID_VALUE}.period_too_long",
                    start=self.start.isoformat(),
                    end=self.end.isoformat(),
                    years=MAX_PERIOD_YEARS,
                ),
            )
        return self


class PlanInfo(Strict):
    title: Text = Field(description="The title printed on the cover of the deliverable.")
    client: Text = Field(description="Who the plan is for: the client or business name.")
    author: Text | None = Field(None, description="Optional: who wrote the plan (you or your agency).")
    language: Language = Field(description="Language of the deliverable's headings and labels: en | fr.")
    currency: CurrencyCode = Field(
        description="Currency of every amount in this file, as a 3-letter code: EUR, USD, GBP..."
    )
    period: Period = Field(
        description="First and last day covered by the plan. Every other date in the file must fall between these two."
    )
    version: Text | None = Field(
        None,
        description="Optional: the plan's version, short text printed on the cover and in the PDF's page footers.",
    )
    date: PlanDate | None = Field(
        None,
        description="Optional: the plan's date, YYYY-MM-DD, printed on the cover. Without it the cover shows the day "
        "the deliverable is rendered.",
    )
    logo: LogoPath | None = Field(
        None,
        description="Optional: your logo for the cover, a PNG, JPEG or SVG file (at most 512 KB) in this plan's "
        "folder or a folder below it.",
    )


# --- context (strategic diagnosis) -------------------------------------------


class Swot(Strict):
    strengths: list[Text] = Field(default_factory=list, description="What your business does well.")
    weaknesses: list[Text] = Field(default_factory=list, description="What holds your business back.")
    opportunities: list[Text] = Field(default_factory=list, description="Outside trends you can take advantage of.")
    threats: list[Text] = Field(default_factory=list, description="Outside risks that could hurt you.")


class Competitor(Strict):
    name: Text = Field(description="The competitor's name.")
    positioning: Text | None = Field(None, description="How it presents itself to customers, in a few words.")
    price_level: PriceTier | None = Field(None, description="Its prices: low | mid | premium.")


class Segment(Strict):
    id: Slug = Field(description="Id (lowercase, digits, hyphens); targets point at it.")
    name: Text = Field(description="A name a client understands.")
    size: Count | None = Field(None, description="How many people or businesses are in the group.")
    growth: Share | None = Field(None, description="Yearly growth, as a decimal: 0.04 = +4% a year.")


class Context(Strict):
    market: Text | None = Field(
        None, description="A few sentences on your market: its size, who buys, what is changing."
    )
    swot: Swot | None = Field(None, description="SWOT: short items, one per line, as many as you need in each list.")
    competitors: list[Competitor] = Field(default_factory=list, description="Your main competitors, one entry each.")
    segments: list[Segment] = Field(
        default_factory=list, description="The groups of customers your market splits into, and how much each weighs."
    )


# --- the seven steps ----------------------------------------------------------


class Positioning(Strict):
    statement: Text = Field(description="One sentence: for whom, what you offer, and why you rather than another.")
    category: Text | None = Field(None, description="The kind of business or product you compete as.")
    price_tier: PriceTier | None = Field(
        None, description="Your price level compared with competitors: low | mid | premium."
    )
    differentiators: list[Text] = Field(default_factory=list, description="What sets you apart, one point per line.")


class MeasuredFigure(Strict):
    month: Month = Field(description="The month measured, YYYY-MM, inside the objective's window.")
    value: Number = Field(
        description="The figure for the whole business: for a total, that month's count; for a level, the count at "
        "the month's end; for a rate, the rate from the window's start to the month's end."
    )


class Objective(Strict):
    id: Slug = Field(description="Id (lowercase, digits, hyphens); actions point at it.")
    statement: Text = Field(description="The objective in plain words.")
    metric: Metric = Field(description="What you count: a metric name from the list further down.")
    target: Number = Field(description="The number to reach (a rate goes between 0 and 1).")
    baseline: Number | None = Field(
        None, description="Optional but recommended: where you stand today (for a total, the same window last time)."
    )
    measure: ObjectiveMeasure | None = Field(
        None,
        description="Optional: total (summed over the window), level (a count reached by the deadline) or rate "
        "(a computed metric). Default: rate for computed metrics, total otherwise.",
    )
    # `from` is a Python keyword: the attribute is window_start, the key in the file is `from`.
    window_start: PlanDate | None = Field(
        None,
        alias="from",
        description="Optional: first day of the window the objective counts, inside plan.period and before the "
        "deadline. Default: plan.period.start.",
    )
    deadline: PlanDate = Field(description="Date to reach it by, inside plan.period.")
    measured: list[MeasuredFigure] = Field(
        default_factory=list,
        description="Optional: the metric as the business measured it (till, newsletter tool, analytics), one "
        "figure per month of the window. When given, it is the objective's actual.",
    )
    scope: ObjectiveScope = Field(
        "attributed",
        description="Whose results count when nothing is measured: attributed (the actions serving this objective) "
        "or all (every action).",
    )

    @property
    def measure_kind(self) -> str:
        """The way the objective is measured, its default filled in."""
        if self.measure is not None:
            return self.measure
        return "rate" if self.metric in vocab.COMPUTED_METRICS else "total"


class Target(Strict):
    id: Slug = Field(description="Id (lowercase, digits, hyphens); actions point at it.")
    name: Text = Field(description="Short name of the target.")
    description: Text | None = Field(None, description="Who they are, in one line: age, place, habits...")
    segment: Slug | None = Field(None, description="Optional: the id of a segment in context.segments.")
    priority: Priority = Field("primary", description="How much it matters: primary | secondary.")
    # The persona: what the deliverable's card says about these people. All optional.
    needs: list[Text] = Field(default_factory=list, description="What they want to get done, one point per line.")
    pains: list[Text] = Field(default_factory=list, description="What annoys or blocks them today, one point per line.")
    channels: list[Channel] = Field(
        default_factory=list,
        description="The channels where you can reach them, names from the channel list.",
    )
    objections: list[Text] = Field(
        default_factory=list,
        description="What they say to turn the offer down, so the message can answer it.",
    )


class Message(Strict):
    promise: Text = Field(description="The main promise, in one sentence.")
    tagline: Text | None = Field(None, description="Optional: a short slogan.")
    proof_points: list[Text] = Field(
        default_factory=list, description="Facts that make the promise believable, one per line."
    )
    tone: Text | None = Field(None, description="Optional: how the copy should sound.")
    by_target: dict[str, Text] = Field(
        default_factory=dict, description="Optional: the message adapted to each target. Each key is a target id."
    )


class BudgetLine(Strict):
    name: Text = Field(description="What the money pays for.")
    cost: Money = Field(description="Amount, plain number in plan.currency.")


class Budget(Strict):
    total: Money = Field(description="Everything you can spend over the period, plain number.")
    reserve: Money = Field(
        Decimal(0), description="Optional: money kept aside for the unexpected.", json_schema_extra={"default": 0}
    )
    lines: list[BudgetLine] = Field(
        default_factory=list, description="Optional: costs that belong to no single action (fees, design, photos...)."
    )


class ProductPolicy(Strict):
    summary: Text | None = Field(None, description="What you sell and what is new about it.")
    lifecycle_stage: LifecycleStage | None = Field(
        None, description="Where the product is in its life: launch | growth | maturity | decline."
    )


class PricePolicy(Strict):
    summary: Text | None = Field(None, description="How you set prices and when you lower them.")
    list_price: Money | None = Field(None, description="The usual selling price, plain number in plan.currency.")


class PlacePolicy(Strict):
    summary: Text | None = Field(None, description="Where and how customers can buy.")


class PromotionPolicy(Strict):
    summary: Text | None = Field(None, description="How you make the offer known.")


class Mix(Strict):
    product: ProductPolicy | None = Field(None, description="The product itself: features, range, packaging.")
    price: PricePolicy | None = Field(None, description="How much it costs.")
    place: PlacePolicy | None = Field(None, description="Where it is sold.")
    promotion: PromotionPolicy | None = Field(None, description="How you communicate.")

    def policy(self, p: str) -> Any:
        return getattr(self, p)


class Kpi(Strict):
    metric: Metric = Field(description="A metric name from the list above.")
    target: Number = Field(description="The number to reach; rates between 0 and 1 (0.012 = 1.2%).")


class Counts(Strict):
    """The raw counts a results row or a forecast may hold, each optional."""

    spend: Money | None = Field(None, description="Amount spent.")
    revenue: Money | None = Field(None, description="Revenue attributed to the means.")
    impressions: Count | None = Field(None, description="Times the ad or content was shown.")
    reach: Count | None = Field(None, description="Distinct people reached.")
    clicks: Count | None = Field(None, description="Clicks.")
    sessions: Count | None = Field(None, description="Website or app visits.")
    bounces: Count | None = Field(None, description="Visits that left after one page.")
    engagements: Count | None = Field(None, description="Likes, shares, comments and replies.")
    leads: Count | None = Field(None, description="Contacts collected.")
    conversions: Count | None = Field(None, description="Desired actions completed.")
    new_customers: Count | None = Field(None, description="Customers won.")
    sales: Count | None = Field(None, description="Sales made.")
    signups: Count | None = Field(None, description="Sign-ups (newsletter, trial, account).")


# --- forecast before launch (docs/format.md, "Forecast before launch") --------


class Assumption(Strict):
    id: Slug = Field(description="Id (lowercase, digits, hyphens), so the deliverable and the checks can name it.")
    metric: FunnelRate = Field(
        description="The rate it sets: cpm, cpc, ctr, conversion_rate, cpl, new_customer_share or average_order_value."
    )
    value: FunnelValue = Field(
        description="Its expected value; rates as fractions (0.025 = 2.5 %), costs in plan.currency."
    )
    low: FunnelValue | None = Field(None, description="Optional: the cautious end of the range, at most `value`.")
    high: FunnelValue | None = Field(None, description="Optional: the hopeful end of the range, at least `value`.")
    channel: Channel | None = Field(
        None, description="Optional: the channel it holds for. Without it, it holds for every means."
    )
    source: Text | None = Field(
        None, description="Where the figure comes from: a tool, a study, last year's results. Printed beside it."
    )

    @model_validator(mode="after")
    def _value_inside_its_range(self) -> "Assumption":
        low = self.low if self.low is not None else self.value
        high = self.high if self.high is not None else self.value
        if not low <= self.value <= high:
            raise PydanticCustomError(
                "assumption_range",
                say(
                    f"{INVALID_VALUE}.assumption_range", id=self.id, low=str(low), value=str(self.value), high=str(high)
                ),
            )
        return self


class Means(Strict):
    id: Slug = Field(description="Id (lowercase, digits, hyphens); schedule and results point at it.")
    name: Text = Field(description="The action in plain words.")
    channel: Channel = Field(description="One channel from the list above.")
    p: P | None = Field(
        None,
        description='Optional: only to change the channel\'s default P (product | price | place | promotion). Needed with channel "other".',
    )
    approach: Approach = Field(description="Operational | direct | relational.")
    objectives: list[Slug] = Field(min_length=1, description="Ids of the objectives it serves, at least one.")
    targets: list[Slug] = Field(min_length=1, description="Ids of the targets it reaches, at least one.")
    cost: Money = Field(description="What it costs, plain number in plan.currency.")
    owner: Text | None = Field(None, description="Optional: who is in charge.")
    stage: JourneyStage | None = Field(
        None,
        description="Optional: the step of the customer journey it works on: awareness | consideration | "
        "conversion | loyalty.",
    )
    # Who does what, as a RACI: responsible, accountable, consulted, informed.
    responsible: Text | None = Field(None, description="Optional: who does the work.")
    accountable: Text | None = Field(None, description="Optional: who signs it off.")
    consulted: list[Text] = Field(default_factory=list, description="Optional: who is asked before it is done.")
    informed: list[Text] = Field(default_factory=list, description="Optional: who is told once it is done.")
    kpis: list[Kpi] = Field(
        default_factory=list, description="Optional: what this action must achieve, one metric and number each."
    )
    forecast: Counts | None = Field(
        None,
        description="Optional: counts expected over the whole run, same keys as a results row without means and month.",
    )
    funnel: dict[FunnelRate, FunnelValue] = Field(
        default_factory=dict,
        description="Optional: this action's own rates (cpc, ctr, conversion_rate...), used before the assumptions.",
    )
    phasing: Phasing = Field(
        "even",
        description="How its cost falls over the months it runs: even (by days), front (more at first), back (more "
        "at the end), or the amount of each month, {2027-02: 1200, 2027-03: 800}, adding up to the cost.",
    )

    @property
    def mix_p(self) -> str | None:
        """The P this means belongs to: its own `p`, else its channel's default."""
        return self.p or vocab.default_p(self.channel)


class ScheduledMeans(Strict):
    means: Slug = Field(description="Id of the means that runs.")
    start: PlanDate = Field(description="First day it runs.")
    end: PlanDate = Field(description="Last day it runs (inclusive).")


class Milestone(Strict):
    milestone: Text = Field(description="A key date to show on the timeline.")
    date: PlanDate = Field(description="The day it happens.")


# Tags name the two kinds of schedule entry in error locations; they are not keys.
SCHEDULE_TAGS = ("scheduled-means", "milestone-entry")


def _schedule_kind(value: Any) -> str:
    if isinstance(value, dict):
        return SCHEDULE_TAGS[1] if "milestone" in value else SCHEDULE_TAGS[0]
    return SCHEDULE_TAGS[1] if isinstance(value, Milestone) else SCHEDULE_TAGS[0]


ScheduleEntry = Annotated[
    Annotated[ScheduledMeans, Tag(SCHEDULE_TAGS[0])] | Annotated[Milestone, Tag(SCHEDULE_TAGS[1])],
    Discriminator(_schedule_kind),
]


class ResultRow(Counts):
    """What one means achieved in one month."""

    means: Slug = Field(description="Id of the means measured.")
    month: Month = Field(description="The month measured, YYYY-MM.")


# --- the plan's other chapters: risks, measurement, next steps ----------------


class Risk(Strict):
    risk: Text = Field(description="What could go wrong, in a few words.")
    likelihood: RiskLevel = Field(description="How likely it is: low | medium | high.")
    impact: RiskLevel = Field(description="How much it would hurt the plan: low | medium | high.")
    mitigation: Text | None = Field(
        None, description="Optional: what you will do to prevent it or soften the blow (expected for a high impact)."
    )
    owner: Text | None = Field(None, description="Optional: who watches this risk.")


class Measurement(Strict):
    tools: list[Text] = Field(
        default_factory=list, description="The tools the results come from (analytics, e-mailing, till...)."
    )
    cadence: Cadence | None = Field(None, description="How often results are reviewed: weekly | monthly | quarterly.")
    owner: Text | None = Field(None, description="Optional: who gathers the figures and reports them.")


class NextStep(Strict):
    step: Text = Field(description="What must happen next, in a few words.")
    owner: Text | None = Field(None, description="Optional: who does it.")
    date: PlanDate = Field(description="The day it is due, YYYY-MM-DD, normally inside plan.period.")


RuleId = Annotated[str, StringConstraints(pattern=r"^MP\d{3}$")]


class Lint(Strict):
    ignore: list[RuleId] = Field(
        default_factory=list,
        description=f"Rule ids that validate must not report for this file, such as {MEANS_UNSCHEDULED}. Optional.",
    )


class Plan(Strict):
    """A whole marketing plan, as written in a format-1 plan file."""

    mixplan: FormatVersion = Field(description="Version of this file's format. Leave it at 1.")
    plan: PlanInfo = Field(description="The plan.")
    summary: Text | None = Field(
        None,
        description="Optional: the executive summary, a few sentences in the plan's language, shown at the top of "
        "the plan at a glance. Separate paragraphs with an empty line.",
    )
    context: Context | None = Field(None, description="Context: where the business stands today (optional section).")
    positioning: Positioning = Field(description="1. Positioning: where your offer stands against competitors.")
    objectives: list[Objective] = Field(min_length=1, description="2. Objectives: what the plan must achieve.")
    targets: list[Target] = Field(min_length=1, description="3. Targets: who the plan speaks to.")
    message: Message = Field(description="4. Message: what you want the targets to hear.")
    budget: Budget = Field(description="5. Budget: what you can spend.")
    mix: Mix | None = Field(None, description="Mix: your policy on each of the 4 Ps (optional section).")
    assumptions: list[Assumption] = Field(
        default_factory=list,
        description="Forecast: the rates the forecast rests on (CPC, conversion rate...), each with its source.",
    )
    means: list[Means] = Field(min_length=1, description="6. Means: the actions you will run.")
    schedule: list[ScheduleEntry] = Field(
        default_factory=list, description="7. Schedule: when each action runs, plus key dates."
    )
    risks: list[Risk] = Field(
        default_factory=list, description="Risks: what could go wrong, and what you will do about it (optional)."
    )
    measurement: Measurement | None = Field(
        None, description="Measurement: where the figures come from, how often and who reports them (optional)."
    )
    next_steps: list[NextStep] = Field(
        default_factory=list, description="Next steps: what must happen next, by whom and when (optional)."
    )
    results: list[ResultRow] = Field(
        default_factory=list, description="Results: what was actually measured (optional section)."
    )
    lint: Lint | None = Field(
        None, description="Settings for mixplan validate, such as rules to ignore in this file. Optional."
    )
    # The folder of the file the plan was read from: what plan.logo is relative to.
    # None for a plan built from text or data, which has no folder.
    _source_folder: _Path | None = PrivateAttr(None)

    @property
    def source_folder(self) -> _Path | None:
        return self._source_folder

    def from_folder(self, folder: _Path | None) -> "Plan":
        """This plan, remembering the folder it was read from."""
        self._source_folder = folder
        return self

    @property
    def scheduled(self) -> list[ScheduledMeans]:
        return [entry for entry in self.schedule if isinstance(entry, ScheduledMeans)]

    @property
    def milestones(self) -> list[Milestone]:
        return [entry for entry in self.schedule if isinstance(entry, Milestone)]

    @property
    def has_forecast_input(self) -> bool:
        """Whether the plan gives anything to forecast from: assumptions, a means' funnel or a hand-typed forecast."""
        return bool(self.assumptions) or any(item.funnel or item.forecast is not None for item in self.means)


def build_plan(data: Any) -> Plan:
    """Validate loaded data into a `Plan`; raises pydantic's `ValidationError`.

    Callers that have a `Document` should use `mixplan.api.build` instead, which
    turns that error into located findings.
    """
    return Plan.model_validate(data)
