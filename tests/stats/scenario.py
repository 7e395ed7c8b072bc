"""A seeded random sequence of service calls, and the checks that rollups equal the ledgers."""

import contextlib
import datetime
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from danvan.accounts.scope import SYSTEM
from danvan.core.limits import MONEY_MAX, contribution_max
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    initiative_create,
    initiative_delete,
    initiative_update,
    result_add,
    result_delete,
)
from danvan.stats.chain_rollups import CHAIN_COUNTS, CHAIN_DETAIL_COUNTS
from danvan.stats.models import (
    ChainDetailRollup,
    ChainKindRollup,
    ChainRollup,
    ContributionDetailDayRollup,
    ContributionDetailRollup,
    ContributionKindRollup,
    ContributionRollup,
    InitiativeRollup,
    KindRollup,
    ResultRollup,
    SummaryAllYearsRollup,
)
from danvan.stats.rollups_base import SUMMARY_COUNTS

TRANSITIONS = ("submit", "register", "return", "start", "complete", "discontinue")


def run(seed: int, steps: int, units: dict, orgs: list, indicators: dict) -> None:
    """Apply ``steps`` random writes through the services; refused writes are skipped."""
    rng = random.Random(seed)
    places = list(units.values())

    def pick_initiative():
        ids = list(Initiative.objects.values_list("pk", flat=True))
        return Initiative.objects.get(pk=rng.choice(ids)) if ids else None

    def create():
        initiative_create(
            actor=SYSTEM,
            title=f"Mô hình {rng.randrange(10**6)}",
            field=rng.choice(Field.values),
            organisation=rng.choice(orgs),
            area=rng.choice(places),
            year=rng.choice([2023, 2024, 2025]),
        )

    def update(initiative):
        changes = rng.choice(
            [
                {"area": rng.choice(places)},
                {"field": rng.choice(Field.values)},
                {"exemplary": rng.random() < 0.5},
                {"area": rng.choice(places), "field": rng.choice(Field.values)},
            ]
        )
        initiative_update(actor=SYSTEM, initiative=initiative, **changes)

    def transition(initiative):
        name = rng.choice(TRANSITIONS)
        lifecycle.initiative_transition(
            actor=SYSTEM, initiative=initiative, name=name, reason="Lý do"
        )

    def replicate(initiative):
        source = pick_initiative()
        source = None if source is None or source.pk == initiative.pk else source
        lifecycle.initiative_set_replication(actor=SYSTEM, initiative=initiative, source=source)

    def add_money(initiative):
        kind = rng.choice(ContributionKind.values)
        date = datetime.date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
        # The largest: a thousand billion đồng, the most one entry may hold.
        amount = min(
            rng.choice([75_000_000, 180_000_000, 1_200, 326, MONEY_MAX]), contribution_max(kind)
        )
        contributors = rng.randint(0, 200)
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=date,
            kind=kind,
            amount=amount,
            # Every kind of contributor, so households and people (counted apart, the largest
            # kind of gift per initiative) move up and down with corrections; picked from the
            # count, so the random sequence of the other steps is kept.
            contributor_type=ContributorType.values[contributors % len(ContributorType.values)],
            contributors=contributors,
            description="16 máy điều hòa",
        )

    def correct(initiative):
        entries = list(initiative.contributions.filter(corrects__isnull=True))
        if entries:
            contribution_correct(
                actor=SYSTEM,
                entry=rng.choice(entries),
                amount=rng.randint(0, 400_000_000),
                contributors=rng.randint(0, 50),
                reason="Cộng sai",
            )

    def add_result(initiative):
        indicator = rng.choice(list(indicators.values()))
        result_add(
            actor=SYSTEM,
            initiative=initiative,
            indicator=indicator,
            value=Decimal(rng.randint(0, 10_000)) / 100,
            period_end=datetime.date(rng.choice([2024, 2025]), rng.choice([6, 9, 12]), 30),
        )

    def remove_result(initiative):
        results = list(initiative.results.all())
        if results:
            result_delete(actor=SYSTEM, result=rng.choice(results))

    def other(initiative):
        action = rng.choice(["exemplary", "continue", "delete"])
        if action == "exemplary":
            lifecycle.initiative_mark_exemplary(
                actor=SYSTEM, initiative=initiative, exemplary=rng.random() < 0.6
            )
        elif action == "continue":
            lifecycle.initiative_continue(actor=SYSTEM, initiative=initiative)
        else:
            initiative_delete(actor=SYSTEM, initiative=initiative)

    actions = [update, transition, transition, replicate, add_money, add_money, correct]
    actions += [add_result, add_result, remove_result, other]
    for _ in range(steps):
        initiative = pick_initiative()
        if initiative is None or rng.random() < 0.2:
            with contextlib.suppress(ValidationError, PermissionDenied):
                create()  # an organisation of one province on a unit of another is refused
            continue
        with contextlib.suppress(ValidationError, PermissionDenied):
            rng.choice(actions)(initiative)


GROUPINGS = [
    (),
    ("year",),
    ("field",),
    ("status",),
    ("registration_kind",),
    ("org_kind",),
    ("replicated",),
    ("level",),
    ("year", "field"),
    ("level", "field", "replicated"),
]


def table_state() -> dict:
    """The rollups' non-empty rows, to compare incremental maintenance with a rebuild."""
    keys = ("mode", "area_id", "year", "field", "status", "registration_kind", "replicated")
    measures = ("money", "land", "labour", "in_kind", "households", "people", "entries")
    counts = {
        row[:8]: row[8:]
        for row in InitiativeRollup.objects.values_list(
            *keys, "org_kind", "initiatives", "exemplary", *measures
        )
        if any(row[8:])
    }
    ledger = {
        row[:7]: row[7:]
        for row in ContributionRollup.objects.values_list(
            "mode", "area_id", "year", "field", "status", "c_year", "c_month", *measures
        )
        if any(row[7:])
    }
    results = {
        row[:4]: row[4:]
        for row in ResultRollup.objects.exclude(count=0).values_list(
            "mode",
            "area_id",
            "year",
            "indicator_id",
            "total_e4",
            "count",
            "max_e4",
            "latest_end",
            "latest_id",
            "latest_e4",
        )
    }
    dims = ("year", "field", "status", "registration_kind", "replicated", "org_kind")
    details = {
        row[:10]: row[10:]
        for row in ContributionDetailRollup.objects.values_list(
            "mode", "area_id", *dims, "c_year", "c_month", *measures
        )
        if any(row[10:])
    }
    detail_days = {
        row[:11]: row[11:]
        for row in ContributionDetailDayRollup.objects.values_list(
            "mode", "area_id", "c_year", "c_month", "c_day", *dims, *measures
        )
        if any(row[11:])
    }
    kind_keys = ("mode", "area_id", "year", "status", "org_kind")
    kind_counts = ("initiatives", "exemplary", "replicated", "continued")
    kinds = {
        row[:5]: row[5:]
        for row in KindRollup.objects.values_list(*kind_keys, *kind_counts, *measures)
        if any(row[5:])
    }
    kind_months = {
        row[:7]: row[7:]
        for row in ContributionKindRollup.objects.values_list(
            *kind_keys, "c_year", "c_month", *measures
        )
        if any(row[7:])
    }
    return {
        "initiatives": counts,
        "contributions": ledger,
        "results": results,
        "contribution details": details,
        "contribution detail days": detail_days,
        "kinds": kinds,
        "contribution kinds": kind_months,
        "chains": counted_rows(ChainRollup, CHAIN_COUNTS),
        "chain details": counted_rows(ChainDetailRollup, CHAIN_DETAIL_COUNTS),
        "chain kinds": counted_rows(ChainKindRollup, CHAIN_DETAIL_COUNTS),
        "summary all years": counted_rows(SummaryAllYearsRollup, SUMMARY_COUNTS),
    }


def counted_rows(model, counts: tuple[str, ...]) -> dict:
    """A rollup's non-empty rows: its key columns (every column but the counts) → counts."""
    keys = [f.name for f in model._meta.concrete_fields if f.name not in {"id", *counts}]
    width = len(keys)
    return {
        row[:width]: row[width:]
        for row in model.objects.values_list(*keys, *counts)
        if any(row[width:])
    }


def ledger_sizes() -> tuple[int, int, int]:
    return Initiative.objects.count(), Contribution.objects.count(), Result.objects.count()
