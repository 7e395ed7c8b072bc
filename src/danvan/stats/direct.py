"""The same figures computed the straightforward way: GROUP BY over the base tables.

The tests compare it with the rollups after random sequences of writes (a breakdown by unit
across schemes too: a current province before 2025 by the legacy provinces it was formed from,
a legacy province on today's communes, which the rollups answer through
``danvan.stats.cover``), and the benchmark used it as a baseline. It also answers what the
rollups cannot: distinct counts of models since a year where the chain rows do not
(``danvan.stats.chains``). Rows are grouped by unit in SQL, then each unit is folded onto its
row by ``danvan.stats.lineage.row_map``, from the same unit → nodes mapping the rollups use.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from danvan.areas.models import Area
from danvan.initiatives.catalogues import REGISTERED_STATUSES, RegistrationKind
from danvan.initiatives.models import Contribution, Initiative
from danvan.stats.lineage import row_map, territory_q
from danvan.stats.models import AS_WAS
from danvan.stats.shape import (
    CONTRIBUTION_GROUPS,
    COUNT_MEASURES,
    FIGURE_MEASURES,
    GROUPS,
    LEDGER_MEASURES,
    as_list,
    check_mode,
    columns_for,
    finish,
    output_names,
)
from danvan.stats.taking_part import CLASSES, day_moves, ledgers_of

_BASE = {
    "year": "year",
    "field": "field",
    "status": "status",
    "registration_kind": "registration_kind",
    "org_kind": "organisation__kind",
    "replicated": "is_replicated",
}


def _filter(queryset, prefix: str, area, year_from, year_to, field, status):
    queryset = queryset.filter(territory_q(area, prefix))
    if year_from is not None:
        queryset = queryset.filter(**{f"{prefix}year__gte": year_from})
    if year_to is not None:
        queryset = queryset.filter(**{f"{prefix}year__lte": year_to})
    if (fields := as_list(field)) is not None:
        queryset = queryset.filter(**{f"{prefix}field__in": fields})
    if (statuses := as_list(status)) is not None:
        queryset = queryset.filter(**{f"{prefix}status__in": statuses})
    return queryset.annotate(
        is_replicated=ExpressionWrapper(
            Q(**{f"{prefix}replicated_from__isnull": False}), output_field=BooleanField()
        )
    )


def _fold(rows, group_by, area, mode, measures_of) -> dict:
    """Add each unit's row into its breakdown row (``level``) or into the one scope row."""
    rows = list(rows)
    level = "level" in group_by
    if level:
        target_of = row_map(area, mode, {row["unit"] for row in rows})
    merged: dict[tuple, dict] = {}
    for row in rows:
        if level and row["unit"] not in target_of:
            continue
        target_node = target_of[row["unit"]] if level else None
        values = {name: (target_node if name == "level" else row[f"g_{name}"]) for name in group_by}
        key = tuple(values.values())
        out = dict(zip(output_names(group_by), values.values(), strict=True))
        target = merged.setdefault(key, out)
        for name, value in measures_of(row).items():
            target[name] = target.get(name, 0) + (value or 0)
    return merged


def _ledger_rows(scope: dict, group_by, start=None, cutoff=None):
    entries = _filter(Contribution.objects.all(), "initiative__", *scope["filters"])
    if cutoff is not None:
        entries = entries.filter(date__lte=cutoff)
    if start is not None:
        entries = entries.filter(date__gte=start)
    extra = {"contribution_year": ExtractYear("date"), "contribution_month": ExtractMonth("date")}
    names = {
        f"g_{name}": (
            extra[name]
            if name in extra
            else ("is_replicated" if name == "replicated" else f"initiative__{_BASE[name]}")
        )
        for name in group_by
        if name != "level"
    }
    amounts = (
        entries.values(
            unit=F("initiative__area_id"),
            **{k: F(v) if isinstance(v, str) else v for k, v in names.items()},
        )
        .annotate(
            **{
                f"s_{kind}": Sum("amount", filter=Q(kind=kind))
                for kind in ("money", "land", "labour", "in_kind")
            },
            s_entries=Count("id", filter=Q(corrects__isnull=True)),
        )
        .order_by()
    )
    empty = {"s_households": 0, "s_people": 0}
    return [*({**row, **empty} for row in amounts), *_taking_part_rows(scope, names, start, cutoff)]


def _taking_part_rows(scope: dict, names: dict, start, cutoff) -> list[dict]:
    """Households and people taking part, per unit and group: each initiative's moves
    (``danvan.stats.taking_part``) on the days from ``start`` to ``cutoff``, read from its
    whole ledger up to the cut-off (a move depends on the days before it)."""
    entries = _filter(Contribution.objects.all(), "initiative__", *scope["filters"])
    if cutoff is not None:
        entries = entries.filter(date__lte=cutoff)
    counted = [value for types in CLASSES.values() for value in types]
    dated = {"g_contribution_year", "g_contribution_month"}
    found = (
        entries.filter(contributor_type__in=counted)
        .values(
            "initiative_id",
            "date",
            "kind",
            "contributor_type",
            unit=F("initiative__area_id"),
            **{k: F(v) for k, v in names.items() if k not in dated},
        )
        .annotate(contributors=Sum("contributors"))
        .order_by()
    )
    ledgers = ledgers_of(found)
    keys: dict[int, dict] = {}
    for row in found:
        keys[row["initiative_id"]] = {
            k: v for k, v in row.items() if k == "unit" or (k.startswith("g_") and k not in dated)
        }
    first = start and (start.year, start.month, start.day)
    zero = {f"s_{kind}": 0 for kind in ("money", "land", "labour", "in_kind", "entries")}
    rows = []
    for pk, ledger in ledgers.items():
        for day, (households, people) in day_moves(ledger).items():
            if first is not None and day < first:
                continue
            row = {**keys[pk], **zero, "s_households": households, "s_people": people}
            if "g_contribution_year" in names:
                row["g_contribution_year"] = day[0]
            if "g_contribution_month" in names:
                row["g_contribution_month"] = day[1]
            rows.append(row)
    return rows


def _counted(initiatives, group_by):
    return (
        initiatives.values(
            unit=F("area_id"),
            **{f"g_{n}": F(_BASE[n]) for n in group_by if n != "level"},
        )
        .annotate(
            n_initiatives=Count("id"),
            n_built=Count("id", filter=Q(replicated_from__isnull=True)),
            n_replicated=Count("id", filter=Q(replicated_from__isnull=False)),
            n_new=Count("id", filter=Q(registration_kind=RegistrationKind.NEW)),
            n_continued=Count("id", filter=Q(registration_kind=RegistrationKind.CONTINUED)),
            n_exemplary=Count("id", filter=Q(exemplary=True)),
            n_registered=Count("id", filter=Q(status__in=REGISTERED_STATUSES)),
        )
        .order_by()
    )


def _distinct(initiatives):
    """The first registration in ``initiatives`` of each model: a model continued from one
    year to the next is registered every year, and is one model.

    Written as NOT EXISTS, which PostgreSQL answers with a hash anti-join; the NOT IN it
    replaces became a subplan rescanned for every row once the registrations outgrew the
    memory of a hashed subplan (minutes for the country's million)."""
    predecessor_in_scope = initiatives.filter(pk=OuterRef("continued_from_id"))
    return initiatives.exclude(Exists(predecessor_in_scope))


def initiative_figures_direct(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    group_by: Sequence[str] = (),
    distinct_models: bool = False,
    ledger: bool = True,
) -> list[dict]:
    """Return what ``initiative_figures`` returns, from the base tables.

    ``distinct_models`` counts models instead of registrations: each continuation chain once,
    under its first registration in scope (so built + replicated and new + continued add up
    to the distinct count, and so do the rows); exemplary and registered count the chains with
    an exemplary, or registered, registration in scope. Ledger measures are unchanged.
    ``ledger=False`` leaves them out (zeros), for a caller that reads them from the rollups.
    """
    check_mode(mode)
    columns_for(group_by, GROUPS)
    scope = {"filters": (area, year_from, year_to, field, status)}
    initiatives = _filter(Initiative.objects.all(), "", *scope["filters"])
    counts = list(COUNT_MEASURES)
    if distinct_models:
        sources = [
            (_distinct(initiatives), [m for m in counts if m not in ("exemplary", "registered")]),
            (_distinct(initiatives.filter(exemplary=True)), ["exemplary"]),
            (_distinct(initiatives.filter(status__in=REGISTERED_STATUSES)), ["registered"]),
        ]
    else:
        sources = [(initiatives, counts)]
    merged: dict = {}
    for queryset, names in sources:
        folded = _fold(
            _counted(queryset, group_by),
            group_by,
            area,
            mode,
            lambda row, names=names: {m: row[f"n_{m}"] for m in names},
        )
        _add(merged, folded, names)
    if ledger:
        amounts = _fold(
            _ledger_rows(scope, group_by),
            group_by,
            area,
            mode,
            lambda row: {m: row[f"s_{m}"] for m in LEDGER_MEASURES[:-1]},
        )
        _add(merged, amounts, LEDGER_MEASURES[:-1])
    return finish(merged, FIGURE_MEASURES)


def _add(merged: dict, rows: dict, measures) -> None:
    for key, row in rows.items():
        target = merged.setdefault(key, {k: v for k, v in row.items() if k not in FIGURE_MEASURES})
        for name in measures:
            target[name] = target.get(name, 0) + row.get(name, 0)


def contribution_figures_direct(
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
) -> list[dict]:
    """Return what ``contribution_figures`` returns, from the ledger (cut-off by day)."""
    check_mode(mode)
    columns_for(group_by, CONTRIBUTION_GROUPS)
    scope = {"filters": (area, year_from, year_to, field, status)}
    merged = _fold(
        _ledger_rows(scope, group_by, start=start, cutoff=cutoff),
        group_by,
        area,
        mode,
        lambda row: {m: row[f"s_{m}"] for m in LEDGER_MEASURES},
    )
    return finish(merged, LEDGER_MEASURES)
