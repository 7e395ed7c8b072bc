"""The dashboard's figures narrowed by its filters: field, kind of organisation, status, a
period of contribution dates, and one organisation.

The rollups are keyed by field, status and kind of organisation, so those filters are read
from them, each by its own filter (the kind of organisation from the tables that keep it). A
period of dates is read from them too: the ledger measures are the contributions dated inside it
(``contribution_figures``: its whole months by month, the days of a month it starts or ends
inside of by day, by kind of organisation too), and the initiatives counted are those
registered for the years the period touches. One filter the rollups cannot answer is read
from the base tables through its index, and says so:

* one organisation: the rollups do not keep organisations, so its initiatives and ledger are
  read by the ``organisation`` foreign key.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from danvan.areas.models import Area
from danvan.initiatives.catalogues import REGISTERED_STATUSES, RegistrationKind
from danvan.initiatives.models import Contribution, Initiative
from danvan.stats import selectors
from danvan.stats.lineage import territory_q
from danvan.stats.models import AS_WAS
from danvan.stats.shape import FIGURE_MEASURES, LEDGER_MEASURES, finish, merge, output_names
from danvan.stats.taking_part import CLASSES, day_moves, ledgers_of

# Measures the ledger gives (money … people); the counts come from the initiatives.
LEDGER_FIGURES = LEDGER_MEASURES[:-1]
AMOUNTS = ("money", "land", "labour", "in_kind")
COUNT_FIGURES = tuple(m for m in FIGURE_MEASURES if m not in LEDGER_FIGURES)
# Groups the organisation figures can be broken down by, and the initiative column of each.
ORGANISATION_GROUPS = {
    "organisation": "organisation_id",
    "field": "field",
    "year": "year",
    "org_kind": "organisation__kind",
}


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, already checked; None means "not filtered"."""

    field: str | None = None
    org_kind: str | None = None
    status: tuple[str, ...] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    organisation_id: int | None = None

    @property
    def statuses(self) -> tuple[str, ...]:
        """The statuses counted: the chosen one, else every registered status."""
        return self.status or tuple(REGISTERED_STATUSES)

    @property
    def has_period(self) -> bool:
        return self.start is not None or self.end is not None


def _years(year_from, year_to, filters: Filters) -> tuple[int | None, int | None]:
    """The registration years counted: the period's years when a period is chosen."""
    if filters.start is not None:
        year_from = filters.start.year if year_from is None else max(year_from, filters.start.year)
    if filters.end is not None:
        year_to = filters.end.year if year_to is None else min(year_to, filters.end.year)
    return year_from, year_to


def _key(row: dict, group_by: Sequence[str]) -> tuple:
    return tuple(row.get("area_id" if g == "level" else g) for g in group_by)


def figures(
    *,
    area: Area | None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    filters: Filters = Filters(),
    group_by: Sequence[str] = (),
    counts_only: bool = False,
) -> list[dict]:
    """Return ``initiative_figures`` rows narrowed by ``filters``.

    Counts and all-time ledger totals are read from the rollups; with a period, the ledger
    measures are replaced by the contributions dated inside it (see the module's note).
    ``counts_only``: the caller reads only the counts, so a period's dated ledger is not read
    (its ledger measures are then the all-time ones).
    """
    if filters.organisation_id is not None:
        return organisation_figures(
            area=area, year_from=year_from, year_to=year_to, filters=filters, group_by=group_by
        )
    scope = _scope(area, mode, year_from, year_to, filters)
    rows = selectors.initiative_figures(**scope, group_by=group_by)
    if not filters.has_period or counts_only:
        return rows
    dated = selectors.contribution_figures(
        **scope, start=filters.start, cutoff=filters.end, group_by=group_by
    )
    return _with_period(rows, dated, group_by)


def figures_each(
    *,
    area: Area | None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    filters: Filters = Filters(),
    groupings: Sequence[Sequence[str]],
) -> list[list[dict]]:
    """Return ``figures`` of one scope for each of ``groupings``, in their order.

    Under a period, or when one of them has to read the rollups keyed by every dimension (a
    field filter with a breakdown by kind of organisation, or a kind filter with a breakdown
    by field: see ``selectors.reads_every_dimension``), they are read once, grouped by all of
    their names together, and each is added up from those rows: one set of queries (under a
    period, its days and its months) instead of one per grouping. At national scale that was
    5-17 ms less a page under a period, even where each alone would read a smaller table.
    Otherwise each is read from its own smaller table: over all years without a period, the
    rollups by every dimension hold many more rows than the summary and the table by kind (a
    page over all years above a commune took 2-7 ms more read together). Breakdowns by unit
    are not taken here: they read the nodes below the scope instead.
    """
    if "level" in {name for grouping in groupings for name in grouping}:
        raise ValueError("figures_each does not take breakdowns by unit")
    arguments = {"area": area, "mode": mode, "year_from": year_from, "year_to": year_to}
    together = filters.has_period or any(
        selectors.reads_every_dimension(grouping, field=filters.field, org_kind=filters.org_kind)
        for grouping in groupings
    )
    if filters.organisation_id is not None or not together:
        return [figures(**arguments, filters=filters, group_by=g) for g in groupings]
    union = tuple(dict.fromkeys(name for grouping in groupings for name in grouping))
    scope = _scope(area, mode, year_from, year_to, filters)
    counted = selectors.initiative_figures(**scope, group_by=union)
    dated = None
    if filters.has_period:
        dated = selectors.contribution_figures(
            **scope, start=filters.start, cutoff=filters.end, group_by=union
        )
    answers = []
    for grouping in groupings:
        rows = _added_up(counted, grouping, FIGURE_MEASURES)
        if dated is not None:
            rows = _with_period(rows, _added_up(dated, grouping, LEDGER_MEASURES), grouping)
        answers.append(rows)
    return answers


def _added_up(rows: list[dict], group_by: Sequence[str], measures: Sequence[str]) -> list[dict]:
    """The rows of a finer grouping added up by ``group_by``, shaped as the selectors shape
    them (``shape.finish``: groups sorted, all-zero groups dropped). The finer rows the
    selector dropped were all zeros, so each group's sums, and whether it is dropped, are the
    coarser question's own."""
    names = output_names(group_by)
    return finish(merge(names, names, rows, [(m, m) for m in measures]), measures)


def _scope(area, mode, year_from, year_to, filters: Filters) -> dict:
    """The selectors' arguments for ``filters`` (a period's registration years among them)."""
    year_from, year_to = _years(year_from, year_to, filters)
    return {
        "area": area,
        "mode": mode,
        "year_from": year_from,
        "year_to": year_to,
        "field": filters.field,
        "status": filters.statuses,
        "org_kind": filters.org_kind,
    }


def _with_period(rows: list[dict], dated: list[dict], group_by: Sequence[str]) -> list[dict]:
    """The counted ``rows`` with their ledger measures replaced by the period's ``dated``
    rows of the same groups."""
    by_key = {_key(row, group_by): row for row in dated}
    for row in rows:
        ledger = by_key.pop(_key(row, group_by), {})
        for measure in LEDGER_FIGURES:
            row[measure] = ledger.get(measure, 0) or 0
    # Contributions in the period to initiatives outside the counted rows (none when the
    # groups are the same) still count.
    for key_row in by_key.values():
        rows.append({**key_row, **dict.fromkeys(COUNT_FIGURES, 0)})
    return rows


def totals(**kwargs) -> dict:
    """Return the one row of ``figures`` without groups (zeros when nothing matches)."""
    rows = figures(**kwargs, group_by=())
    return rows[0] if rows else dict.fromkeys(FIGURE_MEASURES, 0)


def _initiatives(area, year_from, year_to, filters: Filters):
    initiatives = Initiative.objects.filter(territory_q(area), status__in=filters.statuses)
    if filters.organisation_id is not None:
        initiatives = initiatives.filter(organisation_id=filters.organisation_id)
    if year_from is not None:
        initiatives = initiatives.filter(year__gte=year_from)
    if year_to is not None:
        initiatives = initiatives.filter(year__lte=year_to)
    if filters.field is not None:
        initiatives = initiatives.filter(field=filters.field)
    if filters.org_kind is not None:
        initiatives = initiatives.filter(organisation__kind=filters.org_kind)
    return initiatives


def organisation_figures(
    *,
    area: Area | None,
    year_from: int | None = None,
    year_to: int | None = None,
    filters: Filters = Filters(),
    group_by: Sequence[str] = ("organisation",),
) -> list[dict]:
    """Return the figures of the organisations of ``area``'s territory, grouped by
    ``group_by`` (``organisation``, ``field``, ``year``, ``org_kind``), from the base tables.

    The rollups do not keep organisations; a commune holds tens of them, so the initiatives
    and contributions are read through the area path and organisation indexes. Rows of
    ``organisation`` carry ``organisation_id``.
    """
    unknown = set(group_by) - set(ORGANISATION_GROUPS)
    if unknown:
        raise ValueError(f"cannot group organisation figures by {sorted(unknown)}")
    year_from, year_to = _years(year_from, year_to, filters)
    initiatives = _initiatives(area, year_from, year_to, filters)
    columns = {
        ("organisation_id" if g == "organisation" else g): ORGANISATION_GROUPS[g] for g in group_by
    }
    counted = initiatives.values(**{f"g_{k}": F(v) for k, v in columns.items()}).annotate(
        initiatives=Count("id"),
        built=Count("id", filter=Q(replicated_from__isnull=True)),
        replicated=Count("id", filter=Q(replicated_from__isnull=False)),
        new=Count("id", filter=Q(registration_kind=RegistrationKind.NEW)),
        continued=Count("id", filter=Q(registration_kind=RegistrationKind.CONTINUED)),
        exemplary=Count("id", filter=Q(exemplary=True)),
        registered=Count("id", filter=Q(status__in=REGISTERED_STATUSES)),
    )
    entries = Contribution.objects.filter(initiative__in=initiatives.values("pk"))
    if filters.start is not None:
        entries = entries.filter(date__gte=filters.start)
    if filters.end is not None:
        entries = entries.filter(date__lte=filters.end)
    ledger = entries.values(
        **{f"g_{k}": F(f"initiative__{v}") for k, v in columns.items()}
    ).annotate(**{f"{kind}": Sum("amount", filter=Q(kind=kind)) for kind in AMOUNTS})
    taking_part = _taking_part_rows(initiatives, columns, filters)
    rows: dict[tuple, dict] = {}
    for source in (counted.order_by(), ledger.order_by(), taking_part):
        for row in source:
            key = tuple(row[f"g_{k}"] for k in columns)
            target = rows.setdefault(
                key,
                {
                    **{k: row[f"g_{k}"] for k in columns},
                    **dict.fromkeys(FIGURE_MEASURES, 0),
                },
            )
            for measure in FIGURE_MEASURES:
                if measure in row:
                    target[measure] += row[measure] or 0
    return list(rows.values())


def _taking_part_rows(initiatives, columns: dict[str, str], filters: Filters) -> list[dict]:
    """Households and people taking part per group, as the rollups count them: each
    initiative's moves (``danvan.stats.taking_part``) on the days of the period, so a period
    reads what its days added and an end date the figure as it stood then."""
    entries = Contribution.objects.filter(initiative__in=initiatives.values("pk"))
    if filters.end is not None:
        entries = entries.filter(date__lte=filters.end)
    counted = [t for types in CLASSES.values() for t in types]
    found = (
        entries.filter(contributor_type__in=counted)
        .values(
            "initiative_id",
            "date",
            "kind",
            "contributor_type",
            **{f"g_{k}": F(f"initiative__{v}") for k, v in columns.items()},
        )
        .annotate(contributors=Sum("contributors"))
        .order_by()
    )
    ledgers = ledgers_of(found)
    groups = {row["initiative_id"]: {f"g_{k}": row[f"g_{k}"] for k in columns} for row in found}
    start = filters.start and (filters.start.year, filters.start.month, filters.start.day)
    rows = []
    for pk, ledger in ledgers.items():
        households = people = 0
        for day, (moved_households, moved_people) in day_moves(ledger).items():
            if start is None or day >= start:
                households += moved_households
                people += moved_people
        rows.append({**groups[pk], "households": households, "people": people})
    return rows


def registering_units(
    *,
    area: Area | None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    filters: Filters = Filters(),
) -> int:
    """Count the distinct organisations registering initiatives under ``filters``: from
    ``RegisteringRollup`` (a period counts the organisations registering in its years, as the
    figures do), but for one organisation, read from its initiatives."""
    year_from, year_to = _years(year_from, year_to, filters)
    if filters.organisation_id is None:
        return selectors.registering_units(
            area=area,
            mode=mode,
            year_from=year_from,
            year_to=year_to,
            field=filters.field,
            status=filters.statuses,
            org_kind=filters.org_kind,
        )
    initiatives = _initiatives(area, year_from, year_to, filters)
    return initiatives.values("organisation_id").distinct().count()
