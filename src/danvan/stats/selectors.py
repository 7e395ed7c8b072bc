"""Every figure danvan shows is computed here, so a number is the same on every page."""

import contextvars
import datetime
import operator
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import reduce

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from danvan.areas.models import Area
from danvan.initiatives.catalogues import (
    REGISTERED_STATUSES,
    Aggregation,
    ContributionKind,
    Field,
    RegistrationKind,
    Status,
)
from danvan.initiatives.models import Indicator, Initiative
from danvan.orgs.models import Organisation
from danvan.stats.cover import Cover, cover_of
from danvan.stats.direct import initiative_figures_direct
from danvan.stats.lineage import is_current, territory_parts
from danvan.stats.models import (
    ALL_YEARS,
    AS_WAS,
    MODES,
    NATIONAL,
    RESTATED,
    WHOLE_YEAR,
    ContributionDayRollup,
    ContributionDetailDayRollup,
    ContributionDetailRollup,
    ContributionKindRollup,
    ContributionRollup,
    InitiativeRollup,
    KindRollup,
    RegisteringRollup,
    ResultRollup,
    SummaryAllYearsRollup,
    SummaryRollup,
    registering_among,
    registering_column,
)
from danvan.stats.rollups_base import ledger_amount
from danvan.stats.shape import (
    CONTRIBUTION_GROUPS,
    COUNT_MEASURES,
    FIGURE_MEASURES,
    GROUPS,
    LEDGER_MEASURES,
    MONTH_GROUPS,
    as_list,
    check_mode,
    columns_for,
    finish,
    merge,
    output_names,
)


def initiative_contribution_totals(*, initiative: Initiative) -> dict[str, dict[str, int]]:
    """Return, per contribution kind, the corrected amount and contributors, and how many
    entries were recorded (corrections adjust an entry; they are not entries of their own)."""
    totals = {
        kind: {"amount": 0, "contributors": 0, "entries": 0} for kind in ContributionKind.values
    }
    rows = (
        initiative.contributions.values("kind")
        .annotate(
            amount=Sum("amount"),
            contributors=Sum("contributors"),
            entries=Count("id", filter=Q(corrects__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        totals[row["kind"]] = {
            "amount": ledger_amount(row["kind"], row["amount"]),
            "contributors": row["contributors"] or 0,
            "entries": row["entries"],
        }
    return totals


def built_and_replicated(*, initiatives: QuerySet[Initiative]) -> dict[str, int]:
    """Count ``initiatives`` built where they are and replicated from elsewhere ("built and
    replicated" in the reports), in one query."""
    counts = initiatives.aggregate(
        built=Count("id", filter=Q(replicated_from__isnull=True)),
        replicated=Count("id", filter=Q(replicated_from__isnull=False)),
    )
    return {"built": counts["built"], "replicated": counts["replicated"]}


# --- figures from the rollups ----------------------------------------------------------------

# What ``SummaryRollup`` can be grouped by; other groupings read ``InitiativeRollup``.
SUMMARY_GROUPS = frozenset({"year", "field", "status", "level"})
# What the tables by kind of organisation are keyed by (dated: by the entries' dates too).
KIND_GROUPS = frozenset({"year", "status", "org_kind", "level"})
KIND_DATED_GROUPS = KIND_GROUPS | {"contribution_year", "contribution_month"}


def _summary_answers(group_by: Sequence[str], org_kind: str | None) -> bool:
    """Whether ``SummaryRollup`` (keyed without registration kind, replication and kind of
    organisation) answers a question grouped by ``group_by`` and filtered by ``org_kind``."""
    return set(group_by) <= SUMMARY_GROUPS and org_kind is None


def _summary_table(group_by: Sequence[str], year_from: int | None, year_to: int | None):
    """The summary's rows of every year (``SummaryAllYearsRollup``) when no registration year
    is asked or grouped by, else its rows by year."""
    if year_from is None and year_to is None and "year" not in group_by:
        return SummaryAllYearsRollup.objects.all()
    return SummaryRollup.objects.all()


def _kinds_answer(group_by: Sequence[str], field) -> bool:
    """Whether the tables by kind of organisation (``KindRollup`` and its dated pair, keyed
    without field, registration kind and replication) answer a question grouped by
    ``group_by`` and filtered by ``field``."""
    return set(group_by) <= KIND_DATED_GROUPS and field is None


def reads_every_dimension(group_by: Sequence[str], *, field, org_kind: str | None) -> bool:
    """Whether a question grouped by ``group_by`` under these filters reads the rollups keyed
    by every dimension (``InitiativeRollup``, and dated ``ContributionDetailRollup``): neither
    the summary nor the tables by kind of organisation answer it."""
    return not _summary_answers(group_by, org_kind) and not _kinds_answer(group_by, field)


def _dims(queryset, *, year_from, year_to, field, status, org_kind=None, **_):
    if org_kind is not None:
        # A column of the detail and kind tables' keys: PostgreSQL tests it on the index entries and
        # fetches only the kind's rows.
        queryset = queryset.filter(org_kind=org_kind)
    if year_from is not None:
        queryset = queryset.filter(year__gte=year_from)
    if year_to is not None:
        queryset = queryset.filter(year__lte=year_to)
    if (fields := as_list(field)) is not None:
        queryset = queryset.filter(field__in=fields)
    if (statuses := as_list(status)) is not None:
        queryset = queryset.filter(status__in=statuses)
    return queryset


def _scoped(queryset, *, area, mode, within: Q | None = None, **scope):
    """Filter rollup rows to ``area``'s territory and the dimensions, and to ``within`` (the
    days or months of a period).

    The territory is the same in both boundary modes (see ``danvan.stats.lineage``): a current
    unit is its restated node, a unit that ended its as-was node and those of the current units
    that took over its land alone. The mode decides only the breakdown by unit.

    ``within`` is spread over the territory's parts (``_spread``): a legacy province's days of
    March and November, 130 ms when applied after its nodes, 3 ms spread over them.
    """
    check_mode(mode)
    parts = [Q(mode=part_mode, area_id=part_node) for part_mode, part_node in territory_parts(area)]
    return _dims(queryset.filter(_spread(parts, within)), **scope)


def _spread(parts: list[Q], within: Q | None) -> Q:
    """``(part or part…) and within`` written as one arm per (part, arm of ``within``).

    Each part names rows by the tables' leading key columns (mode and node), each arm of a
    period by the dated columns after them, so every arm is one range of the key. Left as
    (part or part) and (span or span), PostgreSQL reads every dated row of the parts' nodes and
    tests each against the spans."""
    spans = [Q()] if within is None else _arms(within)
    condition = Q(pk__in=[])
    for part in parts:
        for span in spans:
            condition |= part & span
    return condition


def _arms(condition: Q) -> list[Q]:
    """The arms of an OR condition (the condition itself when it is not one)."""
    if condition.connector != Q.OR or condition.negated or len(condition.children) < 2:
        return [condition]
    return [child if isinstance(child, Q) else Q(child) for child in condition.children]


def level_from_rollups(area: Area | None, mode: str) -> bool:
    """Whether the breakdown by unit of ``area`` in ``mode`` is its node's children in that
    mode: the country, a current unit restated and a unit that ended as it was with no later
    units. Other readings cross schemes: their rows are covered by other nodes
    (``danvan.stats.cover``)."""
    if area is None:
        return True
    if is_current(area):
        return mode == RESTATED
    return mode == AS_WAS and len(territory_parts(area)) == 1


def _unit_cover(area: Area | None, mode: str) -> Cover | None:
    """The cover of a breakdown by unit that crosses schemes; None for a node's children."""
    return None if level_from_rollups(area, mode) else cover_of(area, mode)


def _unit_rows(source, scope: dict, columns: list[str], aggregates: dict, within: Q, cover) -> list:
    """Rows of the breakdown by unit: the children of the scope's node (``_level_rows``), or
    the rows of the nodes of ``cover``, each added to (or taken from) its breakdown row;
    ``within`` narrows them to a part of a period (``_periods``)."""
    if cover is None:
        return _level_rows(source, scope, columns, aggregates, within)
    if not cover.terms:
        return []
    others = [column for column in columns if column != "area_id"]
    parts = [Q(mode=mode, area_id__in=nodes) for mode, nodes in cover.nodes().items()]
    found = _grouped(
        _dims(source.filter(_spread(parts, within)), **scope),
        ["mode", "area_id", *others],
        **aggregates,
    )
    return cover.fold(found, aggregates)


def _children(area: Area | None) -> list[int]:
    """The ids of ``area``'s children (the provinces for the country), read once per
    question (a dated question reads them for each of its tables): as a subquery the planner
    may join the whole rollup table with them instead of reading each child's rows by key."""
    memo = _children_read.get()
    key = area.pk if area else None
    if memo is not None and key in memo:
        return memo[key]
    children = list(Area.objects.filter(parent=area).values_list("pk", flat=True))
    if memo is not None:
        memo[key] = children
    return children


# The children read so far by the question being answered (``_children``), or None.
_children_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "children_read", default=None
)


@contextmanager
def children_remembered():
    """Inside this block (one page's or one answer's reading), each unit's children are read
    once, however many of its questions break the figures down by them."""
    if _children_read.get() is not None:
        yield
        return
    token = _children_read.set({})
    try:
        yield
    finally:
        _children_read.reset(token)


def _level_rows(source, scope: dict, columns: list[str], aggregates: dict, within: Q) -> list:
    """Rows of the children of the scope's unit, and rows (``area_id`` None) of what the unit
    holds that no child does: the unit's total minus its children's, group by group."""
    area, mode = scope["area"], scope["mode"]
    check_mode(mode)
    children = _children(area)
    own = source.filter(_spread([Q(mode=mode, area_id=area.pk if area else NATIONAL)], within))
    below = source.filter(_spread([Q(mode=mode, area_id__in=children)], within))
    others = [column for column in columns if column != "area_id"]
    child_rows = _grouped(_dims(below, **scope), columns, **aggregates)
    parent_rows = _grouped(_dims(own, **scope), others, **aggregates)
    rows = list(child_rows)
    rows += [{**row, "area_id": None} for row in parent_rows]
    rows += [
        {
            **{name: (-(v or 0) if name in aggregates else v) for name, v in row.items()},
            "area_id": None,
        }
        for row in child_rows
    ]
    return rows


def initiative_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    group_by: Sequence[str] = (),
    org_kind: str | None = None,
) -> list[dict]:
    """Return initiatives (built / replicated, new / continued, exemplary, registered by the
    reviewer) and what they mobilised, for ``area``'s node (the country when None), grouped by
    ``group_by``; only those of organisations of ``org_kind`` when given.

    Reads only the rollups: one indexed query whatever the size of the ledgers. A breakdown
    by unit that crosses schemes (``level_from_rollups`` False) reads the nodes that cover its
    rows (``danvan.stats.cover``).
    """
    columns = columns_for(group_by, GROUPS)
    names = output_names(group_by)
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year_from,
        "year_to": year_to,
        "field": field,
        "status": status,
        "org_kind": org_kind,
    }
    cover = _unit_cover(area, mode) if "level" in group_by else None
    ledger = {f"s_{m}": Sum(m) for m in LEDGER_MEASURES[:-1]}
    summary = _summary_answers(group_by, org_kind)
    if summary or _kinds_answer(group_by, field):
        # The summary, or the table by kind of organisation, answers without the keys it
        # folds: a few hundred rows a province.
        source = _summary_table(group_by, year_from, year_to) if summary else KindRollup.objects
        aggregates = dict(
            n_all=Sum("initiatives"),
            n_built=Sum("initiatives") - Sum("replicated"),
            n_replicated=Sum("replicated"),
            n_new=Sum("initiatives") - Sum("continued"),
            n_continued=Sum("continued"),
            n_exemplary=Sum("exemplary"),
            n_registered=Sum("initiatives", filter=Q(status__in=REGISTERED_STATUSES)),
            **ledger,
        )
    else:
        source = InitiativeRollup.objects
        aggregates = dict(
            n_all=Sum("initiatives"),
            n_built=Sum("initiatives", filter=Q(replicated=False)),
            n_replicated=Sum("initiatives", filter=Q(replicated=True)),
            n_new=Sum("initiatives", filter=Q(registration_kind=RegistrationKind.NEW)),
            n_continued=Sum("initiatives", filter=Q(registration_kind=RegistrationKind.CONTINUED)),
            n_exemplary=Sum("exemplary"),
            n_registered=Sum("initiatives", filter=Q(status__in=REGISTERED_STATUSES)),
            **ledger,
        )
    if "level" in group_by:
        rows = _unit_rows(source, scope, columns, aggregates, Q(), cover)
    else:
        rows = _grouped(_scoped(source, **scope), columns, **aggregates)
    merged = merge(
        columns,
        names,
        rows,
        [
            ("initiatives", "n_all"),
            *((m, f"n_{m}") for m in COUNT_MEASURES[1:]),
            *((m, f"s_{m}") for m in LEDGER_MEASURES[:-1]),
        ],
    )
    return finish(merged, FIGURE_MEASURES)


def _month_after(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# The dated pairs (month table, day table): by field and status; by kind of organisation and
# status (its days read from the table by every dimension: see ``ContributionKindRollup``);
# by every dimension. The last two keep year rows (``c_month`` 0) in their month table.
MONTHS, KINDS, DETAIL = "months", "kinds", "detail"
DATED_PAIRS = {
    MONTHS: (ContributionRollup, ContributionDayRollup),
    KINDS: (ContributionKindRollup, ContributionDetailDayRollup),
    DETAIL: (ContributionDetailRollup, ContributionDetailDayRollup),
}


def _dated_pair(group_by: Sequence[str], field, org_kind: str | None) -> str:
    """The smallest dated pair keyed by what a question groups and filters by."""
    if set(group_by) <= set(MONTH_GROUPS) and org_kind is None:
        return MONTHS
    return KINDS if _kinds_answer(group_by, field) else DETAIL


def _periods(
    start: datetime.date | None, cutoff: datetime.date | None, pair=MONTHS, by_month=False
) -> list:
    """Split the days from ``start`` to ``cutoff`` (both included, either open) into what the
    monthly table answers and what the daily table answers: the whole months in between, and
    the days of a month the period starts or ends inside of. Every pair (``DATED_PAIRS``)
    answers the whole years in between by its month table's year rows, unless the rows are
    asked ``by_month``.

    Return (table, condition) pairs; ``condition`` narrows that table's rows to its part.
    """
    months, days = (model.objects for model in DATED_PAIRS[pair])
    head_end = tail_start = None
    if start is not None and start.day != 1:
        head_end = _month_after(start) - datetime.timedelta(days=1)
    if cutoff is not None and _month_after(cutoff) - datetime.timedelta(days=1) != cutoff:
        tail_start = cutoff.replace(day=1)
    if head_end is not None and cutoff is not None and head_end >= cutoff:
        return [(days, _days((start, cutoff)))]
    spans = []
    if head_end is not None:
        spans.append((start, head_end))
    if tail_start is not None:
        spans.append((tail_start, cutoff))
    # The days at both ends of the period are read in one query.
    pieces = [(days, _days(*spans))] if spans else []
    first = _month_after(head_end) if head_end is not None else start
    last = tail_start - datetime.timedelta(days=1) if tail_start is not None else cutoff
    if first is None or last is None or first <= last:
        if by_month:
            pieces.append((months, _months(first, last)))
        else:
            pieces.append((months, _months_and_years(first, last)))
    return pieces


def _days(*spans: tuple[datetime.date, datetime.date]) -> Q:
    """The daily table's rows of the days of ``spans``, each ``(first, last)`` two days of one
    month.

    Every arm also names all the spans' years and months (``c_year IN … AND c_month IN …``):
    PostgreSQL takes a condition found alike in every arm of an OR into the index's key
    range, so the index is read for those months only, not for every day of the node's
    years (a legacy province restated by commune, 15-31 March and 1-15 November: 40,388 rows
    read, 31 ms, against 6,761 and 10 ms)."""
    common = Q()
    if len(spans) > 1:  # one span's own year and month are that already
        common = Q(
            c_year__in=sorted({first.year for first, _ in spans}),
            c_month__in=sorted({first.month for first, _ in spans}),
        )
    return reduce(
        operator.or_,
        (
            common
            & Q(c_year=first.year, c_month=first.month, c_day__gte=first.day, c_day__lte=last.day)
            for first, last in spans
        ),
    )


def _months(first: datetime.date | None, last: datetime.date | None) -> Q:
    """The monthly table's rows of the months from ``first``'s to ``last``'s (open when None),
    without its year rows (``c_month`` 0).

    Written as an OR of ranges of the key, one per year part (the first year's months, the
    years between, the last year's months), each a range of the key by itself: written as
    ``(before the end) AND (after the start)``, each side an OR, PostgreSQL also read the
    index for the years after a period that ends this year, which hold nothing yet."""

    def months(year_q: Q, low: int | None, high: int | None) -> Q:
        condition = year_q & Q(c_month__gte=low or 1)
        if high is not None:
            condition &= Q(c_month__lte=high)
        return condition

    if first is not None and last is not None and first.year == last.year:
        return months(Q(c_year=first.year), first.month, last.month)
    arms = []
    if first is not None:
        arms.append(months(Q(c_year=first.year), first.month, None))
    if first is None or last is None or last.year - first.year > 1:
        between = Q()
        if first is not None:
            between &= Q(c_year__gt=first.year)
        if last is not None:
            between &= Q(c_year__lt=last.year)
        arms.append(months(between, None, None))
    if last is not None:
        arms.append(months(Q(c_year=last.year), None, last.month))
    return reduce(operator.or_, arms)


def _months_and_years(first: datetime.date | None, last: datetime.date | None) -> Q:
    """A month table's rows of the months from ``first``'s to ``last``'s (open when None):
    the months of a year the span starts or ends inside of by month, the whole
    years between by their year rows, in one query."""
    parts = []
    years_from = None if first is None else first.year
    years_to = None if last is None else last.year
    if first is not None and last is not None and first.year == last.year:
        if first.month != 1 or last.month != 12:
            parts.append(Q(c_year=first.year, c_month__gte=first.month, c_month__lte=last.month))
            years_from, years_to = first.year + 1, first.year
    else:
        if first is not None and first.month != 1:
            parts.append(Q(c_year=first.year, c_month__gte=first.month))
            years_from = first.year + 1
        if last is not None and last.month != 12:
            parts.append(Q(c_year=last.year, c_month__gte=1, c_month__lte=last.month))
            years_to = last.year - 1
    if years_from is None or years_to is None or years_from <= years_to:
        whole = Q(c_month=WHOLE_YEAR)
        if years_from is not None:
            whole &= Q(c_year__gte=years_from)
        if years_to is not None:
            whole &= Q(c_year__lte=years_to)
        parts.append(whole)
    return reduce(operator.or_, parts)


def _ledger(pieces, scope: dict, columns: list[str], level=False, cover=None) -> list[dict]:
    """Rows of every (table, condition) piece of the period; ``merge`` adds them up."""
    aggregates = {f"s_{m}": Sum(m) for m in LEDGER_MEASURES}
    rows: list[dict] = []
    with children_remembered():
        for source, within in pieces:
            if level:
                rows += _unit_rows(source, scope, columns, aggregates, within, cover)
            else:
                scoped = _scoped(source, within=within, **scope)
                rows += _grouped(scoped, columns, **aggregates)
    return rows


def _grouped(queryset, columns: list[str], **aggregates) -> list[dict]:
    """Return one row per group of ``columns``, or the one total row when there are none
    (``.values()`` without fields would group by every column instead)."""
    if columns:
        return list(queryset.values(*columns).annotate(**aggregates).order_by())
    return [queryset.aggregate(**aggregates)]


def _all_time_table(group_by: Sequence[str], scope: dict) -> QuerySet:
    """The table holding the all-time ledger totals by ``group_by`` in ``scope``: the
    summary's or the kinds' few rows when their keys answer, else the initiatives' rows by
    every dimension."""
    org_kind, field = scope["org_kind"], scope["field"]
    if _summary_answers(group_by, org_kind):
        return _summary_table(group_by, scope["year_from"], scope["year_to"])
    if _kinds_answer(group_by, field):
        return KindRollup.objects.all()
    return InitiativeRollup.objects.all()


def _first_year() -> int:
    """The first registration year the country has figures for, cached for ten minutes: it
    only decides which way a cut-off is read, both ways are exact."""

    def read() -> int:
        found = SummaryRollup.objects.filter(mode__in=MODES, area_id=NATIONAL).aggregate(
            first=Min("year")
        )["first"]
        return found or timezone.localdate().year

    return cache.get_or_set("stats:first-year", read, 600)


def _fewer_after(cutoff: datetime.date, year_from: int | None) -> bool:
    """Whether fewer months are dated after ``cutoff`` (up to today) than before it (from the
    first registration year counted): a round's cut-off is weeks old, the figures go back
    years. Then the figures to the cut-off are read as the all-time totals (a few rows a
    key) minus the rows dated after it, instead of every month and day before it."""
    today = timezone.localdate()
    first = year_from if year_from is not None else _first_year()
    after = (today.year - cutoff.year) * 12 + today.month - cutoff.month
    before = (cutoff.year - first) * 12 + cutoff.month
    return after < before


def contribution_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    start: datetime.date | None = None,
    cutoff: datetime.date | None = None,
    group_by: Sequence[str] = (),
    org_kind: str | None = None,
) -> list[dict]:
    """Return contributions by kind, optionally only entries dated from ``start`` up to
    ``cutoff`` (both days included), and only to initiatives of organisations of ``org_kind``
    when given.

    The rollups hold months and days: the whole months of the period (a round's cut-off of
    30 November) are read by month, the days of a month it starts or ends inside of (a
    cut-off of 15 November) by day, so every period is exact and read from the rollups; no
    dated question reads the ledger.
    ``year_from``/``year_to`` filter the initiatives' registration year; group also by
    ``contribution_year`` / ``contribution_month``. Each question reads the smallest dated
    pair keyed by what it groups and filters by (``_dated_pair``): by field and status
    (``ContributionRollup``), by kind of organisation and status (``ContributionKindRollup``,
    when neither field nor registration kind nor replication is asked), else by every
    dimension (``ContributionDetailRollup``); each with its day table. A breakdown by unit that
    crosses schemes reads the nodes that cover its rows, as ``initiative_figures`` does.
    """
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year_from,
        "year_to": year_to,
        "field": field,
        "status": status,
        "org_kind": org_kind,
    }
    by_month = {"contribution_year", "contribution_month"} & set(group_by)
    pair = _dated_pair(group_by, field, org_kind)
    after = None
    if start is None and cutoff is None and not by_month:
        # All-time totals: the initiatives' rows carry them, by every dimension.
        columns = columns_for(group_by, GROUPS)
        pieces = [(_all_time_table(group_by, scope), Q())]
    elif start is None and not by_month and _fewer_after(cutoff, year_from):
        # A recent cut-off: the all-time totals minus what is dated after it.
        columns = columns_for(group_by, GROUPS)
        pieces = [(_all_time_table(group_by, scope), Q())]
        after = _periods(cutoff + datetime.timedelta(days=1), None, pair=pair)
    else:
        columns = columns_for(group_by, CONTRIBUTION_GROUPS)
        pieces = _periods(
            start,
            cutoff,
            pair=pair,
            by_month="contribution_month" in group_by,
        )
    level = "level" in group_by
    cover = _unit_cover(area, mode) if level else None
    rows = _ledger(pieces, scope, columns, level=level, cover=cover)
    if after is not None:
        rows += [
            {name: (-(v or 0) if name.startswith("s_") else v) for name, v in row.items()}
            for row in _ledger(after, scope, columns, level=level, cover=cover)
        ]
    merged = merge(columns, output_names(group_by), rows, [(m, f"s_{m}") for m in LEDGER_MEASURES])
    return finish(merged, LEDGER_MEASURES)


def result_figures(
    *, area: Area | None = None, mode: str = AS_WAS, year: int, indicator: Indicator
) -> dict:
    """Return one indicator's figure for ``year`` (of the period's end) under ``area``'s node,
    combined by the indicator's own rule: sum, average, latest or maximum.

    A percentage is never summed (the catalogue forbids a percent indicator with the sum
    rule) and one indicator has one unit, so units never mix.
    """
    check_mode(mode)
    condition = Q(pk__in=[])
    for part_mode, part_node in territory_parts(area):
        condition |= Q(mode=part_mode, area_id=part_node)
    parts = list(ResultRollup.objects.filter(condition, year=year, indicator_id=indicator.pk))
    count = sum(part.count for part in parts)
    value: Decimal | None = None
    if count:
        scale = Decimal(10_000)
        total_e4 = sum(part.total_e4 for part in parts)
        held = [part for part in parts if part.count]
        latest = max(held, key=lambda part: (part.latest_end, part.latest_id))
        if indicator.aggregation == Aggregation.SUM:
            value = Decimal(total_e4) / scale
        elif indicator.aggregation == Aggregation.AVERAGE:
            value = (Decimal(total_e4) / scale / count).quantize(Decimal("0.0001"))
        elif indicator.aggregation == Aggregation.LATEST:
            value = Decimal(latest.latest_e4) / scale
        elif indicator.aggregation == Aggregation.MAX:
            value = Decimal(max(part.max_e4 for part in held)) / scale
    return {
        "indicator": indicator.code,
        "unit": indicator.unit,
        "aggregation": indicator.aggregation,
        "count": count,
        "value": value,
    }


def registering_units(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    org_kind: str | None = None,
) -> int:
    """Count the distinct organisations (of ``org_kind`` when given) that registered
    initiatives in scope.

    A distinct count does not add up across the figures' rollup rows (one unit registers in
    several years and fields). It is read from ``RegisteringRollup``, one row per
    organisation, node and year (and one for all years): the rows whose initiatives of the
    asked fields and statuses are more than none. A single year or all years is one row per
    organisation of the territory; a range of years counts the organisations of its years'
    rows once.
    """
    check_mode(mode)
    fields, statuses = as_list(field), as_list(status)
    wanted = [
        registering_column(one_field, one_status)
        for one_field in (Field.values if fields is None else fields)
        for one_status in (Status.values if statuses is None else statuses)
    ]
    if not wanted:
        return 0
    parts = territory_parts(area)
    condition = Q(pk__in=[])
    for part_mode, part_node in parts:
        condition |= Q(mode=part_mode, area_id=part_node)
    rows = RegisteringRollup.objects.filter(condition)
    single = year_from == year_to  # both None: every year
    if year_from is None and year_to is None:
        rows = rows.filter(year=ALL_YEARS)
    elif year_from == year_to:
        rows = rows.filter(year=year_from)
    else:
        rows = rows.exclude(year=ALL_YEARS)
        if year_from is not None:
            rows = rows.filter(year__gte=year_from)
        if year_to is not None:
            rows = rows.filter(year__lte=year_to)
    # Written as the partial indexes' conditions are: the counts with no field or status
    # chosen read an index's entries.
    rows = rows.filter(registering_among(wanted))
    if org_kind is not None:
        # An organisation's kind is read where it is kept: a change of kind needs no upkeep.
        rows = rows.filter(
            organisation_id__in=Organisation.objects.filter(kind=org_kind).values("pk")
        )
    if single and len(parts) == 1:
        return rows.count()
    # An organisation registering in several years of a range, or under two parts of an
    # ended unit's territory, is one unit.
    return rows.values("organisation_id").distinct().count()


def award_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """Return, per award stage and level, how many awards there are and how many distinct
    initiatives hold one ("recognised at province level", "nominated", "commended").

    A distinct count of initiatives adds up across rollup rows, an initiative being in one row
    of a level: read from the recognition rollups (``danvan.stats.recognition``).
    """
    from danvan.stats.recognition import award_figures as from_rollups

    return from_rollups(area=area, mode=mode, year_from=year_from, year_to=year_to, field=field)


def recognised_initiatives(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
) -> int:
    """Count the distinct initiatives in scope holding an award at one of ``stages``; by
    default recognised, nominated to the next level or commended, i.e. the initiatives
    recognised at some level ("32 models were recognised").

    ``award_figures`` counts initiatives per stage and level, and one initiative recognised at
    two levels is in two of its rows, so its rows do not add up to this: it is counted once,
    with the same scope as ``award_figures``, from the recognition rollups' rows of every level
    (``danvan.stats.recognition``).
    """
    from danvan.stats.recognition import recognised_initiatives as from_rollups

    return from_rollups(
        area=area, mode=mode, year_from=year_from, year_to=year_to, field=field, stages=stages
    )


def round_scope(*, round) -> dict:
    """Return the scope a registration round stands for: its unit, its year, and its cut-off
    date (contributions counted up to that day)."""
    return {
        "area": round.area,
        "year_from": round.year,
        "year_to": round.year,
        "cutoff": round.cutoff_on,
    }


def cumulative_since(
    year: int,
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    group_by: Sequence[str] = ("field",),
) -> dict:
    """Return the totals since ``year`` ("since 2013 … built and replicated 19,300 models")
    and their breakdown by ``group_by`` (by field, as the reports give it).

    Counts are of models, not registrations: a model continued from year to year is
    registered each year and counted once, under its first registration in the period (so
    built + replicated is the distinct count, and the rows add up to the total). Read from
    ``ChainRollup``, whose rows key each registration by its predecessor (``danvan.stats.
    chains``), and grouped by registration kind, replication or organisation kind from
    ``ChainKindRollup`` (no field asked) or ``ChainDetailRollup``; by unit across schemes,
    from the base tables.
    """
    from danvan.stats.chains import cumulative_from_rollups  # it reads the selectors above

    found = cumulative_from_rollups(
        year,
        area=area,
        mode=mode,
        year_to=year_to,
        field=field,
        status=status,
        group_by=group_by,
    )
    if found is not None:
        return found
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year,
        "year_to": year_to,
        "field": field,
        "status": status,
    }
    rows = _since_from_base_tables(scope, group_by)
    return {"since": year, "total": _since_total(year, scope, group_by, rows), "rows": rows}


def _since_total(year: int, scope: dict, group_by: Sequence[str], rows: list[dict]) -> dict:
    """The total of ``cumulative_since`` where its grouping is read from the base tables: the
    one row itself when ungrouped, else the chain rows' total (they answer it wherever they
    answer nothing grouped), else the base tables ungrouped."""
    from danvan.stats.chains import cumulative_from_rollups  # it reads the selectors above

    if group_by:
        arguments = {name: value for name, value in scope.items() if name != "year_from"}
        whole = cumulative_from_rollups(year, group_by=(), **arguments)
        if whole is not None:
            return whole["total"]
        rows = _since_from_base_tables(scope, ())
    return rows[0] if rows else dict.fromkeys(FIGURE_MEASURES, 0)


def _since_from_base_tables(scope: dict, group_by: Sequence[str]) -> list[dict]:
    """Totals since a year the chain rows cannot group: the models counted from the
    initiatives (``initiative_figures_direct``, counts only), what their ledgers mobilised
    from the rollups (summed over every registration in scope, as the direct path sums them).
    Reading the ledgers from the base tables took minutes at national scale."""
    counted = initiative_figures_direct(
        **scope, group_by=group_by, distinct_models=True, ledger=False
    )
    amounts = initiative_figures(**scope, group_by=group_by)
    names = output_names(group_by)
    merged = {tuple(row[n] for n in names): row for row in counted}
    for row in amounts:
        key = tuple(row[n] for n in names)
        target = merged.setdefault(key, {n: row[n] for n in names})
        for measure in LEDGER_MEASURES[:-1]:
            target[measure] = row[measure]
    return finish(merged, FIGURE_MEASURES)
