"""The dashboard queries the benchmark times, each beside its straightforward equivalent."""

import datetime
import statistics
import time
from collections.abc import Callable, Iterator
from unittest import mock

from django.db import transaction
from django.db.models import Sum

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaLevel
from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import contribution_add
from danvan.stats import rollups
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.models import AS_WAS, RESTATED, InitiativeRollup
from danvan.stats.selectors import contribution_figures, initiative_figures

Query = tuple[str, Callable[[], object], Callable[[], object]]


def _busiest_province(mode: str) -> Area:
    """The province with the most initiatives counted under it in ``mode``."""
    provinces = Area.objects.filter(level=AreaLevel.PROVINCE).values_list("pk", flat=True)
    busiest = (
        InitiativeRollup.objects.filter(mode=mode, area_id__in=list(provinces))
        .values("area_id")
        .annotate(total=Sum("initiatives"))
        .order_by("-total")
        .first()
    )
    return Area.objects.get(pk=busiest["area_id"])


def DASHBOARD_QUERIES() -> Iterator[Query]:
    """Yield (name, rollup query, direct query) for the national and province dashboards."""
    legacy = _busiest_province(AS_WAS)
    current = _busiest_province(RESTATED)
    scopes = [
        ("national", None, AS_WAS),
        (f"province {legacy.name} (as it was)", legacy, AS_WAS),
        (f"province {current.name} (restated)", current, RESTATED),
    ]
    for label, area, mode in scopes:
        for group_by in [("field",), ("year",), ("org_kind", "status")]:
            arguments = {"area": area, "mode": mode, "group_by": group_by}
            yield (
                f"{label} by {'+'.join(group_by)}",
                lambda a=arguments: initiative_figures(**a),
                lambda a=arguments: initiative_figures_direct(**a),
            )
        cutoff = {"area": area, "mode": mode, "cutoff": datetime.date(2024, 11, 30)}
        yield (
            f"{label} contributions to 30 Nov 2024",
            lambda a=cutoff: contribution_figures(**a),
            lambda a=cutoff: contribution_figures_direct(**a),
        )


def measure_save_cost(*, repeat: int) -> tuple[float, float]:
    """Return the median milliseconds of ``contribution_add`` with and without the rollups."""
    initiative = Initiative.objects.order_by("-id").first()

    def save_one() -> float:
        started = time.perf_counter()
        with transaction.atomic():
            contribution_add(
                actor=SYSTEM,
                initiative=initiative,
                date=datetime.date(2025, 9, 15),
                kind=ContributionKind.MONEY,
                amount=180_000_000,
                contributor_type=ContributorType.HOUSEHOLDS,
                contributors=12,
            )
        return (time.perf_counter() - started) * 1000

    def median_of(runs: int) -> float:
        save_one()
        return statistics.median(save_one() for _ in range(runs))

    with_rollups = median_of(repeat)
    with mock.patch.object(rollups, "contribution_recorded", lambda entry: None):
        without = median_of(repeat)
    return with_rollups, without
