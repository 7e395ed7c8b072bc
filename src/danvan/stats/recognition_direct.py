"""The recognition figures computed the straightforward way: grouped over the awards and
evaluations, narrowed by the initiatives' unit, year and field.

The dashboards, the reports and the stats API read ``danvan.stats.recognition``, from the
recognition rollups; the tests compare the two after random sequences of writes.
"""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q

from danvan.areas.models import Area
from danvan.stats.lineage import territory_q
from danvan.stats.models import AS_WAS
from danvan.stats.recognition import LEVEL_MEASURES
from danvan.stats.shape import as_list, check_mode


def _scoped(queryset, *, area, mode, year_from, year_to, field):
    check_mode(mode)
    queryset = queryset.filter(territory_q(area, "initiative__"))
    if year_from is not None:
        queryset = queryset.filter(initiative__year__gte=year_from)
    if year_to is not None:
        queryset = queryset.filter(initiative__year__lte=year_to)
    if (fields := as_list(field)) is not None:
        queryset = queryset.filter(initiative__field__in=fields)
    return queryset


def recognition_figures_direct(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> dict:
    """``recognition.recognition_figures`` from the awards themselves.

    ``levels``: one row per recognition level with an award, holding ``LEVEL_MEASURES``;
    ``totals``: models recognised at some level, collectives and individuals recognised at some
    level (distinct, so not the sum of the rows); ``by_org_kind``: per kind of organisation and
    level, the models recognised.
    """
    from danvan.review.models import LEVEL_ORDER, Award, AwardStage, RecipientKind

    decided = [AwardStage.RECOGNISED, AwardStage.NOMINATED, AwardStage.COMMENDED]
    awards = _scoped(
        Award.objects.all(),
        area=area,
        mode=mode,
        year_from=year_from,
        year_to=year_to,
        field=field,
    )
    collective = Q(recipient_kind=RecipientKind.COLLECTIVE)
    person = Q(recipient_kind=RecipientKind.INDIVIDUAL)
    recognised = Q(stage__in=decided)
    rows = (
        awards.order_by()
        .values("level")
        .annotate(
            proposed=Count("initiative_id", filter=collective, distinct=True),
            recognised=Count("initiative_id", filter=collective & recognised, distinct=True),
            nominated=Count(
                "initiative_id",
                filter=collective & Q(stage=AwardStage.NOMINATED),
                distinct=True,
            ),
            commended=Count(
                "initiative_id",
                filter=collective & Q(stage=AwardStage.COMMENDED),
                distinct=True,
            ),
            collectives=Count(
                "initiative__organisation_id", filter=collective & recognised, distinct=True
            ),
            individuals_proposed=Count("id", filter=person),
            individuals=Count("id", filter=person & recognised),
        )
    )
    by_level = {row["level"]: row for row in rows}
    levels = [
        {"level": str(level), **{name: by_level[level][name] for name in LEVEL_MEASURES}}
        for level in LEVEL_ORDER
        if level in by_level
    ]
    totals = awards.filter(recognised).aggregate(
        recognised=Count("initiative_id", filter=collective, distinct=True),
        collectives=Count("initiative__organisation_id", filter=collective, distinct=True),
    )
    # One person honoured for the same initiative at two levels is one individual.
    totals["individuals"] = (
        awards.filter(person & recognised)
        .order_by()
        .values("initiative_id", "recipient_name")
        .distinct()
        .count()
    )
    kinds = (
        awards.filter(collective & recognised)
        .order_by()
        .values("initiative__organisation__kind", "level")
        .annotate(recognised=Count("initiative_id", distinct=True))
    )
    order = {str(level): index for index, level in enumerate(LEVEL_ORDER)}
    by_org_kind = sorted(
        (
            {
                "org_kind": row["initiative__organisation__kind"],
                "level": row["level"],
                "recognised": row["recognised"],
            }
            for row in kinds
        ),
        key=lambda row: (row["org_kind"], order.get(row["level"], 99)),
    )
    return {"levels": levels, "totals": totals, "by_org_kind": by_org_kind}


def grade_figures_direct(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """``recognition.grade_figures`` from the evaluations themselves: per level and grade, the
    models whose latest evaluation at that level earned it, lowest level first.

    A model evaluated again at the same level counts under its latest grade only; evaluations
    recorded before levels were kept come under a blank level.
    """
    from danvan.review.models import LEVEL_ORDER, Evaluation

    evaluations = _scoped(
        Evaluation.objects.all(),
        area=area,
        mode=mode,
        year_from=year_from,
        year_to=year_to,
        field=field,
    )
    newer = Evaluation.objects.filter(
        initiative_id=OuterRef("initiative_id"),
        level=OuterRef("level"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    rows = (
        evaluations.filter(~Exists(newer))
        .order_by()
        .values("level", "grade")
        .annotate(initiatives=Count("initiative_id", distinct=True))
    )
    order = {str(level): index for index, level in enumerate(LEVEL_ORDER)}
    return sorted(
        (
            {"level": row["level"], "grade": row["grade"], "initiatives": row["initiatives"]}
            for row in rows
        ),
        key=lambda row: (order.get(row["level"], 99), -row["initiatives"], row["grade"]),
    )


def award_figures_direct(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """``selectors.award_figures`` from the awards themselves."""
    from danvan.review.models import Award

    check_mode(mode)
    awards = Award.objects.filter(territory_q(area, "initiative__"))
    if year_from is not None:
        awards = awards.filter(initiative__year__gte=year_from)
    if year_to is not None:
        awards = awards.filter(initiative__year__lte=year_to)
    if (fields := as_list(field)) is not None:
        awards = awards.filter(initiative__field__in=fields)
    rows = (
        awards.values("stage", "level")
        .annotate(awards=Count("id"), initiatives=Count("initiative_id", distinct=True))
        .order_by("stage", "level")
    )
    return [dict(row) for row in rows]


def recognised_initiatives_direct(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
) -> int:
    """``selectors.recognised_initiatives`` from the awards themselves."""
    from danvan.review.models import Award, AwardStage

    check_mode(mode)
    if stages is None:
        stages = (AwardStage.RECOGNISED, AwardStage.NOMINATED, AwardStage.COMMENDED)
    awards = Award.objects.filter(territory_q(area, "initiative__"), stage__in=list(stages))
    if year_from is not None:
        awards = awards.filter(initiative__year__gte=year_from)
    if year_to is not None:
        awards = awards.filter(initiative__year__lte=year_to)
    if (fields := as_list(field)) is not None:
        awards = awards.filter(initiative__field__in=fields)
    return awards.order_by().values("initiative_id").distinct().count()
