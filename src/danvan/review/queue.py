"""Reads of the reviewer's queue: which year it opens on, its filters, sorting and counts.

Every list starts from a scoped selector of ``danvan.review.selectors`` (what the reviewer may
register, evaluate or decide); the filters here only narrow it, so no filter can widen a scope.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation
from danvan.review.models import RegistrationRound
from danvan.review.selectors import current_round_year

# The columns a list may be sorted by, as the page names them, and the database order.
SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "-code": ("-code",),
    "title": ("title_folded", "code"),
    "-title": ("-title_folded", "-code"),
    "organisation": ("organisation__name", "code"),
    "-organisation": ("-organisation__name", "-code"),
    "area": ("area__name", "code"),
    "-area": ("-area__name", "-code"),
    "status": ("status", "code"),
    "-status": ("-status", "-code"),
    "changed": ("updated_at", "code"),
    "-changed": ("-updated_at", "-code"),
}


@dataclass(frozen=True)
class QueueFilters:
    """What the reviewer narrowed the list to; empty values filter nothing."""

    text: str = ""
    area: Area | None = None
    organisation: Organisation | None = None
    field: str = ""
    status: str = ""
    round: RegistrationRound | None = None
    changed_from: datetime.date | None = None
    changed_to: datetime.date | None = None


def queue_filter(queryset: QuerySet[Initiative], filters: QueueFilters) -> QuerySet[Initiative]:
    """Narrow a queue list: words of the title or the code (diacritics ignored), a unit and
    everything under it (and the units it took over), an organisation, a field, a status, a
    round, and the day of the last change (the day a submission was sent)."""
    if filters.text.strip():
        queryset = queryset.search(filters.text)
    if filters.area is not None:
        queryset = queryset.filter(area_coverage_q(area=filters.area))
    if filters.organisation is not None:
        queryset = queryset.filter(organisation=filters.organisation)
    if filters.field:
        queryset = queryset.filter(field=filters.field)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.round is not None:
        queryset = queryset.filter(round=filters.round)
    if filters.changed_from is not None:
        queryset = queryset.filter(updated_at__date__gte=filters.changed_from)
    if filters.changed_to is not None:
        queryset = queryset.filter(updated_at__date__lte=filters.changed_to)
    return queryset


def queue_sorted(queryset: QuerySet[Initiative], sort: str, default: str) -> QuerySet[Initiative]:
    """Order a list by a column the page offers (an unknown one falls back to ``default``)."""
    return queryset.order_by(*SORTS.get(sort, SORTS[default]))


def queue_status_counts(queryset: QuerySet[Initiative]) -> dict[str, int]:
    """Return how many rows of the (filtered) list are in each status."""
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def queue_years(queryset: QuerySet[Initiative]) -> list[int]:
    """Return the registration years a list holds, newest first.

    Each year that initiatives are registered for is asked whether the list holds one of it,
    all in one statement. ``SELECT DISTINCT year`` read the whole list, and the evaluations
    due of a province are most of its initiatives of fifteen years (42,000 rows tested each
    against the reviewer's evaluations, 160 ms at national scale); a year's question stops at
    its first row, found through the status × year × unit index.

    The two engines want the question written differently. PostgreSQL answers one ``EXISTS``
    per year well: it reads the reviewer's units once for all of them and each year stops at
    its first row (15 ms for a province at national scale), where joining the years to one
    question about the list had it read every row of each year in the country first (57 ms).
    SQLite evaluates the scope's subquery of units again inside each ``EXISTS``, fifteen times
    over, and answers the join to one question instead (Hà Tĩnh on the demo data: 40 → 5 ms).
    """
    span = Initiative.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    years = list(range(span["last"], span["first"] - 1, -1))
    try:
        sql, params = queryset.order_by().values("year").query.sql_with_params()
    except EmptyResultSet:  # a list known to be empty (``none()``)
        return []
    if connection.vendor != "sqlite":
        # The list's question is written once and asked of each year: written per year by
        # the ORM, the fifteen took longer to write than to answer (a province's queue at
        # national scale, alternating: 26.7 ms that way, 16.9 ms this one). The server folds
        # the list into each ``EXISTS`` and narrows it to the year, as before.
        asked = ", ".join(
            f"EXISTS (SELECT 1 FROM ({sql}) AS listed WHERE listed.year = %s)" for _ in years
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {asked}", [v for year in years for v in (*params, year)])
            held = cursor.fetchone()
        return [year for year, there in zip(years, held, strict=True) if there]
    rows = ", ".join(["(%s)"] * len(years))
    statement = (
        f"WITH asked(year) AS (VALUES {rows}) SELECT asked.year FROM asked "
        f"WHERE EXISTS (SELECT 1 FROM ({sql}) AS listed WHERE listed.year = asked.year) "
        "ORDER BY asked.year DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*years, *params])
        return [year for (year,) in cursor.fetchall()]


def queue_default_year(years: list[int], *, today: datetime.date | None = None) -> int:
    """The year the evaluation list opens on: the newest year, up to this one, that still has
    work in it; with none, the newest round's year.

    A reviewer in December 2026 with 2026 models to evaluate sees 2026, not the round opened
    last; one whose 2026 list is empty and 2025 list is not sees 2025.
    """
    today = today or timezone.localdate()
    for year in years:
        if year <= today.year:
            return year
    return current_round_year(today=today)


def queue_choices(queryset: QuerySet[Initiative]) -> dict:
    """Return the units (with the units above them), organisations (id and name) and rounds
    that a list holds: what its filters offer, never a unit or organisation outside the
    reviewer's work.

    The list is read once for the distinct (unit, organisation) pairs it holds, from the
    status × unit × organisation index without reading its rows, and the units and
    organisations are then looked up by id; asked as subqueries of the list, a province's
    10,000 submissions were read once for each.
    """
    held = set(queryset.order_by().values_list("area_id", "organisation_id").distinct())
    unit_ids = {unit for unit, _organisation in held if unit is not None}
    paths = Area.objects.filter(among(Area, "pk", unit_ids)).values_list("path", flat=True)
    ids: set[int] = set()
    for path in paths:
        ids.update(int(part) for part in (path or "").split(".") if part.isdigit())
    areas = list(
        Area.objects.filter(among(Area, "pk", ids)).order_by("path").only("pk", "name", "path")
    )
    # (id, name) pairs: a province's list holds thousands of organisations, and a whole model
    # instance of each was a tenth of the page's time.
    organisation_ids = {organisation for _unit, organisation in held}
    organisations = list(
        Organisation.objects.filter(among(Organisation, "pk", organisation_ids))
        .order_by("name")
        .values_list("pk", "name")
    )
    # The few rounds are asked of the list apart: the round is not in the index that answers
    # the units and organisations without reading the rows.
    rounds = list(
        RegistrationRound.objects.filter(
            pk__in=queryset.order_by().exclude(round=None).values("round_id").distinct()
        ).select_related("area")
    )
    return {
        "areas": areas,
        "organisations": organisations,
        # What a chosen organisation is checked against: the same question, asked only when
        # one is chosen (a list of thousands of ids would be prepared on every page).
        "registering": Organisation.objects.filter(
            pk__in=queryset.order_by().values("organisation_id").distinct()
        ),
        "rounds": rounds,
    }
