"""A year of the movement in Thị xã Quảng Yên (legacy units of 2024), recorded through the
services so the stats rollups are in step, and the people who ask for its reports."""

import datetime
from types import SimpleNamespace

import pytest

from danvan.accounts.models import Role
from danvan.accounts.scope import SYSTEM
from danvan.areas.models import CodeScheme
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    Field,
    Unit,
)
from danvan.initiatives.services import (
    contribution_add,
    indicator_create,
    initiative_create,
    result_add,
)
from danvan.orgs.models import OrgKind
from danvan.review import services as review
from danvan.review.models import RecognitionLevel
from tests.factories import OrganisationFactory, UserFactory
from tests.factories_review import AwardTitleFactory, RoleAssignmentFactory
from tests.people import person, world  # noqa: F401


def _registered(**fields):
    initiative = initiative_create(actor=SYSTEM, **fields)
    lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="submit")
    lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="register")
    initiative.refresh_from_db()
    return initiative


def _give(initiative, day, kind, amount, contributors=0, description=""):
    contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=day,
        kind=kind,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=contributors,
        description=description or "Đóng góp của nhân dân",
    )


def _decision(number):
    return {
        "decision_number": number,
        "decision_date": datetime.date(2024, 6, 20),
        "issuing_body": "UBND thị xã Quảng Yên",
    }


def _award(actor, initiative, level, then=()):
    """Propose ``initiative`` at ``level``, then take the award through the steps ``then``
    ("recognise", "nominate", "commend"); return the last award (a nomination's proposal)."""
    award = review.award_propose(
        actor=actor, initiative=initiative, title=AwardTitleFactory(), level=level
    )
    for number, step in enumerate(then, start=1):
        if step == "recognise":
            award = review.award_recognise(actor=actor, award=award, **_decision(f"{number}/QĐ"))
        elif step == "nominate":
            award = review.award_nominate(actor=actor, award=award)
        else:
            award = review.award_commend(actor=actor, award=award, **_decision(f"{number}/QĐ-KT"))
    return award


@pytest.fixture
def movement(world, areas, media_root):  # noqa: F811
    """Initiatives of 2023 and 2024 in the legacy town of Quảng Yên, their contributions in
    and after the first six months of 2024, and two measured results."""
    m = SimpleNamespace(world=world)
    m.town = areas("Thị xã Quảng Yên", CodeScheme.LEGACY)
    m.lien_hoa = areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
    m.ha_an = areas("Phường Hà An", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
    m.youth_lien_hoa = OrganisationFactory(
        name="Đoàn Thanh niên xã Liên Hòa", kind=OrgKind.YOUTH_UNION, seat_area=m.lien_hoa
    )
    m.front_ha_an = OrganisationFactory(
        name="Ủy ban MTTQ phường Hà An", kind=OrgKind.FATHERLAND_FRONT, seat_area=m.ha_an
    )
    m.houses = _registered(
        title="Khai thác, quản lý nhà văn hóa khu dân cư",
        field=Field.CULTURE_SOCIETY,
        organisation=world.wu_yen_giang,
        area=world.yen_giang,
        year=2024,
    )
    m.digital = _registered(
        title="Dân vận khéo trong chuyển đổi số toàn diện",
        field=Field.PARTY_BUILDING,
        organisation=world.pc_yen_giang,
        area=world.yen_giang,
        year=2024,
        exemplary=True,
    )
    m.railings = _registered(
        title="Lan can chống đuối nước tuyến đường kênh sinh thái",
        field=Field.DEFENCE_SECURITY,
        organisation=m.youth_lien_hoa,
        area=m.lien_hoa,
        year=2024,
    )
    m.roads_2023 = _registered(
        title="Đường giao thông nông thôn thôn 1",
        field=Field.ECONOMY,
        organisation=m.front_ha_an,
        area=m.ha_an,
        year=2023,
    )
    m.roads_2024 = _registered(
        title="Đường giao thông nông thôn thôn 1 (tiếp)",
        field=Field.ECONOMY,
        organisation=m.front_ha_an,
        area=m.ha_an,
        year=2024,
        continued_from=m.roads_2023,
    )
    m.houses_copy = _registered(
        title="Nhà văn hóa khu dân cư Hà An",
        field=Field.CULTURE_SOCIETY,
        organisation=m.front_ha_an,
        area=m.ha_an,
        year=2024,
    )
    lifecycle.initiative_set_replication(actor=SYSTEM, initiative=m.houses_copy, source=m.houses)
    # A draft is not a registered model: no report counts it.
    m.draft = initiative_create(
        actor=SYSTEM,
        title="Bản nháp chưa gửi",
        field=Field.ECONOMY,
        organisation=m.youth_lien_hoa,
        area=m.lien_hoa,
        year=2024,
    )
    _give(m.houses, datetime.date(2024, 3, 5), ContributionKind.MONEY, 180_000_000, 40)
    _give(
        m.houses,
        datetime.date(2024, 4, 9),
        ContributionKind.IN_KIND,
        200_000_000,
        25,
        "Ti vi, loa, bàn ghế",
    )
    _give(m.houses, datetime.date(2024, 8, 1), ContributionKind.MONEY, 350_000_000, 60)
    _give(m.railings, datetime.date(2024, 5, 20), ContributionKind.MONEY, 75_000_000, 30)
    _give(m.railings, datetime.date(2024, 5, 21), ContributionKind.LABOUR, 120, 30)
    _give(m.roads_2024, datetime.date(2024, 2, 14), ContributionKind.LAND, 1_200, 12)
    _give(m.roads_2023, datetime.date(2023, 9, 1), ContributionKind.MONEY, 352_000_000, 80)
    _give(m.draft, datetime.date(2024, 3, 1), ContributionKind.MONEY, 999_000_000, 9)
    m.canal = indicator_create(
        actor=SYSTEM,
        code="r_canal_km",
        name_vi="Kênh mương nội đồng làm mới",
        name_en="New inner-field canals",
        name_ar="قنوات حقلية جديدة",
        unit=Unit.KM,
        aggregation=Aggregation.SUM,
    )
    m.sim = indicator_create(
        actor=SYSTEM,
        code="r_sim_4g",
        name_vi="Người dân chuyển sang SIM 4G",
        name_en="Residents moved to 4G SIMs",
        name_ar="السكان الذين انتقلوا إلى شرائح الجيل الرابع",
        unit=Unit.PERCENT,
        aggregation=Aggregation.AVERAGE,
    )
    result_add(
        actor=SYSTEM,
        initiative=m.railings,
        indicator=m.canal,
        value="7.1",
        period_end=datetime.date(2024, 6, 30),
    )
    result_add(
        actor=SYSTEM,
        initiative=m.roads_2024,
        indicator=m.canal,
        value="36.2",
        period_end=datetime.date(2024, 6, 30),
    )
    result_add(
        actor=SYSTEM,
        initiative=m.digital,
        indicator=m.sim,
        value="96",
        period_end=datetime.date(2024, 6, 30),
    )
    result_add(
        actor=SYSTEM,
        initiative=m.houses,
        indicator=m.sim,
        value="89.5",
        period_end=datetime.date(2024, 6, 30),
    )
    # Awards of 2024's models, at every stage: the houses recognised by the commune and
    # nominated, then commended by the district; the digital model recognised at two levels
    # (one initiative, counted once in the stage's total); the copied houses recognised; the
    # railings only proposed. 2023's roads were commended, but not in the report's year.
    root = UserFactory(username="awards_root", is_superuser=True)
    commune, district = RecognitionLevel.COMMUNE, RecognitionLevel.DISTRICT
    _award(root, m.houses, commune, then=("recognise", "nominate", "commend"))
    _award(root, m.digital, commune, then=("recognise",))
    _award(root, m.digital, district, then=("recognise",))
    _award(root, m.houses_copy, commune, then=("recognise",))
    _award(root, m.railings, commune)
    _award(root, m.roads_2023, commune, then=("commend",))
    m.central = person("central", member_of=None)
    RoleAssignmentFactory(user=m.central, role=Role.VIEWER, nationwide=True)
    return m
