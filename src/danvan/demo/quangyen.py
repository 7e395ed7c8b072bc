"""Quảng Yên town, Quảng Ninh province: the facts of its 2024 report.

"In 2024, 32 units and agencies registered 138 models." The five models the report describes are
registered with their published figures; the other 133 are generated, registered by 27 more
units of the town, so that the town's 2024 counts come out exactly 32 and 138. The background
population leaves Quảng Yên's 2024 alone so nothing else changes those counts.

The report says "Yên Giang ward" for the cultural-house model without naming the body; the
demo registers it under the ward's Fatherland Front committee, which runs residential areas'
cultural houses (an assumption).
"""

import datetime

from danvan.areas.models import Area, AreaKind
from danvan.demo.common import legacy_area, local_area, organisation
from danvan.demo.facts import Fact, Gift, Outcome, register
from danvan.demo.population import Generator, Planned
from danvan.demo.templates import KINDS_BY_FIELD
from danvan.initiatives.catalogues import ContributionKind, Field, Status
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation, OrgKind

YEAR = 2024
UNITS = 32
MODELS = 138
MONEY, IN_KIND = ContributionKind.MONEY, ContributionKind.IN_KIND


def quang_yen_town() -> Area:
    return legacy_area("Thị xã Quảng Yên", "Tỉnh Quảng Ninh")


def _named_models(gen: Generator, town: Area) -> list[Organisation]:
    """Register the five models the report describes; return their registering units."""
    yen_giang = legacy_area("Phường Yên Giang", town.name)
    lien_hoa = legacy_area("Xã Liên Hòa", town.name)
    for number in range(1, 7):  # zones 1–6, whose cultural houses residents equipped
        local_area(yen_giang, AreaKind.RESIDENTIAL_GROUP, f"Khu {number}")
    village_1 = local_area(lien_hoa, AreaKind.VILLAGE, "Thôn 1")
    ward_front = organisation(yen_giang, OrgKind.FATHERLAND_FRONT)
    ward_committee = organisation(yen_giang, OrgKind.PEOPLES_COMMITTEE)
    youth = organisation(lien_hoa, OrgKind.YOUTH_UNION)
    village_cell = organisation(village_1, OrgKind.PARTY_COMMITTEE)
    women = organisation(town, OrgKind.WOMENS_UNION)
    year_start, year_end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    facts = [
        Fact(
            key="yen_giang_cultural_houses",
            title="Dân vận khéo trong khai thác, quản lý nhà văn hóa khu dân cư",
            field=Field.CULTURE_SOCIETY,
            organisation=ward_front,
            area=yen_giang,
            year=YEAR,
            status=Status.IN_PROGRESS,
            start_date=year_start,
            summary=(
                "Nhân dân các khu đóng góp trang thiết bị, lát sân cho nhà văn hóa khu 1–6; "
                "khu 2 có thêm tranh tường, giàn hoa, dụng cụ thể thao và đồ chơi."
            ),
            tags=("nhà văn hóa",),
            gifts=[
                Gift(IN_KIND, 180_000_000,
                     "16 máy điều hòa cho nhà văn hóa khu 1, 2, 3, 4 (trên 180 triệu đồng)"),
                Gift(IN_KIND, 200_000_000,
                     "Ti vi, loa, âm ly, micro, bàn ghế cho nhà văn hóa khu 1, 2, 3, 4, 6 "
                     "(trên 200 triệu đồng)"),
                Gift(IN_KIND, 300_000_000,
                     "Lát trên 1.200 m² sân nhà văn hóa khu 1, 3, 4 (trên 300 triệu đồng)"),
                Gift(IN_KIND, 350_000_000,
                     "Màn hình LED cho nhà văn hóa khu 1, 3, 6 (trên 350 triệu đồng, "
                     "đang thực hiện)"),
            ],
            outcomes=[
                Outcome("area_paved_m2", "1200", "Sân nhà văn hóa khu 1, 3, 4 (trên 1.200 m²)")
            ],
        ),
        Fact(
            key="yen_giang_digital",
            title="Dân vận khéo trong thực hiện chuyển đổi số toàn diện",
            field=Field.PARTY_BUILDING,
            organisation=ward_committee,
            area=yen_giang,
            year=YEAR,
            start_date=year_start,
            end_date=year_end,
            exemplary=True,
            summary="Phường được Ủy ban nhân dân tỉnh Quảng Ninh tặng Bằng khen.",
            tags=("chuyển đổi số", "Bằng khen UBND tỉnh"),
            outcomes=[
                Outcome("pct_residents_4g", "96"),
                Outcome("pct_fees_qr", "100"),
                Outcome("pct_online_payment", "89.5"),
                Outcome("pct_cashless_beneficiaries", "89.7"),
                Outcome("pct_cashless_social_insurance", "86.4"),
                Outcome("pct_cashless_pensioners", "87.6"),
            ],
        ),
        Fact(
            key="lien_hoa_railings",
            title="Lan can chống đuối nước tuyến đường kênh sinh thái thôn 1",
            field=Field.CULTURE_SOCIETY,
            organisation=youth,
            area=village_1,
            year=YEAR,
            start_date=year_start,
            end_date=year_end,
            gifts=[Gift(MONEY, 75_000_000, "Vận động làm lan can chống đuối nước")],
            outcomes=[Outcome("railing_m", "120")],
        ),
        Fact(
            key="lien_hoa_village_1_roads",
            title="Dân vận khéo trong làm đường giao thông nông thôn, xây dựng thôn nông thôn mới",
            field=Field.ECONOMY,
            organisation=village_cell,
            area=village_1,
            year=YEAR,
            start_date=year_start,
            end_date=year_end,
            gifts=[
                Gift(MONEY, 352_000_000,
                     "Tiền mặt và giá trị đất hiến làm đường (quy đổi thành tiền)")
            ],
            outcomes=[Outcome("concrete_alley_m", "326", "Đường ngõ bê tông rộng 3 m")],
        ),
        Fact(
            key="quang_yen_godparents",
            title="Mẹ đỡ đầu",
            field=Field.CULTURE_SOCIETY,
            organisation=women,
            area=town,
            year=YEAR,
            status=Status.IN_PROGRESS,
            start_date=year_start,
            summary="Năm 2024 nhận đỡ đầu thêm 2 trẻ, nâng tổng số lên 28 trẻ.",
            tags=("mẹ đỡ đầu",),
            gifts=[
                Gift(MONEY, 106_800_000, "Kinh phí hỗ trợ các con đỡ đầu năm 2024",
                     "benefactors"),
                Gift(MONEY, 64_200_000, "Quà Tết Thiếu nhi và năm học mới cho các con đỡ đầu",
                     "benefactors"),
                Gift(MONEY, 310_000_000, "Thăm, hỗ trợ 223 hộ hội viên có hoàn cảnh khó khăn",
                     "benefactors"),
            ],
            outcomes=[
                Outcome("children_sponsored_new", "2", period_end=year_end),
                Outcome("children_sponsored_total", "28", period_end=year_end),
                Outcome("households_supported", "223", period_end=year_end),
            ],
        ),
    ]  # fmt: skip
    for fact in facts:
        register(gen, fact)
    return [ward_front, ward_committee, youth, village_cell, women]


def _other_units(town: Area) -> list[Organisation]:
    """The 27 other units that registered in 2024: town bodies and commune Front committees."""
    town_kinds = (
        OrgKind.FATHERLAND_FRONT,
        OrgKind.YOUTH_UNION,
        OrgKind.FARMERS_ASSOCIATION,
        OrgKind.VETERANS_ASSOCIATION,
        OrgKind.TRADE_UNION,
        OrgKind.POLICE,
        OrgKind.MILITARY,
    )
    units = [organisation(town, kind) for kind in town_kinds]
    communes = list(town.children.order_by("code"))
    units += [
        organisation(commune, OrgKind.FATHERLAND_FRONT)
        for commune in communes
        if commune.name not in {"Phường Yên Giang", "Xã Liên Hòa"}
    ]
    by_name = {commune.name: commune for commune in communes}
    units += [
        organisation(by_name["Phường Yên Giang"], OrgKind.PARTY_COMMITTEE),
        organisation(by_name["Xã Liên Hòa"], OrgKind.FARMERS_ASSOCIATION),
        organisation(by_name["Phường Quảng Yên"], OrgKind.WOMENS_UNION),
    ]
    return units


def field_for(gen: Generator, kind: str) -> str:
    """Pick a field a unit of ``kind`` plausibly registers in."""
    fields = [(f, dict(kinds).get(kind, 0)) for f, kinds in KINDS_BY_FIELD.items()]
    fields = [(f, weight) for f, weight in fields if weight] or [(Field.ECONOMY, 1)]
    return gen.rng.choices([f for f, _ in fields], weights=[w for _, w in fields])[0]


def load_quang_yen(gen: Generator) -> None:
    """Register Quảng Yên's 2024 models: the five published ones and the rest of the 138."""
    town = quang_yen_town()
    named = _named_models(gen, town)
    others = _other_units(town)
    registering = named + others
    assert len({org.pk for org in registering}) == UNITS, "Quảng Yên must have 32 units"
    # Every unit registered at least one model; the rest fall where they fall.
    filler_count = MODELS - len(named)
    owners = others + [gen.rng.choice(registering) for _ in range(filler_count - len(others))]
    plans: list[Planned] = []
    for org in owners:
        plans.append(gen.plan_for_org(YEAR, field_for(gen, org.kind), org, org.seat_area))
    gen.build(plans)


def quang_yen_2024() -> "tuple[int, int]":
    """Return (registering units, models) of Quảng Yên town in 2024, for checks."""
    town = quang_yen_town()
    queryset = Initiative.objects.filter(year=YEAR, area__path__startswith=town.subtree_prefix)
    queryset = queryset | Initiative.objects.filter(year=YEAR, area=town)
    return queryset.values("organisation").distinct().count(), queryset.count()
