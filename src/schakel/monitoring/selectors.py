"""The figures of an area over a period, for one reader, protected by the disclosure rule.

Counts come from the owning apps' aggregate selectors (`<app>/figures.py`: one GROUP BY each,
never a loop over rows and never a decrypted field); this module arranges them into sections
and tables, each figure beside the same one for the previous period."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from schakel.cases import figures as case_figures
from schakel.cases.choices import InterventionKind
from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.context import AccessContext
from schakel.core.figures import CURRENT, PREVIOUS, Tally, Window, regroup
from schakel.intake import figures as signal_figures
from schakel.intake.choices import CloseReason, EntryPoint, PersonRole, Routing, Sex
from schakel.intake.figures import AgeBand
from schakel.intake.nationality import NationalityGroup, group_of
from schakel.meetings import figures as meeting_figures
from schakel.network import figures as training_figures
from schakel.network.choices import Audience, TrainingSector
from schakel.organisations.choices import MeetingType

from .disclosure import TOTAL, Disclosure
from .figures import Cell, ChartKind, Row, Section, Table, Trend
from .periods import Period
from .policies import Area, figures_policy

Labels = Sequence[tuple[str, str | Promise]]
Counts = dict[str, dict[int, dict[str, int]]]  # period → municipality → key → count


def _choices(choices: type[models.Choices], *, blank: str | Promise | None = None) -> Labels:
    labels: list[tuple[str, str | Promise]] = [
        (str(v), label) for v, label in choices.choices if v != ""
    ]
    if blank is not None:
        labels.append(("", blank))
    return labels


@dataclass(frozen=True)
class Spec:
    """What one table shows: its rows in order, and how to read them."""

    key: str
    title: str | Promise
    unit: str | Promise
    labels: Labels
    additive: bool = True
    chart: ChartKind = ChartKind.BARS
    more_is_good: bool = False  # more signals surfaced, more victims identified
    note: str | Promise = ""


def _split(counts: Tally) -> Counts:
    split: Counts = {CURRENT: {}, PREVIOUS: {}}
    for period, municipality, key, n in counts:
        row = split[period].setdefault(municipality, {})
        row[key] = row.get(key, 0) + n
    return split


class _Builder:
    def __init__(self, area: Area, disclosure: Disclosure) -> None:
        self.area = area
        self.disclosure = disclosure
        self.thresholds = dict(area.thresholds)

    def cells(
        self,
        per_municipality: Mapping[int, Mapping[str, int]],
        keys: Sequence[str],
        totals: Mapping[int, int] | None,
        *,
        additive: bool,
    ) -> tuple[dict[str, Cell], Cell | None]:
        """The protected cells of one period's table: the area's single municipality as one
        line, a region as the sum of its municipalities' lines."""
        rows: dict[int, dict[str, int]] = {}
        for municipality in self.area.municipality_ids:
            found = per_municipality.get(municipality, {})
            row = {key: found.get(key, 0) for key in keys}
            row[TOTAL] = totals.get(municipality, 0) if totals is not None else sum(row.values())
            rows[municipality] = row
        if self.area.is_region:
            cells, total = self.disclosure.region_line(rows, self.thresholds, additive=additive)
        else:
            only = rows[self.area.municipality_ids[0]]
            total_count = only.pop(TOTAL)
            cells, total = self.disclosure.line(only, total_count, additive=additive)
        return cells, (total if additive or totals is not None else None)

    def table(
        self,
        spec: Spec,
        counts: Tally,
        *,
        totals: Tally | None = None,
        previous_key: Callable[[str], str] | None = None,
    ) -> Table:
        """`totals`: the population per municipality (for tables whose rows do not add up);
        `previous_key`: how a previous-period key maps onto this period's (months)."""
        split = _split(counts)
        if previous_key is not None:
            split[PREVIOUS] = {
                m: {previous_key(k): n for k, n in row.items()}
                for m, row in split[PREVIOUS].items()
            }
        total_split = _split(totals) if totals is not None else None
        keys = [key for key, _ in spec.labels]
        found: dict[str, tuple[dict[str, Cell], Cell | None]] = {}
        for period in (CURRENT, PREVIOUS):
            population = (
                {m: row.get("", 0) for m, row in total_split[period].items()}
                if total_split is not None
                else None
            )
            found[period] = self.cells(split[period], keys, population, additive=spec.additive)
        (current, current_total), (previous, previous_total) = found[CURRENT], found[PREVIOUS]
        rows = [
            _row(key, label, current[key], previous[key], spec.more_is_good)
            for key, label in spec.labels
        ]
        total = (
            _row(TOTAL, gettext_lazy("Total"), current_total, previous_total, spec.more_is_good)
            if current_total is not None and previous_total is not None
            else None
        )
        return Table(
            key=spec.key,
            title=spec.title,
            unit=spec.unit,
            rows=rows,
            total=total,
            additive=spec.additive,
            chart=spec.chart,
            note=spec.note,
        )


def _row(
    key: str, label: str | Promise, cell: Cell, previous: Cell | None, more_is_good: bool
) -> Row:
    return Row(key, label, cell, previous, _trend(cell, previous, more_is_good))


def _trend(cell: Cell, previous: Cell | None, more_is_good: bool) -> Trend:
    if previous is None or cell.value is None or previous.value is None:
        return Trend.UNKNOWN
    if cell.value > previous.value:
        return Trend.UP_GOOD if more_is_good else Trend.UP
    return Trend.DOWN if cell.value < previous.value else Trend.SAME


# --- The medians and percentiles of working days ----------------------------------------------


def percentile(histogram: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank percentile of a distribution given as value → how many: the smallest
    value such that at least `share` of the items are at or below it (the median of 1, 2, 3, 4
    is 2). None for no items."""
    items = sum(histogram.values())
    if items == 0:
        return None
    rank, seen = max(1, math.ceil(share * items)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


STEP_LABELS: Labels = (
    ("days_to_pickup", gettext_lazy("From report to pick-up")),
    ("days_to_routing", gettext_lazy("From report to routing")),
    ("days_to_feedback", gettext_lazy("From report to feedback")),
)


def _step_tables(builder: _Builder, window: Window) -> list[Table]:
    """Median and 90th percentile in working days of each step, pooled over the area."""
    histograms: dict[str, dict[str, dict[int, int]]] = {CURRENT: {}, PREVIOUS: {}}
    for step, _label in STEP_LABELS:
        for period, _m, key, n in signal_figures.steps_tally(window, step):
            bucket = histograms[period].setdefault(step, {})
            bucket[int(key)] = bucket.get(int(key), 0) + n
    tables = []
    for key, title, share in (
        ("median_days", gettext_lazy("Median time in working days"), 0.5),
        ("p90_days", gettext_lazy("90th percentile in working days"), 0.9),
    ):
        rows = []
        for step, label in STEP_LABELS:
            cells = []
            for period in (CURRENT, PREVIOUS):
                histogram = histograms[period].get(step, {})
                value = percentile(histogram, share)
                cells.append(
                    builder.disclosure.statistic(
                        value, sum(histogram.values()), "" if value is None else str(value)
                    )
                )
            rows.append(Row(step, label, cells[0], cells[1], _trend(cells[0], cells[1], False)))
        tables.append(
            Table(
                key=key,
                title=title,
                unit=gettext_lazy("working days"),
                rows=rows,
                value_heading=gettext_lazy("working days"),
                note=gettext_lazy(
                    "Of the signals reported in the period that took the step. Working days "
                    "exclude weekends and Dutch public holidays; a step on the day of the "
                    "report takes 0."
                ),
            )
        )
    return tables


# --- The dashboard ----------------------------------------------------------------------------

UNKNOWN = gettext_lazy("Unknown")

SOURCES = Spec(
    "signals_by_source",
    gettext_lazy("Signals by who reported them"),
    gettext_lazy("signals"),
    _choices(signal_figures.Source),
    more_is_good=True,
)
ENTRY_POINTS = Spec(
    "signals_by_entry_point",
    gettext_lazy("Signals by entry point"),
    gettext_lazy("signals"),
    _choices(EntryPoint),
    more_is_good=True,
)
FORMS = Spec(
    "signals_by_form",
    gettext_lazy("Signals by form of exploitation"),
    gettext_lazy("signals"),
    _choices(ExploitationFormCode),
    additive=False,
    more_is_good=True,
)
ROUTINGS = Spec(
    "signals_by_routing",
    gettext_lazy("Signals by where they were routed"),
    gettext_lazy("signals"),
    _choices(Routing, blank=gettext_lazy("Not (yet) routed")),
)
CLOSE_REASONS = Spec(
    "signals_by_close_reason",
    gettext_lazy("Signals by reason for closing"),
    gettext_lazy("signals"),
    _choices(CloseReason, blank=gettext_lazy("Not closed")),
)
INTERVENTION_GROUPS = Spec(
    "interventions_by_group",
    gettext_lazy("Interventions executed: administrative, fiscal, criminal"),
    gettext_lazy("interventions"),
    _choices(case_figures.InterventionGroup),
)
INTERVENTION_KINDS = Spec(
    "interventions_by_kind",
    gettext_lazy("Interventions executed by kind"),
    gettext_lazy("interventions"),
    _choices(InterventionKind),
)
OUTCOMES = Spec(
    "victims_by_outcome",
    gettext_lazy("Possible victims helped: referred to care, sheltered, registered with CoMensha"),
    gettext_lazy("possible victims"),
    [(str(o.value), o.label) for o in case_figures.HELPED],
    additive=False,
    more_is_good=True,
    note=gettext_lazy(
        "Outcomes recorded in the period for persons of the municipality's cases. The total "
        "counts each victim once."
    ),
)
CASES = Spec(
    "cases",
    gettext_lazy("Cases opened and closed"),
    gettext_lazy("cases"),
    (("opened", gettext_lazy("Opened")), ("closed", gettext_lazy("Closed"))),
    additive=False,
)
DISCUSSED = Spec(
    "discussed",
    gettext_lazy("Discussed in the case meeting and the RIEC meeting"),
    gettext_lazy("signals or cases"),
    (
        (f"{MeetingType.CASE_MEETING}:signal", gettext_lazy("Signals in the case meeting")),
        (f"{MeetingType.CASE_MEETING}:case", gettext_lazy("Cases in the case meeting")),
        (f"{MeetingType.RIEC_MEETING}:signal", gettext_lazy("Signals in the RIEC meeting")),
        (f"{MeetingType.RIEC_MEETING}:case", gettext_lazy("Cases in the RIEC meeting")),
    ),
    additive=False,
    note=gettext_lazy("Each signal or case once per kind of meeting, however often it came back."),
)
OVERDUE = Spec(
    "overdue_now",
    gettext_lazy("Waiting past a deadline today"),
    gettext_lazy("signals or agreements"),
    (
        ("first_action", gettext_lazy("Signals without a first action in time")),
        ("feedback", gettext_lazy("Signals whose reporter waits for feedback")),
        ("agreements", gettext_lazy("Agreements past their date")),
    ),
    additive=False,
    note=gettext_lazy("Today, whatever the period chosen."),
)


def _person_specs(role: PersonRole) -> list[tuple[Spec, str]]:
    who = (
        gettext_lazy("possible victims")
        if role == PersonRole.POSSIBLE_VICTIM
        else gettext_lazy("possible perpetrators")
    )
    title = {
        PersonRole.POSSIBLE_VICTIM: (
            gettext_lazy("Possible victims by sex"),
            gettext_lazy("Possible victims by age"),
            gettext_lazy("Possible victims by nationality"),
        ),
        PersonRole.POSSIBLE_PERPETRATOR: (
            gettext_lazy("Possible perpetrators by sex"),
            gettext_lazy("Possible perpetrators by age"),
            gettext_lazy("Possible perpetrators by nationality"),
        ),
    }[role]
    more = role == PersonRole.POSSIBLE_VICTIM
    return [
        (
            Spec(f"{role}_by_sex", title[0], who, _choices(Sex, blank=UNKNOWN), more_is_good=more),
            "sex",
        ),
        (
            Spec(f"{role}_by_age", title[1], who, _choices(AgeBand), more_is_good=more),
            "age",
        ),
        (
            Spec(
                f"{role}_by_nationality",
                title[2],
                who,
                _choices(NationalityGroup),
                more_is_good=more,
            ),
            "nationality_country",
        ),
    ]


def dashboard(
    context: AccessContext,
    area: Area,
    period: Period,
    *,
    disclosure: Disclosure | None = None,
) -> list[Section]:
    """Every section of the dashboard (and of the annual report), protected for the reader or
    by `disclosure` when given (a public annual report protects whoever reads it)."""
    builder = _Builder(area, disclosure or figures_policy.disclosure(context.actor, area))
    window = Window(area.municipality_ids, period.bounds(), period.previous().bounds())
    signals_all = signal_figures.signals_tally(window, "all")
    months = [month.strftime("%Y-%m") for month in period.months()]
    signals = [
        builder.table(
            Spec(
                "signals_by_month",
                gettext_lazy("Signals per month"),
                gettext_lazy("signals"),
                [(m, _month_label(m)) for m in months],
                chart=ChartKind.MONTHS,
                more_is_good=True,
            ),
            signal_figures.signals_tally(window, "month"),
            previous_key=_a_year_later,
        ),
        builder.table(SOURCES, signal_figures.sources_tally(window)),
        builder.table(ENTRY_POINTS, signal_figures.signals_tally(window, "entry_point")),
        builder.table(FORMS, signal_figures.signals_tally(window, "form"), totals=signals_all),
        builder.table(ROUTINGS, signal_figures.signals_tally(window, "routing")),
        builder.table(CLOSE_REASONS, signal_figures.signals_tally(window, "close_reason")),
    ]
    persons = []
    for role in (PersonRole.POSSIBLE_VICTIM, PersonRole.POSSIBLE_PERPETRATOR):
        for spec, breakdown in _person_specs(role):
            counts = signal_figures.persons_tally(window, role, breakdown)
            if breakdown == "nationality_country":
                counts = regroup(counts, lambda code: group_of(code).value)
            persons.append(builder.table(spec, counts))
    outcomes = case_figures.victim_outcomes_tally(window)
    persons.append(
        builder.table(
            OUTCOMES,
            [t for t in outcomes if t[2] != ""],
            totals=[t for t in outcomes if t[2] == ""],
        )
    )
    interventions = case_figures.interventions_tally(window)
    work = [
        builder.table(CASES, case_figures.cases_tally(window)),
        builder.table(DISCUSSED, meeting_figures.discussed_tally(window)),
        builder.table(
            INTERVENTION_GROUPS,
            regroup(
                interventions, lambda kind: case_figures.INTERVENTION_GROUP[InterventionKind(kind)]
            ),
        ),
        builder.table(INTERVENTION_KINDS, interventions),
    ]
    now = signal_figures.overdue_now_tally(area.municipality_ids) + (
        case_figures.agreements_overdue_now_tally(area.municipality_ids)
    )
    key = _key_figures(signals[0], persons, work)
    return [
        Section("key", gettext_lazy("Key figures"), [key]),
        Section("signals", gettext_lazy("Signals"), signals),
        Section("persons", gettext_lazy("Possible victims and perpetrators"), persons),
        Section("work", gettext_lazy("Cases, meetings and interventions"), work),
        Section(
            "speed",
            gettext_lazy("Speed of the reporting route"),
            [*_step_tables(builder, window), builder.table(OVERDUE, now)],
        ),
        Section("trainings", gettext_lazy("Trainings"), _training_tables(area, window)),
    ]


# --- Trainings (network/figures.py) -----------------------------------------------------------

TRAININGS = Spec(
    "trainings",
    gettext_lazy("Trainings given and who was reached"),
    "",
    (
        ("sessions", gettext_lazy("Trainings given")),
        ("participants", gettext_lazy("People trained")),
        ("organisations", gettext_lazy("Organisations reached")),
        ("route_presented", gettext_lazy("Trainings at which the reporting route was presented")),
    ),
    additive=False,
    more_is_good=True,
    note=gettext_lazy(
        "People are counted per training: who attended two trainings counts twice. For a "
        "region an organisation trained in two of its municipalities counts in both."
    ),
)
TRAININGS_BY_AUDIENCE = Spec(
    "trainings_by_audience",
    gettext_lazy("Trainings by audience"),
    gettext_lazy("trainings"),
    _choices(Audience),
    more_is_good=True,
)
TRAININGS_BY_SECTOR = Spec(
    "trainings_by_sector",
    gettext_lazy("Trainings by sector"),
    gettext_lazy("trainings"),
    _choices(TrainingSector),
    more_is_good=True,
)
TRAINED_BY_AUDIENCE = Spec(
    "trained_by_audience",
    gettext_lazy("People trained by audience"),
    gettext_lazy("people"),
    _choices(Audience),
    more_is_good=True,
)
TRAINED_BY_SECTOR = Spec(
    "trained_by_sector",
    gettext_lazy("People trained by sector"),
    gettext_lazy("people"),
    _choices(TrainingSector),
    more_is_good=True,
)


def _training_tables(area: Area, window: Window) -> list[Table]:
    """Trainings are counted as they are, for every reader: the disclosure rule protects the
    persons behind signals and cases, and a training's counts are of partners' staff who
    attended it, from which nothing about a person at risk can be worked out (docs/privacy.md)."""
    builder = _Builder(area, Disclosure(protect=False, threshold=area.threshold))
    by_audience = training_figures.sessions_tally(window, "audience")
    trained_by_audience = training_figures.participants_tally(window, "audience")
    route = [
        (period, municipality, "route_presented", n)
        for period, municipality, key, n in training_figures.sessions_tally(
            window, "reporting_route_presented"
        )
        if key == "True"
    ]
    # Every training and every person trained has one audience: their sums are the totals.
    summary = (
        [(p, m, "sessions", n) for p, m, _k, n in by_audience]
        + [(p, m, "participants", n) for p, m, _k, n in trained_by_audience]
        + [
            (p, m, "organisations", n)
            for p, m, _k, n in training_figures.organisations_tally(window)
        ]
        + route
    )
    return [
        builder.table(TRAININGS, summary),
        builder.table(TRAININGS_BY_AUDIENCE, by_audience),
        builder.table(TRAININGS_BY_SECTOR, training_figures.sessions_tally(window, "sector")),
        builder.table(TRAINED_BY_AUDIENCE, trained_by_audience),
        builder.table(TRAINED_BY_SECTOR, training_figures.participants_tally(window, "sector")),
    ]


def _key_figures(by_month: Table, persons: list[Table], work: list[Table]) -> Table:
    """The headline: each a total of a table below, with the trend against the previous
    period (DOMAIN.md §8: more signals and more victims identified is good news)."""
    tables = {t.key: t for t in [by_month, *persons, *work]}

    def total(key: str, label: str | Promise, more_is_good: bool) -> Row:
        row = tables[key].total
        if row is None:
            raise LookupError(f"{key} has no total")
        return Row(key, label, row.cell, row.previous, _trend(row.cell, row.previous, more_is_good))

    opened = next(r for r in tables["cases"].rows if r.key == "opened")
    return Table(
        key="key_figures",
        title=gettext_lazy("Key figures"),
        unit="",
        rows=[
            total("signals_by_month", gettext_lazy("Signals"), True),
            total(
                f"{PersonRole.POSSIBLE_VICTIM}_by_sex",
                gettext_lazy("Possible victims named in signals"),
                True,
            ),
            total(
                f"{PersonRole.POSSIBLE_PERPETRATOR}_by_sex",
                gettext_lazy("Possible perpetrators named in signals"),
                False,
            ),
            Row(
                "cases_opened",
                gettext_lazy("Cases opened"),
                opened.cell,
                opened.previous,
                opened.trend,
            ),
            total("interventions_by_group", gettext_lazy("Interventions executed"), False),
            total("victims_by_outcome", gettext_lazy("Possible victims helped"), True),
        ],
        additive=False,
        show_trend=True,
    )


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return formats.date_format(date(int(year), int(month), 1), "M Y")


def _a_year_later(key: str) -> str:
    year, month = key.split("-")
    return f"{int(year) + 1}-{month}"
