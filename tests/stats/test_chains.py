"""Models since a year from ``ChainRollup``: equal to the base tables' distinct count after any
writes (chains crossing years, fields, statuses and units, legacy to current), kept write by
write as a rebuild makes it, and read in a fixed number of queries."""

import contextlib
import io
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import AreaKind
from danvan.areas.services import area_create, area_update
from danvan.core import upkeep
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, RegistrationKind
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_create, initiative_delete, initiative_update
from danvan.orgs.models import OrgKind
from danvan.orgs.services import organisation_update
from danvan.stats.chain_rollups import CHAIN_COUNTS
from danvan.stats.exactness import rollup_differences
from danvan.stats.lineage import territory_parts
from danvan.stats.models import AS_WAS, MODES, RESTATED, ChainRollup, InitiativeRollup
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import cumulative_since
from tests.people import world  # noqa: F401
from tests.stats import scenario
from tests.stats.reference import Reference, initiatives_from_base_tables
from tests.stats.test_query_counts import _api_count, _grow, small  # noqa: F401
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

GROUPINGS = [
    (),
    ("field",),
    ("year",),
    ("status",),
    ("level",),
    ("level", "field"),
    ("year", "field", "status"),
    # The models counted from the base tables, what they mobilised from the rollups.
    ("replicated", "field"),
    ("org_kind",),
    ("registration_kind", "status"),
    ("level", "org_kind"),
]
# (since, to, field, status)
FILTERS = [
    (2021, None, None, None),
    (2023, None, None, None),
    (2024, 2025, Field.ECONOMY, None),
    (2021, None, None, REGISTERED_STATUSES),
    (2023, 2024, [Field.ECONOMY, Field.CULTURE_SOCIETY], ["draft", "submitted", "registered"]),
]


def base_tables(since, **scope) -> Reference:
    """What ``cumulative_since`` answered before the rollups, for every grouping of one scope:
    the distinct count from the base tables (``initiative_figures_direct(distinct_models=True)``),
    read once at its finest (``tests.stats.reference``)."""
    args = {"year_from": since, "distinct_models": True, **scope}
    return initiatives_from_base_tables(**args)


def from_base_tables(since, *, group_by, reference=None, **scope) -> dict:
    """``cumulative_since``'s answer from the base tables; ``reference``, when given, is that
    scope's ``base_tables`` already made."""
    reference = reference or base_tables(since, **scope)
    return {"since": since, "total": reference.total(), "rows": reference(group_by)}


def assert_models_match(units, groupings=GROUPINGS, filters=FILTERS) -> None:
    for area in scopes(units):
        for mode in MODES:
            for since, to, field, status in filters:
                scope = {"area": area, "mode": mode, "year_to": to, "field": field}
                scope["status"] = status
                reference = base_tables(since, **scope)
                for group_by in groupings:
                    assert cumulative_since(since, **scope, group_by=group_by) == (
                        from_base_tables(since, group_by=group_by, reference=reference)
                    ), (area, mode, since, to, field, status, group_by)


def rewrite(initiative: Initiative, **changes) -> None:
    """Change an initiative's facts as a service does (capture, write, settle), whatever its
    state."""
    before = upkeep.capture([initiative.pk])
    Initiative.objects.filter(pk=initiative.pk).update(**changes)
    upkeep.settle(before)


def relink(initiative: Initiative, source: Initiative | None) -> None:
    """Change what ``initiative`` continues."""
    kind = RegistrationKind.CONTINUED if source else RegistrationKind.NEW
    rewrite(initiative, continued_from=source, registration_kind=kind)


def grow_chains(seed: int, steps: int, units: dict, orgs: list) -> None:
    """Random writes that make and move continuation chains: models registered and continued
    (a legacy unit's model continued after 2025 lands on today's unit), predecessors moved to
    other units, fields, statuses, exemplary or not, links changed and cut, drafts deleted."""
    rng = random.Random(seed)
    places = list(units.values())
    for _ in range(steps):
        ids = list(Initiative.objects.values_list("pk", flat=True))
        initiative = Initiative.objects.get(pk=rng.choice(ids)) if ids else None
        action = rng.random()
        with contextlib.suppress(ValidationError, PermissionDenied):
            if initiative is None or action < 0.2:
                initiative_create(
                    actor=SYSTEM,
                    title=f"Mô hình {rng.randrange(10**6)}",
                    field=rng.choice(Field.values),
                    organisation=rng.choice(orgs),
                    area=rng.choice(places),
                    year=rng.choice([2021, 2022, 2023, 2024]),
                )
            elif action < 0.4:
                for name in ("submit", "register"):
                    lifecycle.initiative_transition(
                        actor=SYSTEM, initiative=initiative, name=name, reason="Lý do"
                    )
                initiative.refresh_from_db()
                lifecycle.initiative_continue(actor=SYSTEM, initiative=initiative)
            elif action < 0.5:
                initiative_update(
                    actor=SYSTEM,
                    initiative=initiative,
                    **rng.choice([{"field": rng.choice(Field.values)}, {"exemplary": True}]),
                )
            elif action < 0.55:
                # Moved to another unit (a registered one too, as a reviewer's correction).
                rewrite(initiative, area=rng.choice(places))
            elif action < 0.65:
                lifecycle.initiative_mark_exemplary(
                    actor=SYSTEM, initiative=initiative, exemplary=rng.random() < 0.6
                )
            elif action < 0.75:
                name = rng.choice(scenario.TRANSITIONS)
                lifecycle.initiative_transition(
                    actor=SYSTEM, initiative=initiative, name=name, reason="Lý do"
                )
            elif action < 0.93:
                earlier = list(Initiative.objects.filter(year__lt=initiative.year))
                relink(initiative, rng.choice(earlier) if earlier and rng.random() < 0.85 else None)
            else:
                initiative_delete(actor=SYSTEM, initiative=initiative)


@pytest.mark.parametrize("seed", [11, 12])
def test_models_since_a_year_equal_the_base_tables_after_random_writes(seed, units, orgs):
    grow_chains(seed, 90, units, orgs)
    continued = Initiative.objects.filter(continued_from__isnull=False)
    assert continued.count() > 4
    # Chains cross units (and schemes), fields and statuses.
    assert continued.exclude(area_id=F("continued_from__area_id")).exists()
    assert continued.exclude(field=F("continued_from__field")).exists()
    assert continued.exclude(status=F("continued_from__status")).exists()
    assert ChainRollup.objects.filter(prev_up=True).exclude(initiatives=0).exists()
    assert_models_match(units)
    assert rollup_differences()["stats_chainrollup"] == 0
    incremental = chain_state()
    rebuild_rollups(reset_nodes=True)
    assert chain_state() == incremental


def chain_state() -> dict:
    return scenario.counted_rows(ChainRollup, CHAIN_COUNTS)


def test_the_existing_scenario_keeps_the_chains_exact(units, orgs, indicators):
    scenario.run(3, 120, units, orgs, indicators)
    assert rollup_differences()["stats_chainrollup"] == 0
    assert_models_match(units, groupings=[(), ("field",), ("level",)], filters=FILTERS[:2])


def _chain(units, orgs) -> list[Initiative]:
    """A model of legacy Yên Giang registered in 2023 and 2024, continued in 2025 on today's
    ward Quảng Yên, formed from it."""
    first = initiative_create(
        actor=SYSTEM,
        title="Thắp sáng đường quê",
        field=Field.ECONOMY,
        organisation=orgs[0],
        area=units["yen_giang"],
        year=2023,
    )
    chain = [first]
    for _ in range(2):
        for name in ("submit", "register"):
            lifecycle.initiative_transition(
                actor=SYSTEM, initiative=chain[-1], name=name, reason="Lý do"
            )
        chain[-1].refresh_from_db()
        chain.append(lifecycle.initiative_continue(actor=SYSTEM, initiative=chain[-1]))
    rewrite(chain[2], area=units["quang_yen"])
    return chain


def test_a_chain_across_the_reorganisation_is_one_model(units, orgs):
    _chain(units, orgs)
    for area in (None, units["yen_giang"], units["quang_yen"]):
        for mode in MODES:
            figures = cumulative_since(2023, area=area, mode=mode)
            assert figures["total"]["initiatives"] == 1, (area, mode)
            assert figures["total"]["new"] == 1
    assert cumulative_since(2024)["total"]["initiatives"] == 1  # its 2024 registration
    # The legacy town ended; today's wards formed from its communes alone carry its land on,
    # so its territory is several nodes, and the model crosses from one to another.
    town = units["yen_giang"].parent
    assert len(territory_parts(town)) > 1
    assert cumulative_since(2023, area=town)["total"]["initiatives"] == 1
    assert cumulative_since(2024)["total"]["continued"] == 1
    assert_models_match(units, groupings=[(), ("level",), ("year",)], filters=FILTERS[:3])


def test_a_predecessor_changed_or_deleted_moves_its_successors_rows(units, orgs):
    chain = _chain(units, orgs)
    rewrite(chain[0], field=Field.CULTURE_SOCIETY)
    lifecycle.initiative_mark_exemplary(actor=SYSTEM, initiative=chain[1], exemplary=True)
    lifecycle.initiative_mark_exemplary(actor=SYSTEM, initiative=chain[2], exemplary=True)
    assert cumulative_since(2023, field=Field.ECONOMY)["total"]["initiatives"] == 1  # 2024's
    assert cumulative_since(2023)["total"]["exemplary"] == 1
    assert rollup_differences()["stats_chainrollup"] == 0
    relink(chain[2], None)  # the 2025 registration is a model of its own now
    assert cumulative_since(2023)["total"]["initiatives"] == 2
    assert cumulative_since(2023)["total"]["exemplary"] == 2
    relink(chain[2], chain[0])  # continues the 2023 registration, past 2024's
    assert cumulative_since(2023)["total"]["initiatives"] == 1
    assert cumulative_since(2024)["total"]["initiatives"] == 2
    assert rollup_differences()["stats_chainrollup"] == 0
    # The 2024 registration goes (a successor's link is cut first, the database protects it).
    relink(chain[2], None)
    before = upkeep.capture([chain[1].pk])
    Initiative.objects.filter(pk=chain[1].pk).delete()
    upkeep.settle(before)
    assert cumulative_since(2023)["total"]["initiatives"] == 2
    assert rollup_differences()["stats_chainrollup"] == 0
    assert_models_match(units, groupings=[(), ("level",)], filters=FILTERS[:2])


def test_one_rollup_is_rebuilt_alone(units, orgs):
    _chain(units, orgs)
    InitiativeRollup.objects.update(initiatives=7)
    ChainRollup.objects.update(initiatives=9)
    out = io.StringIO()
    call_command("rebuild_rollups", "--only", "chains", stdout=out)
    assert "chains:" in out.getvalue() and "summary" not in out.getvalue()
    differences = rollup_differences()
    assert differences["stats_chainrollup"] == 0
    assert differences["stats_initiativerollup"] > 0  # left as it was
    with pytest.raises(ValueError, match="unknown rollup"):
        rebuild_rollups(only=("chain",))
    with pytest.raises(ValueError, match="rebuild them all"):
        rebuild_rollups(only=("chains",), reset_nodes=True)


# The unit's lineage, the chain rows, and the summary's ledger (read by ``initiative_figures``);
# by unit, the unit's children and both tables' rows for the children and the unit itself.
CUMULATIVE_BUDGETS = {
    (): {"province": 3, "country": 2},
    ("field",): {"province": 3, "country": 2},
    ("level",): {"province": 7, "country": 6},
}


@pytest.mark.parametrize("group_by", list(CUMULATIVE_BUDGETS), ids=lambda g: "+".join(g) or "-")
@pytest.mark.parametrize("scope", ["province", "country"])
def test_models_since_a_year_run_a_fixed_number_of_queries(small, group_by, scope):  # noqa: F811
    w = small
    who, unit = (w.tuan, {"area": w.quang_ninh.pk}) if scope == "province" else (w.root, {})
    asked = {**unit, "mode": RESTATED if scope == "province" else AS_WAS, "since": 2013}
    if group_by:
        asked["group_by"] = ",".join(group_by)
    _api_count(who, asked, "cumulative")  # a unit's lineage is cached on its first reading
    counted = _api_count(who, asked, "cumulative")
    budget = CUMULATIVE_BUDGETS[group_by][scope]
    assert counted <= budget, f"cumulative {asked}: budget {budget}, {counted!r}"
    _grow(w)
    assert _api_count(who, asked, "cumulative") == counted, "the count grows with the data"


def test_a_moved_village_moves_its_models_and_their_continuations(units, orgs):
    village = area_create(
        actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=units["lien_hoa"]
    )
    first = initiative_create(
        actor=SYSTEM,
        title="Đèn đường",
        field=Field.ECONOMY,
        organisation=orgs[1],
        area=village,
        year=2024,
    )
    later = initiative_create(
        actor=SYSTEM,
        title="Đèn đường",
        field=Field.ECONOMY,
        organisation=orgs[0],
        area=units["yen_giang"],
        year=2024,
    )
    rewrite(later, year=2025)
    relink(later, first)
    # Under the legacy town the model crosses from one commune to another: one model.
    assert cumulative_since(2024, area=units["yen_giang"].parent)["total"]["initiatives"] == 1
    area_update(actor=SYSTEM, area=village, parent=units["yen_giang"])
    assert rollup_differences()["stats_chainrollup"] == 0
    assert cumulative_since(2024, area=units["yen_giang"])["total"]["initiatives"] == 1
    assert cumulative_since(2024, area=units["lien_hoa"])["total"]["initiatives"] == 0
    assert_models_match(units, groupings=[(), ("level",)], filters=FILTERS[:2])
    incremental = chain_state()
    rebuild_rollups(reset_nodes=True)
    assert chain_state() == incremental


def test_models_by_kind_are_read_from_the_chain_rows_by_kind(units, orgs):
    """Grouped by organisation kind, registration kind or replication, the models since a
    year come from ``ChainKindRollup`` when no field is asked or grouped by, else from
    ``ChainDetailRollup``: no base table is read for the country, and the answer is the base
    tables' distinct count."""
    _chain(units, orgs)
    grow_chains(5, 30, units, orgs)
    fields = sorted(set(Initiative.objects.filter(year__gte=2021).values_list("field", flat=True)))
    asked = [
        (("org_kind",), {}, "stats_chainkindrollup"),
        (("replicated",), {}, "stats_chainkindrollup"),
        (("registration_kind", "status"), {"status": REGISTERED_STATUSES}, "stats_chainkindrollup"),
        (("org_kind", "year"), {"year_to": 2024}, "stats_chainkindrollup"),
        (("registration_kind", "field"), {}, "stats_chaindetailrollup"),
        (("org_kind",), {"field": fields[0]}, "stats_chaindetailrollup"),
        (("replicated",), {"field": fields[:2]}, "stats_chaindetailrollup"),
    ]
    for group_by, scope, table in asked:
        with CaptureQueriesContext(connection) as queries:
            found = cumulative_since(2021, group_by=group_by, **scope)
        read = " ".join(query["sql"] for query in queries.captured_queries)
        other = ({"stats_chainkindrollup", "stats_chaindetailrollup"} - {table}).pop()
        assert table in read, group_by
        assert other not in read, group_by
        assert "initiatives_initiative" not in read, group_by
        assert found == from_base_tables(2021, group_by=group_by, **scope), group_by
        assert found["rows"], group_by


def test_a_change_of_organisation_kind_moves_the_models_by_kind(units, orgs):
    """The organisation's kind is a key of the chain detail rows: changing it moves its
    models, as a rebuild would count them."""
    chain = _chain(units, orgs)
    organisation = chain[0].organisation
    new_kind = next(kind for kind in OrgKind.values if kind != organisation.kind)
    before = cumulative_since(2021, group_by=("org_kind",))
    organisation_update(actor=SYSTEM, organisation=organisation, kind=new_kind)
    after = cumulative_since(2021, group_by=("org_kind",))
    assert after != before
    assert new_kind in {row["org_kind"] for row in after["rows"]}
    assert after == from_base_tables(2021, group_by=("org_kind",))
    differences = rollup_differences()
    assert differences["stats_chaindetailrollup"] == 0
    assert differences["stats_chainkindrollup"] == 0


def test_the_chain_detail_rows_kept_write_by_write_equal_a_rebuild(units, orgs):
    grow_chains(13, 60, units, orgs)
    incremental = scenario.table_state()
    assert incremental["chain details"]
    assert incremental["chain kinds"]
    differences = rollup_differences()
    assert differences["stats_chaindetailrollup"] == 0
    assert differences["stats_chainkindrollup"] == 0
    rebuild_rollups(only=("chains", "chain_details", "chain_kinds"))
    assert scenario.table_state()["chain details"] == incremental["chain details"]
    assert scenario.table_state()["chain kinds"] == incremental["chain kinds"]
    assert scenario.table_state()["chains"] == incremental["chains"]
