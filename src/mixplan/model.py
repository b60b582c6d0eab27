"""Stage 2, model: the pydantic models of plan format 1.

Every mapping forbids unknown keys. Cross-references between sections
(ids used by means, schedule, results...) are checked in `check`, which can
point at each offending id; the models check only what one value can tell.

Start-up: annotations are evaluated as written (no postponed annotations to
resolve) and validators are built on first use (`defer_build`), so pydantic
builds one schema for `Plan` rather than one per model and then Plan's again.
"""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from . import vocab
from .fields import (
    Approach,
    Channel,
    Count,
    CurrencyCode,
    FormatVersion,
    Language,
    LifecycleStage,
    Metric,
    Money,
    Month,
    Number,
    P,
    PlanDate,
    PriceTier,
    Priority,
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


class Period(Strict):
    start: PlanDate = Field(description="First day of the plan (YYYY-MM-DD).")
    end: PlanDate = Field(description="Last day of the plan (YYYY-MM-DD); not before start.")


class PlanInfo(Strict):
    title: Text = Field(description="Title of the deliverable.")
    client: Text = Field(description="Who the plan is for: the company or brand.")
    author: Text | None = Field(None, description="Who wrote the plan: consultant, agency or team. Optional.")
    language: Language = Field(description="Language of the deliverable's labels: fr or en.")
    currency: CurrencyCode = Field(description="ISO 4217 code of every amount in the plan, such as EUR or USD.")
    period: Period = Field(description="The dates the plan covers; every date of the plan falls inside.")


# --- context (strategic diagnosis) -------------------------------------------


class Swot(Strict):
    strengths: list[Text] = Field(default_factory=list, description="Internal strengths.")
    weaknesses: list[Text] = Field(default_factory=list, description="Internal weaknesses.")
    opportunities: list[Text] = Field(default_factory=list, description="External opportunities.")
    threats: list[Text] = Field(default_factory=list, description="External threats.")


class Competitor(Strict):
    name: Text = Field(description="The competitor's name.")
    positioning: Text | None = Field(None, description="How it stands in the market, in a few words.")
    price_level: PriceTier | None = Field(None, description="Its price tier: low, mid or premium.")


class Segment(Strict):
    id: Slug = Field(description="Short id of the segment, used by targets.segment.")
    name: Text = Field(description="Name of the market segment.")
    size: Count | None = Field(None, description="How many people or companies are in it.")
    growth: Share | None = Field(None, description="Yearly growth as a fraction: 0.03 for 3 %.")


class Context(Strict):
    market: Text | None = Field(None, description="The market, its size and trends, in free text.")
    swot: Swot | None = Field(None, description="Strengths, weaknesses, opportunities and threats.")
    competitors: list[Competitor] = Field(default_factory=list, description="Main competitors.")
    segments: list[Segment] = Field(default_factory=list, description="Market segments, evaluated.")


# --- the seven steps ----------------------------------------------------------


class Positioning(Strict):
    statement: Text = Field(description="Where the offer stands, for whom, against whom.")
    category: Text | None = Field(None, description="The market category the offer competes in.")
    price_tier: PriceTier | None = Field(None, description="Price tier of the offer: low, mid or premium.")
    differentiators: list[Text] = Field(default_factory=list, description="What sets the offer apart.")


class Objective(Strict):
    id: Slug = Field(description="Short id of the objective, used by means.objectives.")
    statement: Text = Field(description="The objective in one sentence.")
    metric: Metric = Field(description="What is measured: a raw count or a computed metric.")
    target: Number = Field(description="The number to reach; rates as fractions (0.02 for 2 %).")
    baseline: Number | None = Field(None, description="Today's value of the metric, to show the progress asked.")
    deadline: PlanDate = Field(description="When the target must be reached; inside the plan's period.")


class Target(Strict):
    id: Slug = Field(description="Short id of the target, used by means.targets and message.by_target.")
    name: Text = Field(description="Name of the target audience.")
    description: Text | None = Field(None, description="Who they are, in a sentence.")
    segment: Slug | None = Field(None, description="The context.segments id this target is drawn from. Optional.")
    priority: Priority = Field("primary", description="primary or secondary.")


class Message(Strict):
    promise: Text = Field(description="The one promise the plan makes to its targets.")
    tagline: Text | None = Field(None, description="A short slogan. Optional.")
    proof_points: list[Text] = Field(default_factory=list, description="Facts that make the promise credible.")
    tone: Text | None = Field(None, description="How the message sounds. Optional.")
    by_target: dict[str, Text] = Field(default_factory=dict, description="A variant of the message per target id.")


class BudgetLine(Strict):
    name: Text = Field(description="What the cost is for.")
    cost: Money = Field(description="Its amount, in plan.currency.")


class Budget(Strict):
    total: Money = Field(description="The whole budget, in plan.currency.")
    reserve: Money = Field(Decimal(0), description="A contingency set aside. Optional.")
    lines: list[BudgetLine] = Field(default_factory=list, description="Costs not tied to one means (fees, studies).")


class ProductPolicy(Strict):
    summary: Text | None = Field(None, description="The product policy in a few sentences.")
    lifecycle_stage: LifecycleStage | None = Field(None, description="launch, growth, maturity or decline.")


class PricePolicy(Strict):
    summary: Text | None = Field(None, description="The price policy in a few sentences.")
    list_price: Money | None = Field(None, description="The reference selling price, in plan.currency.")


class PlacePolicy(Strict):
    summary: Text | None = Field(None, description="The distribution policy in a few sentences.")


class PromotionPolicy(Strict):
    summary: Text | None = Field(None, description="The communication policy in a few sentences.")


class Mix(Strict):
    product: ProductPolicy | None = Field(None, description="Product policy.")
    price: PricePolicy | None = Field(None, description="Price policy.")
    place: PlacePolicy | None = Field(None, description="Place (distribution) policy.")
    promotion: PromotionPolicy | None = Field(None, description="Promotion (communication) policy.")

    def policy(self, p: str) -> Any:
        return getattr(self, p)


class Kpi(Strict):
    metric: Metric = Field(description="The indicator: a raw count or a computed metric.")
    target: Number = Field(description="The value this means must reach; rates as fractions.")


class Means(Strict):
    id: Slug = Field(description="Short id of the action, used by schedule and results.")
    name: Text = Field(description="The action, as the client will read it.")
    channel: Channel = Field(description="The channel, from the channel vocabulary; it gives the default P.")
    p: P | None = Field(None, description="The P this action belongs to, when not its channel's default.")
    approach: Approach = Field(description="operational, direct or relational marketing.")
    objectives: list[Slug] = Field(min_length=1, description="Ids of the objectives this action serves (one or more).")
    targets: list[Slug] = Field(min_length=1, description="Ids of the targets this action reaches (one or more).")
    cost: Money = Field(description="What the action costs, in plan.currency.")
    owner: Text | None = Field(None, description="Who is responsible for it. Optional.")
    kpis: list[Kpi] = Field(default_factory=list, description="Indicators and the values this action must reach.")

    @property
    def mix_p(self) -> str | None:
        """The P this means belongs to: its own `p`, else its channel's default."""
        return self.p or vocab.default_p(self.channel)


class ScheduledMeans(Strict):
    means: Slug = Field(description="Id of the means that runs.")
    start: PlanDate = Field(description="First day it runs.")
    end: PlanDate = Field(description="Last day it runs (inclusive).")


class Milestone(Strict):
    milestone: Text = Field(description="What happens on that day.")
    date: PlanDate = Field(description="The day of the milestone.")


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


class ResultRow(Strict):
    means: Slug = Field(description="Id of the means measured.")
    month: Month = Field(description="The month measured, YYYY-MM.")
    spend: Money | None = Field(None, description="What was spent that month.")
    revenue: Money | None = Field(None, description="Revenue attributed to the means that month.")
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


class Plan(Strict):
    """A whole marketing plan, as written in a format-1 plan file."""

    mixplan: FormatVersion = Field(description="Version of the file format; 1.")
    plan: PlanInfo = Field(description="Title page facts: title, client, language, currency, period.")
    context: Context | None = Field(None, description="The diagnosis: market, SWOT, competitors, segments. Optional.")
    positioning: Positioning = Field(description="Step 1: where the offer stands.")
    objectives: list[Objective] = Field(min_length=1, description="Step 2: SMART objectives.")
    targets: list[Target] = Field(min_length=1, description="Step 3: who the plan speaks to.")
    message: Message = Field(description="Step 4: the promise and its proof.")
    budget: Budget = Field(description="Step 5: what can be spent.")
    mix: Mix | None = Field(None, description="The 4P policies. Optional.")
    means: list[Means] = Field(min_length=1, description="Step 6: the operational actions.")
    schedule: list[ScheduleEntry] = Field(default_factory=list, description="Step 7: when each means runs, and milestones.")
    results: list[ResultRow] = Field(default_factory=list, description="What was measured, per means and month. Optional.")

    @property
    def scheduled(self) -> list[ScheduledMeans]:
        return [entry for entry in self.schedule if isinstance(entry, ScheduledMeans)]

    @property
    def milestones(self) -> list[Milestone]:
        return [entry for entry in self.schedule if isinstance(entry, Milestone)]


def build_plan(data: Any) -> Plan:
    """Validate loaded data into a `Plan`; raises pydantic's `ValidationError`.

    Callers that have a `Document` should use `mixplan.api.build` instead, which
    turns that error into located findings.
    """
    return Plan.model_validate(data)
