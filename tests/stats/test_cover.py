"""A breakdown by unit that crosses boundary schemes is read from the rollups, through the
nodes that cover its rows (``danvan.stats.cover``), and equals the base tables' answer
(``danvan.stats.direct``, kept as the reference): today's Lâm Đồng as it was (by the legacy
provinces it was formed from), legacy Thanh Hóa as it was (its districts, then today's
units), legacy units restated on today's communes; both modes, one year and all years,
cut-offs inside a month, filters."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaKind, CodeScheme, SuccessionKind
from danvan.areas.services import area_create, area_succession_create, area_update
from danvan.core.limits import contribution_max
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import (
    REGISTERED_STATUSES,
    ContributionKind,
    ContributorType,
    Field,
)
from danvan.initiatives.services import contribution_add, initiative_create
from danvan.orgs.models import OrgKind
from danvan.stats.cover import cover_of
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import AS_WAS, RESTATED
from danvan.stats.nodes import ensure_area_nodes
from danvan.stats.selectors import contribution_figures, initiative_figures, level_from_rollups
from tests.factories import OrganisationFactory
from tests.stats import scenario

pytestmark = pytest.mark.django_db

D = datetime.date
LEGACY = ("Lâm Đồng", "Đắk Nông", "Bình Thuận", "Thanh Hóa", "Thái Bình", "Hưng Yên")
CURRENT = ("Lâm Đồng", "Thanh Hóa", "Hưng Yên")
KINDS = (OrgKind.WOMENS_UNION, OrgKind.YOUTH_UNION, OrgKind.PEOPLES_COMMITTEE)


def _below(area: Area, count: int) -> list[Area]:
    return list(Area.objects.filter(parent=area).order_by("code")[:count])


def _seed(org, area, year: int, number: int):
    """An initiative with gifts before, inside and after 15 November, of two kinds of
    contributors, so households and people taking part move on several days."""
    initiative = initiative_create(
        actor=SYSTEM,
        title=f"Mô hình {area.pk} {number}",
        field=Field.values[number % len(Field.values)],
        organisation=org,
        area=area,
        year=year,
    )
    days = (D(year, 3, 20), D(year, 11, 10), D(year, 11, 20))
    for index, day in enumerate(days[: 1 + number % 3]):
        kind = ContributionKind.values[(number + index) % len(ContributionKind.values)]
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=day,
            kind=kind,
            amount=min(1_000 * (number + 1) + index, contribution_max(kind)),
            contributor_type=(ContributorType.HOUSEHOLDS, ContributorType.INDIVIDUALS)[index % 2],
            contributors=3 + number + index,
            description="Xi măng",
        )
    if number % 2:
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="submit")
    if number % 4 == 1:
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="register")
    return initiative


@pytest.fixture
def lineages(areas, indicators):
    """Figures on the real units of three lineages: legacy Lâm Đồng, Đắk Nông and Bình Thuận
    (today's Lâm Đồng), legacy Thanh Hóa (today's Thanh Hóa alone), legacy Thái Bình and Hưng
    Yên (today's Hưng Yên). Each legacy province: the province itself, a district, three
    communes of two districts, in 2024 and 2025; each current province: itself and two
    communes, in 2025; then random writes over them (moves, corrections, transitions)."""
    w = SimpleNamespace(
        legacy={name: areas(f"Tỉnh {name}", CodeScheme.LEGACY) for name in LEGACY},
        current={name: areas(f"Tỉnh {name}") for name in CURRENT},
    )
    places: dict[str, Area] = {}
    orgs = []
    number = 0
    for scheme, provinces in ((CodeScheme.LEGACY, w.legacy), (CodeScheme.CURRENT, w.current)):
        for province in provinces.values():
            kinds = [KINDS[(len(orgs) + i) % len(KINDS)] for i in range(2)]
            mine = [OrganisationFactory(kind=kind, seat_area=province) for kind in kinds]
            orgs += mine
            if scheme == CodeScheme.LEGACY:
                first, second = _below(province, 2)
                units = [province, first, *_below(first, 2), *_below(second, 1)]
                years = (2024, 2025)
            else:
                units = [province, *_below(province, 2)]
                years = (2025,)
            for unit in units:
                places[f"{scheme} {unit.pk}"] = unit
                for year in years:
                    _seed(mine[number % 2], unit, year, number)
                    number += 1
    scenario.run(11, 60, places, orgs, indicators)
    w.places = places
    return w


def _no_base_tables(call):
    """Run ``call`` and fail if it read the initiatives or their ledgers."""
    with CaptureQueriesContext(connection) as queries:
        found = call()
    read = [q["sql"] for q in queries.captured_queries if "initiatives_" in q["sql"]]
    assert not read, read
    return found


INITIATIVE_QUESTIONS = [
    *({"group_by": ("level",), **years} for years in ({}, {"year_from": 2024, "year_to": 2024})),
    *(
        {"group_by": group_by, "year_from": 2025, "year_to": 2025}
        for group_by in (("level", "field"), ("level", "status", "org_kind"))
    ),
    {"group_by": ("year", "level"), "year_from": 2024, "year_to": 2025},
    {"group_by": ("level", "replicated", "registration_kind")},
    {"group_by": ("level",), "field": Field.ECONOMY},
    {"group_by": ("level", "field"), "status": list(REGISTERED_STATUSES), "year_from": 2024},
]
CONTRIBUTION_QUESTIONS = [
    {"group_by": ("level",)},
    {"group_by": ("level",), "cutoff": D(2024, 11, 30)},
    # A day inside a month: the months before it, then its days.
    {"group_by": ("level", "field"), "cutoff": D(2024, 11, 15)},
    {"group_by": ("level",), "start": D(2024, 3, 15), "cutoff": D(2025, 11, 15)},
    {
        "group_by": ("level", "contribution_month"),
        "start": D(2025, 11, 3),
        "cutoff": D(2025, 11, 17),
    },
    {"group_by": ("level",), "cutoff": D(2025, 11, 15), "year_from": 2025, "year_to": 2025},
    {"group_by": ("level", "status"), "cutoff": D(2024, 11, 15), "field": Field.ECONOMY},
    # Dated and by kind of organisation, registration kind or replication: the detail tables.
    {"group_by": ("level", "org_kind"), "cutoff": D(2024, 11, 15)},
    {"group_by": ("level", "replicated"), "start": D(2024, 3, 15), "cutoff": D(2025, 11, 30)},
]


def assert_breakdowns_match(area: Area, mode: str) -> None:
    assert not level_from_rollups(area, mode), (area, mode)
    for question in INITIATIVE_QUESTIONS:
        args = {"area": area, "mode": mode, **question}
        found = _no_base_tables(lambda a=args: initiative_figures(**a))
        assert found == initiative_figures_direct(**args), args
    for question in CONTRIBUTION_QUESTIONS:
        args = {"area": area, "mode": mode, **question}
        found = _no_base_tables(lambda a=args: contribution_figures(**a))
        assert found == contribution_figures_direct(**args), args


def test_a_current_province_as_it_was_by_the_legacy_provinces_it_was_formed_from(lineages):
    lam_dong = lineages.current["Lâm Đồng"]
    assert_breakdowns_match(lam_dong, AS_WAS)
    rows = {row["area_id"] for row in initiative_figures(area=lam_dong, group_by=("level",))}
    legacy = [lineages.legacy[name] for name in ("Lâm Đồng", "Đắk Nông", "Bình Thuận")]
    assert {province.pk for province in legacy} <= rows
    # Each legacy province went whole into today's Lâm Đồng: one node each.
    terms = cover_of(lam_dong, AS_WAS).terms
    for province in legacy:
        assert (AS_WAS, province.pk, province.pk, 1) in terms
    # Formed from one province alone: by that province's districts.
    assert_breakdowns_match(lineages.current["Thanh Hóa"], AS_WAS)
    assert_breakdowns_match(lineages.current["Hưng Yên"], AS_WAS)


def test_a_legacy_province_as_it_was_then_the_units_that_took_over_its_land(lineages):
    thanh_hoa = lineages.legacy["Thanh Hóa"]
    assert_breakdowns_match(thanh_hoa, AS_WAS)
    # After 2025 today's Thanh Hóa carries it on: by its communes.
    rows = initiative_figures(area=thanh_hoa, year_from=2025, year_to=2025, group_by=("level",))
    schemes = set(Area.objects.filter(pk__in=[r["area_id"] for r in rows]).values_list("scheme"))
    assert schemes == {(CodeScheme.LEGACY,), (CodeScheme.CURRENT,)}
    assert_breakdowns_match(lineages.legacy["Lâm Đồng"], AS_WAS)
    assert_breakdowns_match(_below(thanh_hoa, 1)[0], AS_WAS)  # a legacy district


def test_a_legacy_unit_restated_on_todays_communes(lineages):
    for name in ("Thanh Hóa", "Lâm Đồng", "Thái Bình"):
        assert_breakdowns_match(lineages.legacy[name], RESTATED)
    assert_breakdowns_match(_below(lineages.legacy["Thái Bình"], 1)[0], RESTATED)
    # Thanh Hóa alone became today's Thanh Hóa: its communes restated hold nothing else.
    assert {m for m, *_ in cover_of(lineages.legacy["Thanh Hóa"], RESTATED).terms} == {RESTATED}
    # Thái Bình's own figures are restated on today's Hưng Yên with legacy Hưng Yên's.
    thai_binh = lineages.legacy["Thái Bình"]
    assert {m for m, *_ in cover_of(thai_binh, RESTATED).terms} == {AS_WAS, RESTATED}
    rows = initiative_figures(area=thai_binh, mode=RESTATED, group_by=("level",))
    assert None in {row["area_id"] for row in rows}


def test_every_commune_carrying_figures_keeps_the_cover_exact(lineages):
    """With every unit of the lineages counted (as on a national data set), a province's own
    figures restated with another's are read as the territory's total minus its other rows,
    not by subtracting every commune."""
    provinces = [*lineages.legacy.values(), *lineages.current.values()]
    ensure_area_nodes(
        Area.objects.filter(
            path__regex=r"^(" + "|".join(str(p.pk) for p in provinces) + r")(\.|$)"
        ).values_list("pk", flat=True)
    )
    thai_binh = lineages.legacy["Thái Bình"]
    cover = cover_of(thai_binh, RESTATED)
    assert (AS_WAS, thai_binh.pk, None, 1) in cover.terms
    assert len(cover.nodes()[AS_WAS]) <= len(cover.nodes()[RESTATED]) + 1
    for area, mode in (
        (thai_binh, RESTATED),
        (lineages.legacy["Lâm Đồng"], RESTATED),
        (lineages.legacy["Thanh Hóa"], AS_WAS),
        (lineages.current["Lâm Đồng"], AS_WAS),
    ):
        assert_breakdowns_match(area, mode)


def test_a_units_first_figures_reach_a_cover_read_before(lineages):
    """A village of legacy Lâm Đồng whose land went to today's Thanh Hóa: once it carries
    figures, legacy Lâm Đồng no longer stands whole for today's Lâm Đồng as it was (the
    village's first figures move the version its cover is kept under)."""
    lam_dong = lineages.current["Lâm Đồng"]
    legacy = lineages.legacy["Lâm Đồng"]
    commune = _below(_below(legacy, 1)[0], 1)[0]
    village = area_create(actor=SYSTEM, name="Thôn Mới", kind=AreaKind.VILLAGE, parent=commune)
    area_update(actor=SYSTEM, area=village, valid_to=D(2025, 6, 30))
    area_succession_create(
        actor=SYSTEM,
        predecessor=village,
        successor=_below(lineages.current["Thanh Hóa"], 1)[0],
        date=D(2025, 7, 1),
        kind=SuccessionKind.MERGE,
    )
    assert_breakdowns_match(lam_dong, AS_WAS)  # the cover is read and kept
    assert (AS_WAS, legacy.pk, legacy.pk, 1) in cover_of(lam_dong, AS_WAS).terms
    org = OrganisationFactory(kind=OrgKind.WOMENS_UNION, seat_area=commune)
    _seed(org, village, 2024, 7)
    assert_breakdowns_match(lam_dong, AS_WAS)
    # Now legacy Lâm Đồng minus the village.
    assert (AS_WAS, village.pk, legacy.pk, -1) in cover_of(lam_dong, AS_WAS).terms
    assert_breakdowns_match(legacy, RESTATED)
    assert set(rollup_differences().values()) == {0}


def test_a_tree_change_reaches_a_cover_read_before(lineages):
    """A commune of legacy Đắk Nông moved under a district of legacy Thanh Hóa after the
    cover was read: Đắk Nông no longer holds its figures, today's Lâm Đồng as it was still
    does, on the commune's own row."""
    lam_dong = lineages.current["Lâm Đồng"]
    commune = _below(_below(lineages.legacy["Đắk Nông"], 1)[0], 1)[0]
    assert_breakdowns_match(lam_dong, AS_WAS)
    area_update(actor=SYSTEM, area=commune, parent=_below(lineages.legacy["Thanh Hóa"], 1)[0])
    assert_breakdowns_match(lam_dong, AS_WAS)
    rows = initiative_figures(area=lam_dong, group_by=("level",))
    assert commune.pk in {row["area_id"] for row in rows}
    assert_breakdowns_match(lineages.legacy["Thanh Hóa"], AS_WAS)
