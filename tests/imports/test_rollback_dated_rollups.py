"""Rolling back a ledger import takes its entries out of every dated rollup, the ones keyed by
registration kind, replication and organisation kind too."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.stats.direct import contribution_figures_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import ContributionDetailDayRollup, ContributionDetailRollup
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import contribution_figures
from tests.factories import InitiativeFactory
from tests.imports.conftest import headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db

FIGURES = ("money", "land", "labour", "in_kind", "households", "people")


def _held(model) -> dict:
    return model.objects.aggregate(**{name: Sum(name) for name in FIGURES})


def test_a_rolled_back_ledger_import_leaves_the_detail_tables_at_zero(world, upload, apply):
    """Two models of Lan's women's union, one replicated from the other, with no entries of
    their own: after the rollback the detail rows hold nothing but the cancelled entries'
    count (the append-only ledger keeps them, as corrections to zero)."""
    markets = InitiativeFactory(
        title="Chợ dân sinh văn minh",
        organisation=world.wu_yen_giang,
        area=world.zone_1,
        replicated_from=world.cultural_houses,
    )
    rebuild_rollups(reset_nodes=True)
    houses, market = world.cultural_houses.code, markets.code
    content = xlsx_bytes(
        [
            headers("contributions", "vi"),
            [houses, "15/03/2024", "money", "180.000.000", "households", 120, ""],
            [houses, "16/03/2024", "land", "350,5", "households", 40, ""],
            [market, "15/11/2024", "labour", "1.234,25", "individuals", 15, ""],
            [market, "30/11/2024", "in_kind", "16.000.000", "businesses", 2, "16 máy điều hòa"],
        ]
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    by_kind = contribution_figures(
        cutoff=datetime.date(2024, 11, 15), group_by=("org_kind", "replicated")
    )
    assert by_kind == contribution_figures_direct(
        cutoff=datetime.date(2024, 11, 15), group_by=("org_kind", "replicated")
    )
    assert {(row["is_replicated"], row["money"], row["labour"]) for row in by_kind} >= {
        (False, 180_000_000, 0),
        (True, 0, Decimal("1234.25")),
    }
    assert _held(ContributionDetailRollup)["money"] and _held(ContributionDetailDayRollup)["land"]

    batch_rollback(actor=world.tuan, batch=batch)

    for model in (ContributionDetailRollup, ContributionDetailDayRollup):
        assert not model.objects.filter(~Q(**dict.fromkeys(FIGURES, 0))).exists(), model
        assert set(_held(model).values()) <= {0}
    rows = contribution_figures(
        start=datetime.date(2024, 3, 16), cutoff=datetime.date(2024, 11, 15), group_by=("org_kind",)
    )
    assert rows and all(not any(row[name] for name in FIGURES) for row in rows)
    assert set(rollup_differences().values()) == {0}
