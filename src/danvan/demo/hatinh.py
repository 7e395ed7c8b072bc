"""Hà Tĩnh province: the facts of its 2023 report.

Units are the legacy official list as it stood on 30 June 2025, so a few differ from the report:
Lộc Hà district had been merged into Thạch Hà, and Thạch Kim commune is filed under Thạch Hà;
Nguyễn Du ward of Hà Tĩnh city had been merged earlier and is not in the list at all, so it is
created here as a historical ward with its succession. The report gives no year or place for the
replicated models; the years and the replicas' communes below are illustrative.
"""

import datetime
import random
from decimal import Decimal

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaKind, CodeScheme, SuccessionKind
from danvan.areas.services import area_create, area_succession_create
from danvan.demo.common import legacy_area, local_area, organisation
from danvan.demo.facts import Fact, Outcome, register
from danvan.demo.population import ACTIVE, Generator, Planned
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import result_add
from danvan.orgs.models import OrgKind

PROVINCE = "Tỉnh Hà Tĩnh"
CAN_LOC_YEAR = 2023
CAN_LOC_MODELS = 119
NINE_MONTHS = (datetime.date(2023, 1, 1), datetime.date(2023, 9, 30))
# Can Lộc's results of the first nine months of 2023, as (indicator, total, step).
CAN_LOC_NINE_MONTHS = (
    ("canal_new_km", Decimal("7.1"), Decimal("0.1")),
    ("canal_dredged_km", Decimal("36.2"), Decimal("0.1")),
    ("alley_cleaned_km", Decimal("1.2"), Decimal("0.1")),
    ("road_renovated_m", Decimal("916"), Decimal("1")),
    ("mixed_gardens", Decimal("34"), Decimal("1")),
    ("home_gardens", Decimal("750"), Decimal("1")),
    ("model_gardens", Decimal("45"), Decimal("1")),
    ("model_residential_areas", Decimal("12"), Decimal("1")),
)
NGUYEN_DU_CODE = "HIST-NGUYENDU"
# Assumption: the report does not say which ward Nguyễn Du was merged into; Bắc Hà, its
# neighbour in the city centre, is taken as the most plausible successor.
NGUYEN_DU_SUCCESSOR = "Phường Bắc Hà"
NGUYEN_DU_LAST_DAY = datetime.date(2024, 12, 31)


def district(name: str) -> Area:
    return legacy_area(name, PROVINCE)


def nguyen_du_ward() -> Area:
    """Return the historical Nguyễn Du ward of Hà Tĩnh city, creating it with its merge."""
    found = Area.objects.filter(scheme=CodeScheme.LEGACY, code=NGUYEN_DU_CODE).first()
    if found is not None:
        return found
    city = district("Thành phố Hà Tĩnh")
    ward = area_create(
        actor=SYSTEM,
        name="Phường Nguyễn Du",
        kind=AreaKind.WARD,
        code=NGUYEN_DU_CODE,
        scheme=CodeScheme.LEGACY,
        parent=city,
        valid_to=NGUYEN_DU_LAST_DAY,
    )
    area_succession_create(
        actor=SYSTEM,
        predecessor=ward,
        successor=legacy_area(NGUYEN_DU_SUCCESSOR, city.name),
        date=NGUYEN_DU_LAST_DAY + datetime.timedelta(days=1),
        kind=SuccessionKind.MERGE,
        note="Demo data: the successor ward is an assumption.",
    )
    return ward


def split_exactly(total: Decimal, parts: int, step: Decimal, rng: random.Random) -> list:
    """Split ``total`` into ``parts`` positive multiples of ``step`` that add up to it exactly."""
    units = int(total / step)
    parts = max(1, min(parts, units))
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    bounds = [0, *cuts, units]
    return [(bounds[i + 1] - bounds[i]) * step for i in range(parts)]


def _fire_prevention(gen: Generator) -> None:
    ward = nguyen_du_ward()
    group_3 = local_area(ward, AreaKind.RESIDENTIAL_GROUP, "Tổ dân phố 3")
    family_8 = local_area(group_3, AreaKind.FAMILY_GROUP, "Nhóm hộ gia đình số 8")
    fact = Fact(
        title="Tổ liên gia an toàn phòng cháy, chữa cháy và điểm chữa cháy công cộng",
        field=Field.DEFENCE_SECURITY,
        organisation=organisation(group_3, OrgKind.FATHERLAND_FRONT),
        area=family_8,
        year=2023,
        status=Status.IN_PROGRESS,
        tags=("phòng cháy chữa cháy",),
        outcomes=[Outcome("fire_groups", "1"), Outcome("fire_points", "1")],
    )
    register(gen, fact)


def _thien_loc(gen: Generator) -> None:
    # Assumption: the report credits "the commune"; its Fatherland Front is taken as registrant.
    commune = legacy_area("Xã Thiên Lộc", "Huyện Can Lộc")
    front = organisation(commune, OrgKind.FATHERLAND_FRONT)
    end_2021 = datetime.date(2021, 12, 31)
    original = register(
        gen,
        Fact(
            key="thien_loc_2020",
            title="Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu",
            field=Field.ECONOMY,
            organisation=front,
            area=commune,
            year=2020,
            start_date=datetime.date(2020, 1, 1),
            end_date=end_2021,
            exemplary=True,
            summary=(
                "“Đường có hoa, nhà có số, chuyển đổi số là mục tiêu”. Xã đạt chuẩn nông "
                "thôn mới kiểu mẫu cuối năm 2021."
            ),
            tags=("nông thôn mới",),
            outcomes=[
                Outcome("households_taking_part", "1000", "Trên 1.000 hộ hiến đất, tài sản"),
                Outcome("roads_widened", "70", "Khoảng 70 tuyến đường mở rộng từ 5 m trở lên"),
                Outcome("model_residential_areas", "10", "10/10 thôn đạt chuẩn", target="10"),
            ],
        ),
    )
    register(
        gen,
        Fact(
            key="thien_loc_2023",
            title="Đường có hoa, nhà có số, chuyển đổi số là mục tiêu",
            field=Field.ECONOMY,
            organisation=front,
            area=commune,
            year=CAN_LOC_YEAR,
            status=Status.IN_PROGRESS,
            continued_from=original,
            tags=("nông thôn mới", "chuyển đổi số"),
        ),
    )


def _can_loc_2023(gen: Generator) -> None:
    """Fill Can Lộc's 2023 up to 119 models and spread its nine-month results over them."""
    can_loc = district("Huyện Can Lộc")
    communes = list(can_loc.children.order_by("code"))
    already = Initiative.objects.filter(
        year=CAN_LOC_YEAR, area__path__startswith=can_loc.subtree_prefix
    ).count()
    weights = {Field.ECONOMY: 55, Field.CULTURE_SOCIETY: 20, Field.DEFENCE_SECURITY: 15}
    weights[Field.PARTY_BUILDING] = 10
    slots = []
    for _ in range(CAN_LOC_MODELS - already):
        field = gen.rng.choices(list(weights), weights=list(weights.values()))[0]
        slots.append((gen.rng.choice(communes), field, gen.kind_for(field)))
    gen.orgs.ensure([(seat, kind) for seat, _, kind in slots])
    plans = [
        Planned(CAN_LOC_YEAR, field, gen.orgs.get(seat, kind), seat, gen.template(field))
        for seat, field, kind in slots
    ]
    spread = frozenset(code for code, _, _ in CAN_LOC_NINE_MONTHS)
    built = gen.build(plans, skip_indicators=spread)
    economy = [i for i in built if i.field == Field.ECONOMY and i.status in ACTIVE]
    economy = economy or [i for i in built if i.field == Field.ECONOMY]
    for code, total, step in CAN_LOC_NINE_MONTHS:
        chosen = gen.rng.sample(economy, min(4, len(economy)))
        for initiative, value in zip(
            chosen, split_exactly(total, len(chosen), step, gen.rng), strict=False
        ):
            result_add(
                actor=SYSTEM,
                initiative=initiative,
                indicator=gen.indicators[code],
                value=value,
                period_start=NINE_MONTHS[0],
                period_end=NINE_MONTHS[1],
                note="9 tháng đầu năm 2023",
            )


def _replicated(gen: Generator) -> None:
    """Register the replicated models: an origin and the places that copied it."""
    province = Area.objects.get(scheme=CodeScheme.LEGACY, name=PROVINCE)
    c = legacy_area
    families = [
        # (key, title, field, origin (year, area, kind), replicas [(year, area, kind)],
        #  exemplary)
        ("deer_farming", "Nuôi hươu nhốt chuồng", Field.ECONOMY,
         (2015, c("Xã Sơn Giang", "Huyện Hương Sơn"), OrgKind.FARMERS_ASSOCIATION),
         [(2017, c("Xã Sơn Trung", "Huyện Hương Sơn"), OrgKind.FARMERS_ASSOCIATION),
          (2018, c("Xã Sơn Lễ", "Huyện Hương Sơn"), OrgKind.FARMERS_ASSOCIATION)], False),
        ("fish_sauce", "Hợp tác xã chế biến nước mắm", Field.ECONOMY,
         (2016, c("Xã Thạch Kim", "Huyện Thạch Hà"), OrgKind.WOMENS_UNION),
         [(2019, c("Thị trấn Lộc Hà", "Huyện Thạch Hà"), OrgKind.WOMENS_UNION),
          (2020, c("Xã Thạch Châu", "Huyện Thạch Hà"), OrgKind.WOMENS_UNION)], False),
        ("ha_tinh_godparents", "Mẹ đỡ đầu", Field.CULTURE_SOCIETY,
         (2014, province, OrgKind.WOMENS_UNION),
         [(2016, district("Huyện Can Lộc"), OrgKind.WOMENS_UNION),
          (2017, district("Huyện Cẩm Xuyên"), OrgKind.WOMENS_UNION)], False),
        ("storm_shelters", "Vận động nguồn lực xây dựng nhà tránh trú bão, nhà văn hóa cộng đồng",
         Field.CULTURE_SOCIETY, (2014, province, OrgKind.FATHERLAND_FRONT),
         [(2018, c("Xã Cẩm Nhượng", "Huyện Cẩm Xuyên"), OrgKind.FATHERLAND_FRONT),
          (2019, c("Xã Xuân Hội", "Huyện Nghi Xuân"), OrgKind.FATHERLAND_FRONT)], False),
        ("ca_tru", "Bảo tồn, phát huy nghệ thuật Ca trù và dân ca Ví, Giặm", Field.CULTURE_SOCIETY,
         (2014, district("Huyện Nghi Xuân"), OrgKind.PEOPLES_COMMITTEE),
         [(2016, c("Xã Cổ Đạm", "Huyện Nghi Xuân"), OrgKind.PEOPLES_COMMITTEE),
          (2017, c("Thị trấn Tiên Điền", "Huyện Nghi Xuân"), OrgKind.PEOPLES_COMMITTEE)],
         False),
        # Assumption: the report names no place for the cameras; Nghèn township is illustrative.
        ("security_cameras", "Camera an ninh trong khu dân cư", Field.DEFENCE_SECURITY,
         (2018, c("Thị trấn Nghèn", "Huyện Can Lộc"), OrgKind.POLICE),
         [(2020, c("Thị trấn Cẩm Xuyên", "Huyện Cẩm Xuyên"), OrgKind.POLICE),
          (2021, c("Xã Xuân Giang", "Huyện Nghi Xuân"), OrgKind.POLICE)], False),
        ("blood_bank", "Câu lạc bộ “Ngân hàng máu sống”", Field.CULTURE_SOCIETY,
         (2019, district("Huyện Cẩm Xuyên"), OrgKind.YOUTH_UNION),
         [(2021, district("Huyện Can Lộc"), OrgKind.YOUTH_UNION),
          (2022, district("Huyện Nghi Xuân"), OrgKind.YOUTH_UNION)], True),
    ]  # fmt: skip
    for key, title, field, (year, area, kind), replicas, exemplary in families:
        origin = register(
            gen,
            Fact(
                key=key,
                title=title,
                field=field,
                organisation=organisation(area, kind),
                area=area,
                year=year,
                exemplary=exemplary,
                summary="Được Ban Dân vận Tỉnh ủy biểu dương." if exemplary else "",
                tags=("nhân rộng",),
            ),
        )
        for replica_year, replica_area, replica_kind in replicas:
            register(
                gen,
                Fact(
                    title=title,
                    field=field,
                    organisation=organisation(replica_area, replica_kind),
                    area=replica_area,
                    year=replica_year,
                    replicated_from=origin,
                    tags=("nhân rộng",),
                ),
            )


def load_ha_tinh(gen: Generator) -> None:
    """Register Hà Tĩnh's published models, then fill Can Lộc's 2023 to its 119."""
    _replicated(gen)
    _thien_loc(gen)
    _fire_prevention(gen)
    _can_loc_2023(gen)
