"""Exports: the plan as a calendar (ICS), a table (CSV) and a workbook (XLSX).

Each exporter is a pure function from a valid `Plan` to bytes or text; the
caller writes them with `write`. The libraries behind ICS and XLSX
(icalendar, XlsxWriter) and the label catalogue (which lives with the
renderer) are imported inside the functions that use them, so `validate`
never pays for them.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..controls import visible
from ..errors import MixplanError
from ..language import say
from ..plan.model import Means, Plan
from ..present.amounts import plain_decimal, writes_cents
from ..views.calendar import Span, flights, whole_span

EXPORT_FORMATS = ("ics", "csv", "xlsx")
_SUFFIX_FORMATS = {".ics": "ics", ".ical": "ics", ".csv": "csv", ".xlsx": "xlsx"}

# Fixed namespace for event UIDs: the same plan and id always give the same UID,
# so a calendar re-importing an updated plan updates its events in place.
_UID_NAMESPACE = uuid.UUID("6f1c2f4e-51d5-4bde-9a0f-4c1b8e6f7a10")


def format_for(output: Path | None, requested: str | None) -> str:
    """The export format: the one asked for, else the output's suffix."""
    if requested is not None:
        fmt = requested.lower()
        if fmt not in EXPORT_FORMATS:
            raise MixplanError(say("export.unknown_format", format=requested))
        return fmt
    if output is None:
        raise MixplanError(say("export.which_format"))
    suffix_format = _SUFFIX_FORMATS.get(output.suffix.lower())
    if suffix_format is None:
        raise MixplanError(say("export.format_from_name", output=output))
    return suffix_format


def export(plan: Plan, fmt: str, *, language: str | None = None) -> bytes:
    """The plan exported as `ics`, `csv` or `xlsx`, as the bytes of the file."""
    if fmt == "ics":
        return to_ics(plan, language=language)
    if fmt == "csv":
        return to_csv(plan, language=language).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(plan, language=language)
    raise MixplanError(say("export.unknown_format", format=fmt))


# --- what every export shows ------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One means as the action plan shows it: labels resolved, first and last day, and each flight."""

    means: Means
    channel: str
    p: str
    approach: str
    targets: list[str]
    objectives: list[str]
    start: _dt.date | None
    end: _dt.date | None
    flights: tuple[Span, ...] = ()

    @property
    def flight_intervals(self) -> str:
        """Each flight as an ISO 8601 interval (2027-01-04/2027-03-31), separated by "; "."""
        return "; ".join(f"{run.start.isoformat()}/{run.end.isoformat()}" for run in self.flights)


def _labels(plan: Plan, language: str | None) -> dict[str, Any]:
    from ..present.labels import labels

    return labels(language or plan.plan.language)


def action_rows(plan: Plan, lab: dict[str, Any]) -> list[ActionRow]:
    """The means in plan order, each with its labels, its whole span (first to last day) and its flights."""
    targets = {t.id: t.name for t in plan.targets}
    objectives = {o.id: o.statement for o in plan.objectives}
    flights_of = flights(plan)
    rows = []
    for item in plan.means:
        runs = flights_of.get(item.id, ())
        span = whole_span(runs) if runs else None
        rows.append(
            ActionRow(
                means=item,
                channel=lab["channels"].get(item.channel, item.channel),
                p=lab["ps"].get(item.mix_p or "other"),
                approach=lab["approaches"].get(item.approach, item.approach),
                targets=[targets.get(t, t) for t in item.targets],
                objectives=[objectives.get(o, o) for o in item.objectives],
                start=span.start if span else None,
                end=span.end if span else None,
                flights=runs,
            )
        )
    return rows


def _action_headers(lab: dict[str, Any]) -> list[str]:
    c = lab["columns"]
    return [
        lab["export"]["id"], c["action"], c["channel"], c["p"], c["approach"], c["targets"],
        c["objectives"], c["owner"], c["cost"], c["start"], c["end"], lab["export"]["flights"],
    ]  # fmt: skip


# --- CSV ---------------------------------------------------------------------------------

# A spreadsheet opening the CSV runs a cell starting with one of these as a
# formula (full-width forms included: some spreadsheets fold them); OWASP's
# advice is a leading single quote, which shows the text and runs nothing.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: controls written out, a formula-like start quoted."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(plan: Plan, *, language: str | None = None) -> str:
    """The action plan, one row per means; headers in the plan's language, ISO dates, plain amounts.

    Start and end are the means' first and last day; its flights follow as ISO
    8601 intervals, so a means that runs twice is still one row and the costs
    still add up to the budget's. Lists (targets, objectives, flights) are
    joined with "; " so that a comma in a name never looks like a second item. Text cells go through `csv_text`; amounts
    and dates are written as they are, so they stay numbers and dates.
    """
    lab = _labels(plan, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_action_headers(lab))
    for row in action_rows(plan, lab):
        writer.writerow(
            [
                row.means.id,
                csv_text(row.means.name),
                csv_text(row.channel),
                csv_text(row.p),
                csv_text(row.approach),
                csv_text("; ".join(row.targets)),
                csv_text("; ".join(row.objectives)),
                csv_text(row.means.owner or ""),
                plain_decimal(row.means.cost),
                row.start.isoformat() if row.start else "",
                row.end.isoformat() if row.end else "",
                row.flight_intervals,
            ]
        )
    return buffer.getvalue()


# --- ICS ---------------------------------------------------------------------------------


def event_uid(plan: Plan, key: str) -> str:
    """A UID stable across exports of the same plan (its client and title) for the same item key."""
    name = f"{plan.plan.client}\x1f{plan.plan.title}\x1f{key}"
    return f"{uuid.uuid5(_UID_NAMESPACE, name)}@mixplan"


def _event_keys(plan: Plan) -> list[tuple[str, Any]]:
    """Each schedule entry with the key of its UID.

    A means' flight is its id and its number in date order, with the flight;
    milestones have no id, so their text is their key (numbered when the same
    text repeats).
    """
    keyed: list[tuple[str, Any]] = []
    for means, runs in flights(plan).items():
        keyed += [(f"means:{means}:{number}", (means, run)) for number, run in enumerate(runs, start=1)]
    seen: dict[str, int] = {}
    for stone in plan.milestones:
        key = f"milestone:{stone.milestone}"
        seen[key] = seen.get(key, 0) + 1
        keyed.append((f"{key}:{seen[key]}", stone))
    return keyed


def key_is_milestone(key: str) -> bool:
    return key.startswith("milestone:")


def to_ics(plan: Plan, *, language: str | None = None, stamp: _dt.datetime | None = None) -> bytes:
    """An RFC 5545 calendar: one all-day event per scheduled flight of a means and per milestone.

    The plan's end dates are inclusive; DTEND is the day after, as the
    standard wants for all-day events. `stamp` (DTSTAMP) defaults to now.
    """
    import icalendar

    from ..present.formatting import Formatter

    lab = _labels(plan, language)
    fmt = Formatter(lab["locale"], plan.plan.currency, whole_units=not writes_cents(plan))
    rows = {row.means.id: row for row in action_rows(plan, lab)}
    stamp = stamp or _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    colon = lab["colon"]
    c = lab["columns"]

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mixplan//marketing plan export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar escapes commas, semicolons and line breaks in text (an X-
    # property only when told it is text: a title on two lines crashed it);
    # other controls (a bare CR ends a line for lenient readers) are written out.
    calendar.add("x-wr-calname", icalendar.vText(visible(f"{plan.plan.title} ({plan.plan.client})")))

    def first_day(keyed: tuple[str, Any]) -> _dt.date:
        entry = keyed[1]
        return entry.date if key_is_milestone(keyed[0]) else entry[1].start

    one_day = _dt.timedelta(days=1)
    for key, entry in sorted(_event_keys(plan), key=lambda keyed: (first_day(keyed), keyed[0])):
        event = icalendar.Event()
        event.add("uid", event_uid(plan, key))
        event.add("dtstamp", stamp)
        if not key_is_milestone(key):
            means, run = entry
            row = rows[means]
            event.add("summary", visible(row.means.name))
            event.add("dtstart", run.start)
            event.add("dtend", run.end + one_day)
            details = [
                (c["channel"], row.channel),
                (c["p"], row.p),
                (c["approach"], row.approach),
                (c["targets"], "; ".join(row.targets)),
                (c["objectives"], "; ".join(row.objectives)),
                (c["cost"], fmt.money(row.means.cost)),
                (c["owner"], row.means.owner),
            ]
            event.add("description", visible("\n".join(f"{label}{colon} {value}" for label, value in details if value)))
            event.add("categories", [row.p])
        else:
            event.add("summary", visible(entry.milestone))
            event.add("dtstart", entry.date)
            event.add("dtend", entry.date + one_day)
            event.add("categories", [lab["schedule"]["milestone"]])
        # All-day plan items should not mark anyone as busy.
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# --- XLSX --------------------------------------------------------------------------------


def excel_currency_format(currency: str, locale: str) -> str:
    """An Excel number format showing the plan's currency where the locale puts its symbol.

    Excel itself picks the grouping and decimal marks from the reader's
    settings; the format only says where the symbol goes.
    """
    from babel import Locale
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale=locale).replace('"', "")
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    if pattern.strip().startswith("¤"):
        return f'"{symbol}"#,##0.00;-"{symbol}"#,##0.00'
    return f'#,##0.00\\ "{symbol}";-#,##0.00\\ "{symbol}"'


_RESULT_MONEY = ("spend", "revenue")


@dataclass(frozen=True)
class _Styles:
    """The workbook's cell formats, made once and shared by every sheet."""

    header: Any
    money: Any
    money_bold: Any
    percent: Any
    date: Any
    month: Any
    bold: Any
    wrap: Any


def _styles(book: Any, plan: Plan, lab: dict[str, Any]) -> _Styles:
    currency = excel_currency_format(plan.plan.currency, lab["locale"])
    return _Styles(
        header=book.add_format({"bold": True, "bg_color": "#E8EDF3", "bottom": 1, "text_wrap": True, "valign": "top"}),
        money=book.add_format({"num_format": currency}),
        money_bold=book.add_format({"num_format": currency, "bold": True, "top": 1}),
        percent=book.add_format({"num_format": "0.0%"}),
        date=book.add_format({"num_format": "yyyy-mm-dd"}),
        month=book.add_format({"num_format": "yyyy-mm"}),
        bold=book.add_format({"bold": True, "top": 1}),
        wrap=book.add_format({"text_wrap": True, "valign": "top"}),
    )


def _sheet_name(text: str) -> str:
    # Excel refuses these characters and names longer than 31.
    return "".join(ch for ch in text if ch not in "[]:*?/\\")[:31]


def _excel_date(day: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(day, _dt.time())


@dataclass(frozen=True)
class _ActionsSheet:
    """Where the budget sheet's formulas find the action plan."""

    ref: str  # the sheet's name, quoted for a formula
    last: int  # the row (0-based) of its last means
    means_total_cell: str  # the absolute reference of its cost total


def to_xlsx(plan: Plan, *, language: str | None = None) -> bytes:
    """A workbook: the action plan, the budget, when there are any the monthly results, and the forecast.

    Money cells are numbers in the plan's currency format, dates are real
    dates, each table has a frozen header and filters, and totals are SUM
    formulas so that an edited cost moves them.
    """
    import xlsxwriter

    lab = _labels(plan, language)
    buffer = io.BytesIO()
    # Every cell of text is written as a string: never a formula, a number or a
    # link, whatever it starts with; XlsxWriter would store a control
    # character as _x001B_, which Excel turns back into the character.
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": visible(plan.plan.title),
            "company": visible(plan.plan.client),
            "author": visible(plan.plan.author or ""),
        }
    )
    styles = _styles(book, plan, lab)
    actions = _actions_sheet(book, plan, lab, styles)
    _budget_sheet(book, plan, lab, styles, actions)
    if plan.results:
        _results_sheet(book, plan, lab, styles)
    if plan.results or any(o.measured for o in plan.objectives):
        _objectives_sheet(book, plan, lab, styles)
    _forecast_sheets(book, plan, lab, styles)
    book.close()
    return buffer.getvalue()


def _actions_sheet(book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles) -> _ActionsSheet:
    """One row per means, a SUM of their costs, printed landscape one page wide."""
    from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

    actions = book.add_worksheet(_sheet_name(lab["sections"]["actions"]))
    actions.write_row(0, 0, _action_headers(lab), styles.header)
    rows = action_rows(plan, lab)
    wrap = styles.wrap
    for n, row in enumerate(rows, start=1):
        actions.write_string(n, 0, row.means.id)
        actions.write_string(n, 1, visible(row.means.name), wrap)
        actions.write_string(n, 2, row.channel)
        actions.write_string(n, 3, row.p)
        actions.write_string(n, 4, row.approach)
        actions.write_string(n, 5, visible("; ".join(row.targets)), wrap)
        actions.write_string(n, 6, visible("; ".join(row.objectives)), wrap)
        actions.write_string(n, 7, visible(row.means.owner or ""))
        actions.write_number(n, 8, row.means.cost, styles.money)
        if row.start:
            actions.write_datetime(n, 9, _excel_date(row.start), styles.date)
            actions.write_datetime(n, 10, _excel_date(row.end), styles.date)  # type: ignore[arg-type]  # a flight has both dates
            actions.write_string(n, 11, row.flight_intervals, wrap)
    last = len(rows)
    total_row = last + 1
    means_total = sum((r.means.cost for r in rows), Decimal(0))
    actions.write_string(total_row, 0, lab["export"]["total"], styles.bold)
    actions.write_formula(total_row, 8, f"=SUM(I2:I{last + 1})", styles.money_bold, means_total)
    actions.freeze_panes(1, 0)
    actions.autofilter(0, 0, last, 11)
    # Printed for a meeting: landscape, one page wide, the header on every page.
    actions.set_landscape()
    actions.set_paper(9)  # A4
    actions.fit_to_pages(1, 0)
    actions.repeat_rows(0)
    for column, width in enumerate((18, 40, 20, 13, 20, 30, 45, 24, 13, 11, 11, 23)):
        actions.set_column(column, column, width)
    ref = quote_sheetname(actions.get_name())
    return _ActionsSheet(ref, last, f"{ref}!{xl_rowcol_to_cell(total_row, 8, row_abs=True, col_abs=True)}")


def _budget_sheet(book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles, actions: _ActionsSheet) -> None:
    """The summary finance reads first, then the tables by P, by channel and of other costs.

    Amounts by P and channel are SUMIFs over the action plan, so editing a
    cost there moves them too.
    """
    from ..views.mix import mix_view

    c, b = lab["columns"], lab["budget"]
    view = mix_view(plan)
    budget = book.add_worksheet(_sheet_name(lab["sections"]["budget"]))
    budget.set_column(0, 0, 42)
    budget.set_column(1, 1, 16)
    budget.set_column(2, 2, 14)

    def share_cell(at: int, amount: Decimal) -> None:
        share = view.share(amount)
        budget.write_formula(at, 2, f'=IF($B$6=0,"—",B{at + 1}/$B$6)', styles.percent, "—" if share is None else share)

    def table(line: int, title: str, items: list[tuple[str, Decimal]], sums_column: str | None = None) -> int:
        """A titled table of amounts and shares from `line`, with a SUM row; returns the row of that total.

        With `sums_column`, each amount is a SUMIF over that column of the action plan.
        """
        budget.write_row(line, 0, [title, c["amount"], c["share"]], styles.header)
        first = line + 1
        for offset, (label, amount) in enumerate(items):
            at = first + offset
            budget.write_string(at, 0, visible(label))
            if sums_column:
                criteria = f"{actions.ref}!${sums_column}$2:${sums_column}${actions.last + 1}"
                budget.write_formula(
                    at,
                    1,
                    f"=SUMIF({criteria},A{at + 1},{actions.ref}!$I$2:$I${actions.last + 1})",
                    styles.money,
                    amount,
                )
            else:
                budget.write_number(at, 1, amount, styles.money)
            share_cell(at, amount)
        total_at = first + len(items)
        budget.write_string(total_at, 0, lab["export"]["total"], styles.bold)
        total = sum((amount for _, amount in items), Decimal(0))
        budget.write_formula(
            total_at, 1, f"=SUM(B{first + 1}:B{total_at})" if items else "=0", styles.money_bold, total
        )
        return total_at

    # The summary comes first, with a frozen header, because it is what finance reads.
    budget.write_row(0, 0, [b["summary"], c["amount"], c["share"]], styles.header)
    summary_rows = [b["means_total"], b["lines_total"], b["reserve"], b["allocated"], b["total"], b["remaining"]]
    line = len(summary_rows) + 2
    by_p_total = table(line, b["by_p"], [(lab["ps"][s.key], s.cost) for s in view.by_p], sums_column="D")
    by_channel = [(lab["channels"].get(s.key, s.key), s.cost) for s in view.by_channel]
    by_channel_total = table(by_p_total + 2, b["by_channel"], by_channel, sums_column="C")
    lines_total_at = table(by_channel_total + 2, b["lines"], [(item.name, item.cost) for item in plan.budget.lines])
    summary = [
        (b["means_total"], f"={actions.means_total_cell}", view.means_cost),
        (b["lines_total"], f"=B{lines_total_at + 1}", view.lines_cost),
        (b["reserve"], None, view.reserve),
        (b["allocated"], "=SUM(B2:B4)", view.allocated),
        (b["total"], None, view.total),
        (b["remaining"], "=B6-B5", view.remaining),
    ]
    for n, (label, formula, amount) in enumerate(summary, start=1):
        emphasised = n in (4, 6)
        money = styles.money_bold if emphasised else styles.money
        budget.write_string(n, 0, label, styles.bold if emphasised else None)
        if formula:
            budget.write_formula(n, 1, formula, money, amount)
        else:
            budget.write_number(n, 1, amount, money)
        if n != 5:  # the total is the base of every share
            share_cell(n, amount)
    budget.freeze_panes(1, 0)


def _results_sheet(book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles) -> None:
    """The results rows by month and means, the measured counts only, with SUM totals."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from ..plan.model import ResultRow

    metrics = [name for name in ResultRow.model_fields if name not in ("means", "month")]
    used = [m for m in metrics if any(getattr(r, m) is not None for r in plan.results)]
    names = {m.id: m.name for m in plan.means}
    results = book.add_worksheet(_sheet_name(lab["export"]["results"]))
    results.write_row(
        0,
        0,
        [lab["export"]["month"], lab["export"]["id"], lab["columns"]["action"]] + [lab["metrics"][m] for m in used],
        styles.header,
    )
    ordered = sorted(plan.results, key=lambda r: (r.month, r.means))
    for n, result in enumerate(ordered, start=1):
        results.write_datetime(n, 0, _excel_date(result.month), styles.month)
        results.write_string(n, 1, result.means)
        results.write_string(n, 2, visible(names.get(result.means, result.means)))
        for offset, metric in enumerate(used, start=3):
            value = getattr(result, metric)
            if value is None:
                continue
            results.write_number(n, offset, value, styles.money if metric in _RESULT_MONEY else None)
    total_at = len(ordered) + 1
    results.write_string(total_at, 0, lab["export"]["total"], styles.bold)
    for offset, metric in enumerate(used, start=3):
        column = xl_rowcol_to_cell(0, offset).rstrip("1")
        cached = sum((getattr(r, metric) or 0 for r in ordered), Decimal(0))
        results.write_formula(
            total_at,
            offset,
            f"=SUM({column}2:{column}{total_at})",
            styles.money_bold if metric in _RESULT_MONEY else styles.bold,
            cached,
        )
    results.freeze_panes(1, 0)
    results.autofilter(0, 0, len(ordered), 2 + len(used))
    results.set_column(0, 1, 12)
    results.set_column(2, 2, 36)
    results.set_column(3, 2 + len(used), 12)


def _objectives_sheet(book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles) -> None:
    """Each objective's figures as the dashboard shows them, from the same computation, with where each comes from."""
    from ..plan import vocab
    from ..present.formatting import Formatter
    from ..views.dashboard import shown_value
    from ..views.figures_text import account
    from ..views.progress import progress

    fmt = Formatter(lab["locale"], plan.plan.currency, whole_units=not writes_cents(plan))
    text, c = lab["dashboard"], lab["columns"]
    names = {m.id: m.name for m in plan.means}
    sheet = book.add_worksheet(_sheet_name(lab["dashboard"]["objectives"]))
    money, percent, wrap = styles.money, styles.percent, styles.wrap
    headings = [
        lab["export"]["id"],
        c["objective"],
        c["metric"],
        c["target"],
        text["expected"],
        text["actual"],
        text["counted"],
        text["all_actions"],
        text["progress"],
        text["status"],
        text["sources"],
    ]
    sheet.write_row(0, 0, headings, styles.header)
    for n, item in enumerate(progress(plan).objectives, start=1):
        metric, k = item.objective.metric, item.kpi
        told = account(
            item,
            text,
            lambda m, v: shown_value(fmt, m, v),
            fmt.money,
            fmt.number,
            fmt.date,
            lambda means: names.get(means, means),
            lab["colon"],
        )
        unit = vocab.METRIC_UNIT[metric]
        number_format = money if unit == "money" else percent if unit == "percent" else None
        sheet.write_string(n, 0, item.objective.id)
        sheet.write_string(n, 1, visible(item.objective.statement), wrap)
        sheet.write_string(n, 2, lab["metrics"][metric])
        for column, value in ((3, k.target), (4, k.expected), (5, k.actual), (7, item.figures.all_actions)):
            if value is not None:
                sheet.write_number(n, column, value, number_format)
        sheet.write_string(n, 6, visible(told.counted), wrap)
        if item.share is not None:
            sheet.write_number(n, 8, item.share, percent)
        sheet.write_string(n, 9, lab["statuses"][k.status])
        sheet.write_string(n, 10, visible(f"{told.window}{lab['colon']} " + "\n".join(told.lines)), wrap)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 9, 14)
    sheet.set_column(10, 10, 80)


# --- XLSX: the forecast before launch ----------------------------------------------------

# The funnel's counts in the order its steps compute them; other counts come only typed by hand.
_FUNNEL_COUNTS = ("impressions", "clicks", "conversions", "leads", "new_customers", "revenue")
_MONEY_FIGURES = frozenset({"spend", "revenue", "cac", "cpc", "cpm", "cpl", "average_order_value"})


# The forecast's ends: the base, and the low and high the assumptions' ranges give.
_ENDS = ("base", "low", "high")
# A quotient's low end divides by its divisor's high end, and the other way round (views/forecast.Range.over).
_OPPOSITE = {"base": "base", "low": "high", "high": "low"}


def _cached(figure: Any, end: str = "base") -> Any:
    """A formula's cached result: one end of a forecast `Range`, or "" where the figure is undefined.

    A workbook holds numbers as doubles; the float is only what a viewer shows before it recalculates.
    """
    return "" if figure is None else float(getattr(figure, end))


def _rate_end(cells: tuple[str, str, str], end: str) -> str:
    """The expression of one end of a rate whose Value, Low and High cells are `cells`.

    A Low or High left empty is the Value, as the plan reads an assumption without a range.
    """
    value, low, high = cells
    if end == "base":
        return value
    bound = low if end == "low" else high
    return f'IF({bound}="",{value},{bound})'


def _unless(missing: list[str], non_positive: list[str], expression: str) -> str:
    """`expression`, or "" (an empty cell, never 0 nor #DIV/0!) when an input is missing or a divisor is not positive."""
    tests = [f'{cell}=""' for cell in missing + non_positive] + [f"{cell}<=0" for cell in non_positive]
    condition = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
    return f'=IF({condition},"",{expression})'


def _forecast_sheets(book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles) -> None:
    """The Assumptions sheet (the inputs) and the Forecast sheet (formulas over them), when the plan forecasts."""
    from ..views.forecast import forecast

    has_rates = bool(plan.assumptions) or any(item.funnel for item in plan.means)
    result = forecast(plan)
    if not has_rates and not result.has_funnel:
        return
    words = lab["forecast"]
    formats = {
        "money": styles.money,
        "percent": styles.percent,
        "count": book.add_format({"num_format": "#,##0"}),
        "multiple": book.add_format({"num_format": '0.00"×"'}),
    }
    rate_cells = _assumptions_sheet(book, plan, lab, styles, words, formats) if has_rates else {}
    if result.has_funnel:
        _forecast_sheet(book, plan, lab, styles, words, formats, result, rate_cells)


def _figure_format(formats: dict[str, Any], metric: str) -> Any:
    from ..plan import vocab

    if metric in _MONEY_FIGURES:
        return formats["money"]
    if metric in vocab.RAW_COUNTS:
        return formats["count"]
    return formats[vocab.METRIC_UNIT[metric]]


def _assumptions_sheet(
    book: Any, plan: Plan, lab: dict[str, Any], styles: _Styles, words: dict[str, str], formats: dict[str, Any]
) -> dict[tuple[str, str], tuple[str, str, str]]:
    """One row per assumption, then each action's own rates; returns where each rate's Value, Low and High are.

    The keys are ("assumption", id) and (means id, metric); the values are absolute references, sheet included.
    """
    from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

    sheet = book.add_worksheet(_sheet_name(words["assumptions"]))
    ref = quote_sheetname(sheet.get_name())
    c = lab["columns"]
    headers = [lab["export"]["id"], c["metric"], c["channel"], words["value"], words["low"], words["high"]]
    sheet.write_row(0, 0, [*headers, words["source"]], styles.header)
    cells: dict[tuple[str, str], tuple[str, str, str]] = {}

    def rate_row(at: int, key: tuple[str, str], first: str, metric: str, channel: str, values: list[Any]) -> None:
        sheet.write_string(at, 0, first)
        sheet.write_string(at, 1, lab["metrics"][metric])
        sheet.write_string(at, 2, channel)
        for column, number in enumerate(values, start=3):
            if number is not None:
                sheet.write_number(at, column, number, _figure_format(formats, metric))
        value, low, high = (f"{ref}!{xl_rowcol_to_cell(at, n, row_abs=True, col_abs=True)}" for n in (3, 4, 5))
        cells[key] = (value, low, high)

    at = 1
    for assumption in plan.assumptions:
        channel = lab["channels"].get(assumption.channel, assumption.channel) if assumption.channel else None
        rate_row(
            at,
            ("assumption", assumption.id),
            assumption.id,
            assumption.metric,
            channel or words["every_channel"],
            [assumption.value, assumption.low, assumption.high],
        )
        sheet.write_string(at, 6, visible(assumption.source or ""), styles.wrap)
        at += 1
    own = [(item, metric, value) for item in plan.means for metric, value in item.funnel.items()]
    if own:
        at += 1
        sheet.write_string(at, 0, words["own_rates"], styles.bold)
        sheet.write_row(at + 1, 0, [c["means"], *headers[1:], words["source"]], styles.header)
        at += 2
        for item, metric, value in own:
            rate_row(at, (item.id, metric), item.id, metric, lab["channels"].get(item.channel, item.channel), [value])
            sheet.write_string(at, 6, words["own_rate"])
            at += 1
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, 5, 12)
    sheet.set_column(6, 6, 50)
    return cells


def _forecast_sheet(
    book: Any,
    plan: Plan,
    lab: dict[str, Any],
    styles: _Styles,
    words: dict[str, str],
    formats: dict[str, Any],
    result: Any,
    rate_cells: dict[tuple[str, str], tuple[str, str, str]],
) -> None:
    """Each means month by month, then each means' totals and the whole plan's, every figure a formula.

    The funnel is views/forecast.py's, step for step: a means' rate is the
    cell its forecast took it from (its own rate, else its channel's
    assumption, else the plan-wide one), a count typed by hand is a number
    that the later steps build on, and a figure the view leaves undefined
    stays an empty cell. The base figures come first, then the low ones and
    the high ones, each end worked out from the same end of its inputs (the
    other end of a divisor), as the view's `Range` does.
    """
    from xlsxwriter.utility import xl_col_to_name

    from ..plan import vocab
    from ..views import metrics

    rows_of = {item.means: item.rows for item in result.means.values()}
    held = {count for rows in rows_of.values() for row in rows for count in row}
    counts = [count for count in _FUNNEL_COUNTS if count in held]
    counts += [count for count in vocab.RAW_COUNTS if count in held and count not in counts and count != "spend"]
    ratios = [
        ratio for ratio, needs in (("roi", "revenue"), ("roas", "revenue"), ("cac", "new_customers")) if needs in held
    ]
    figures = ["spend", *counts, *ratios]
    # The spend is the same at every end: one column, which the low and high figures build on too.
    place = {("base", figure): n for n, figure in enumerate(figures, start=3)}
    last_column = 2 + len(figures)
    for end in _ENDS[1:]:
        place[(end, "spend")] = place[("base", "spend")]
        for figure in figures[1:]:
            last_column += 1
            place[(end, figure)] = last_column
    column = {key: xl_col_to_name(at) for key, at in place.items()}
    sheet = book.add_worksheet(_sheet_name(lab["dashboard"]["forecast_title"]))

    def headings(first: str) -> list[str]:
        names = [lab["metrics"][figure] for figure in figures]
        ends = [words[f"{end}_of"].format(figure=name) for end in _ENDS[1:] for name in names[1:]]
        return [first, "", "", *names, *ends]

    sheet.write_row(0, 0, headings(lab["export"]["id"]), styles.header)
    sheet.write_string(0, 1, lab["columns"]["action"], styles.header)
    sheet.write_string(0, 2, lab["export"]["month"], styles.header)
    names = {item.id: item.name for item in plan.means}

    def cells_of(n: int, end: str) -> dict[str, str]:
        return {figure: f"{column[(end, figure)]}{n}" for figure in figures}

    def ratio_formulas(n: int, end: str) -> dict[str, tuple[list[str], list[str], str]]:
        """Each ratio of row n from its counts: (inputs that must exist, divisors that must be positive, formula)."""
        spend, revenue = cells_of(n, end)["spend"], cells_of(n, end).get("revenue", "")
        new = cells_of(n, _OPPOSITE[end]).get("new_customers", "")
        return {
            "roi": ([revenue], [spend], f"({revenue}-{spend})/{spend}"),
            "roas": ([revenue], [spend], f"{revenue}/{spend}"),
            "cac": ([], [new], f"{spend}/{new}"),
        }

    line = 1
    spans: dict[str, tuple[int, int]] = {}  # means → its first and last month row (1-based, as formulas count)
    for item in plan.means:
        forecast_of = result.means[item.id]
        typed = metrics.counts_of(item.forecast) if item.forecast else {}
        rate = {
            end: {
                metric: _rate_end(
                    rate_cells[(item.id, metric) if found.source == "funnel" else ("assumption", found.assumption)],
                    end,
                )
                for metric, found in forecast_of.rates.items()
            }
            for end in _ENDS
        }
        first = line + 1
        for month, row in forecast_of.months.items():
            n = line + 1
            sheet.write_string(line, 0, item.id)
            sheet.write_string(line, 1, visible(names[item.id]))
            sheet.write_datetime(line, 2, _excel_date(month), styles.month)
            sheet.write_number(line, 3, row["spend"].base, formats["money"])
            for end in _ENDS:
                cell = cells_of(n, end)
                steps = _funnel_steps(row, typed, rate[end], rate[_OPPOSITE[end]], cell)
                steps.update(ratio_formulas(n, end))
                for figure in figures[1:]:
                    at = place[(end, figure)]
                    shown = forecast_of.month_value(month, figure)
                    if shown is None:
                        continue
                    style = _figure_format(formats, figure)
                    if figure in typed and end == "base":
                        sheet.write_number(line, at, row[figure].base, style)
                    elif figure in typed:
                        # A count typed by hand has no range: each end is the typed number.
                        sheet.write_formula(line, at, f"={cells_of(n, 'base')[figure]}", style, _cached(shown, end))
                    else:
                        missing, divisors, expression = steps[figure]
                        sheet.write_formula(
                            line, at, _unless(missing, divisors, expression), style, _cached(shown, end)
                        )
            line += 1
        spans[item.id] = (first, line)
    months_end = line

    # By action: each means' months added up; its ratios from its own totals (its months hold the same counts).
    line += 1
    sheet.write_row(line, 0, headings(words["by_means"]), styles.header)
    line += 1
    actions_start = line + 1
    for item in plan.means:
        forecast_of = result.means[item.id]
        first, last = spans[item.id]
        if last < first:  # no month to add up
            continue
        n = line + 1
        sheet.write_string(line, 0, item.id)
        sheet.write_string(line, 1, visible(names[item.id]))
        for end in _ENDS:
            steps = ratio_formulas(n, end)
            for figure in figures if end == "base" else figures[1:]:
                shown = forecast_of.value(figure)
                if shown is None and figure != "spend":
                    continue
                letter = column[(end, figure)]
                months_of = f"{letter}{first}:{letter}{last}"
                if figure == "spend":
                    formula = f"=SUM({months_of})"
                elif figure in steps:
                    formula = _unless(*steps[figure])
                else:
                    formula = f'=IF(COUNT({months_of})=0,"",SUM({months_of}))'
                style = _figure_format(formats, figure)
                sheet.write_formula(line, place[(end, figure)], formula, style, _cached(shown, end))
        line += 1
    actions_end = line

    # The whole plan: counts added up; a ratio over the means that hold both its counts, as views/metrics does.
    sheet.write_string(line, 0, words["whole_plan"], styles.bold)

    def span(figure: str, end: str) -> str:
        return f"{column[(end, figure)]}{actions_start}:{column[(end, figure)]}{actions_end}"

    def spend_where(figure: str, end: str) -> str:
        return f"SUMPRODUCT(ISNUMBER({span(figure, end)})*{span('spend', 'base')})"

    def whole_ratio(figure: str, end: str) -> str:
        if figure == "cac":
            other = _OPPOSITE[end]
            customers = f"SUM({span('new_customers', other)})"
            return f'=IF({customers}=0,"",{spend_where("new_customers", other)}/{customers})'
        revenue, spend = f"SUM({span('revenue', end)})", spend_where("revenue", end)
        return f'=IF({spend}=0,"",{f"({revenue}-{spend})" if figure == "roi" else revenue}/{spend})'

    for end in _ENDS:
        for figure in figures if end == "base" else figures[1:]:
            if figure == "spend":
                formula = f"=SUM({span('spend', end)})"
            elif figure in ratios:
                formula = whole_ratio(figure, end)
            else:
                formula = f'=IF(COUNT({span(figure, end)})=0,"",SUM({span(figure, end)}))'
            style = _figure_format(formats, figure)
            sheet.write_formula(line, place[(end, figure)], formula, style, _cached(result.total(figure), end))
    sheet.write_string(line + 2, 0, words["workbook_note"])
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, months_end - 1, last_column)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, last_column, 14)


def _funnel_steps(
    row: dict[str, Any], typed: dict[str, Any], rate: dict[str, str], divisor: dict[str, str], cell: dict[str, str]
) -> dict[str, tuple[list[str], list[str], str]]:
    """The formula of each count the month's row holds, as views/forecast.funnel_row takes its steps.

    `rate` holds the end of each rate a step multiplies by, `divisor` the end of each rate it divides by.
    Each is (inputs that must exist, divisors that must be positive, the expression).
    """
    steps: dict[str, tuple[list[str], list[str], str]] = {}
    spend = cell["spend"]
    cpm, cpc, ctr = divisor.get("cpm"), divisor.get("cpc"), rate.get("ctr")
    # A count the row holds has its column.
    impressions, clicks = cell.get("impressions", ""), cell.get("clicks", "")
    if cpm is not None:
        steps["impressions"] = ([], [cpm], f"1000*{spend}/{cpm}")
    elif ctr is not None and "clicks" in row and "impressions" not in typed:
        steps["impressions"] = ([clicks], [divisor["ctr"]], f"{clicks}/{divisor['ctr']}")
    if cpc is not None:
        steps["clicks"] = ([], [cpc], f"{spend}/{cpc}")
    elif ctr is not None and "impressions" in row:
        steps["clicks"] = ([impressions, ctr], [], f"{impressions}*{ctr}")
    for count, source, factor in (
        ("conversions", "clicks", "conversion_rate"),
        ("new_customers", "conversions", "new_customer_share"),
        ("revenue", "conversions", "average_order_value"),
    ):
        if factor in rate and source in row:
            steps[count] = ([cell[source], rate[factor]], [], f"{cell[source]}*{rate[factor]}")
    if "cpl" in divisor:
        steps["leads"] = ([], [divisor["cpl"]], f"{spend}/{divisor['cpl']}")
    return steps
