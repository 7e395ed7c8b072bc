"""What generated initiatives look like, field by field.

The titles are the kinds of models the commissions' reports list year after year; each brings
the results it would measure. The contribution profiles give each field its usual mix: economic
models are built on donated land, money and labour; cultural and social ones on money and gifts;
security models on cameras and volunteers' hours; Party-building models mobilise little material
and are judged by their results.
"""

from dataclasses import dataclass

from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.orgs.models import OrgKind


@dataclass(frozen=True)
class ResultRange:
    indicator: str
    low: float
    high: float
    places: int = 0


@dataclass(frozen=True)
class Template:
    title: str
    results: tuple[ResultRange, ...]


@dataclass(frozen=True)
class ContributionProfile:
    kind: str
    probability: float
    low: int
    high: int
    step: int
    contributor_types: tuple[str, ...]
    descriptions: tuple[str, ...] = ()


R = ResultRange
TEMPLATES: dict[str, tuple[Template, ...]] = {
    Field.ECONOMY: (
        Template("Dân vận khéo trong hiến đất, mở rộng đường giao thông nông thôn",
                 (R("road_renovated_m", 150, 2500), R("land_donated_m2", 200, 6000),
                  R("households_taking_part", 20, 300))),
        Template("Vận động nhân dân làm mới, nạo vét kênh mương nội đồng",
                 (R("canal_new_km", 0.2, 3.0, 1), R("canal_dredged_km", 0.5, 8.0, 1))),
        Template("Cải tạo vườn tạp, xây dựng vườn mẫu",
                 (R("mixed_gardens", 3, 40), R("model_gardens", 1, 10))),
        Template("Dân vận khéo trong dồn điền, đổi thửa, tích tụ ruộng đất",
                 (R("households_taking_part", 30, 400),)),
        Template("Tổ hợp tác sản xuất rau, củ, quả an toàn",
                 (R("cooperative_members", 8, 60),)),
        Template("Giúp nhau phát triển kinh tế, giảm nghèo bền vững",
                 (R("households_out_of_poverty", 2, 40),)),
        Template("Bê tông hóa đường ngõ xóm, xây dựng khu dân cư nông thôn mới kiểu mẫu",
                 (R("concrete_alley_m", 100, 1500), R("model_residential_areas", 1, 3))),
        Template("Chỉnh trang vườn hộ, hàng rào xanh",
                 (R("home_gardens", 10, 120),)),
    ),
    Field.CULTURE_SOCIETY: (
        Template("Vận động xây dựng, nâng cấp nhà văn hóa thôn, khu dân cư",
                 (R("cultural_houses", 1, 4), R("area_paved_m2", 100, 1200))),
        Template("Phụ nữ nhận đỡ đầu trẻ em có hoàn cảnh đặc biệt khó khăn",
                 (R("children_sponsored_new", 1, 8),)),
        Template("Vận động nguồn lực xây dựng nhà tránh trú bão",
                 (R("storm_shelters", 1, 3),)),
        Template("Thu gom, phân loại rác thải tại nguồn",
                 (R("pct_households_sorting_waste", 55, 98, 1),)),
        Template("Tuyến đường hoa, thắp sáng đường quê",
                 (R("road_renovated_m", 200, 3000),)),
        Template("Câu lạc bộ dân ca Ví, Giặm",
                 (R("club_members", 15, 60),)),
        Template("Thăm hỏi, hỗ trợ hội viên có hoàn cảnh khó khăn",
                 (R("households_supported", 5, 120),)),
    ),
    Field.DEFENCE_SECURITY: (
        Template("Camera an ninh trong khu dân cư",
                 (R("cameras_installed", 4, 60),)),
        Template("Tổ liên gia an toàn phòng cháy, chữa cháy",
                 (R("fire_groups", 1, 12), R("fire_points", 1, 6))),
        Template("Tổ tự quản an ninh trật tự, khu dân cư không có tội phạm",
                 (R("households_taking_part", 30, 400),)),
        Template("Vận động nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ",
                 (R("households_taking_part", 10, 150),)),
        Template("Lan can chống đuối nước, dạy bơi cho trẻ em",
                 (R("railing_m", 40, 400),)),
    ),
    Field.PARTY_BUILDING: (
        Template("Dân vận khéo trong phát triển đảng viên ở khu dân cư",
                 (R("party_members_admitted", 1, 12),)),
        Template("Đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với nhân dân",
                 (R("dialogues_held", 2, 24),)),
        Template("Chi bộ kiểu mẫu, đảng viên nêu gương",
                 (R("pct_cells_excellent", 40, 95, 1),)),
        Template("Nắm bắt tâm tư, nguyện vọng của nhân dân, giải quyết kiến nghị từ cơ sở",
                 (R("dialogues_held", 2, 12),)),
    ),
}  # fmt: skip

_HH, _IND, _BIZ, _BEN, _ORG = (
    ContributorType.HOUSEHOLDS,
    ContributorType.INDIVIDUALS,
    ContributorType.BUSINESSES,
    ContributorType.BENEFACTORS,
    ContributorType.ORGANISATIONS,
)
M, L, W, K = (
    ContributionKind.MONEY,
    ContributionKind.LAND,
    ContributionKind.LABOUR,
    ContributionKind.IN_KIND,
)
P = ContributionProfile
PROFILES: dict[str, tuple[ContributionProfile, ...]] = {
    Field.ECONOMY: (
        P(M, 0.75, 20_000_000, 2_000_000_000, 100_000, (_HH, _HH, _BIZ, _BEN)),
        P(L, 0.50, 50, 6_000, 1, (_HH,)),
        P(W, 0.60, 50, 3_000, 1, (_HH, _IND)),
        P(K, 0.30, 10_000_000, 500_000_000, 1_000_000, (_HH, _BIZ),
          ("Xi măng, cát, sỏi, đá", "Cây giống, phân bón", "Cột điện, bóng đèn chiếu sáng",
           "Vật liệu làm hàng rào xanh")),
    ),
    Field.CULTURE_SOCIETY: (
        P(M, 0.70, 5_000_000, 600_000_000, 100_000, (_HH, _BEN, _BIZ, _IND)),
        P(K, 0.50, 3_000_000, 300_000_000, 500_000, (_HH, _BEN, _BIZ),
          ("Bàn ghế, loa đài, âm thanh", "Sách vở, quà cho học sinh", "Gạo, nhu yếu phẩm",
           "Cây xanh, hoa, chậu cảnh")),
        P(W, 0.40, 20, 1_500, 1, (_HH, _IND)),
        P(L, 0.08, 30, 800, 1, (_HH,)),
    ),
    Field.DEFENCE_SECURITY: (
        P(M, 0.45, 5_000_000, 250_000_000, 100_000, (_HH, _BIZ, _BEN)),
        P(K, 0.40, 5_000_000, 150_000_000, 500_000, (_HH, _BIZ),
          ("Camera, dây dẫn, đầu ghi", "Bình chữa cháy, thang, búa, kìm cộng lực",
           "Áo phao, phao cứu sinh")),
        P(W, 0.45, 20, 1_200, 1, (_IND, _HH)),
        P(L, 0.02, 20, 200, 1, (_HH,)),
    ),
    Field.PARTY_BUILDING: (
        P(M, 0.20, 2_000_000, 80_000_000, 100_000, (_IND, _ORG)),
        P(W, 0.30, 10, 400, 1, (_IND,)),
        P(K, 0.10, 2_000_000, 40_000_000, 500_000, (_ORG,), ("Tủ sách, tài liệu sinh hoạt",)),
    ),
}  # fmt: skip

# Which registering units tend to run models of each field, with weights.
KINDS_BY_FIELD: dict[str, tuple[tuple[str, int], ...]] = {
    Field.ECONOMY: (
        (OrgKind.FARMERS_ASSOCIATION, 30),
        (OrgKind.WOMENS_UNION, 20),
        (OrgKind.PEOPLES_COMMITTEE, 20),
        (OrgKind.FATHERLAND_FRONT, 20),
        (OrgKind.VETERANS_ASSOCIATION, 10),
    ),
    Field.CULTURE_SOCIETY: (
        (OrgKind.WOMENS_UNION, 30),
        (OrgKind.FATHERLAND_FRONT, 25),
        (OrgKind.YOUTH_UNION, 20),
        (OrgKind.PEOPLES_COMMITTEE, 15),
        (OrgKind.SCHOOL, 10),
    ),
    Field.DEFENCE_SECURITY: (
        (OrgKind.POLICE, 40),
        (OrgKind.MILITARY, 15),
        (OrgKind.VETERANS_ASSOCIATION, 20),
        (OrgKind.YOUTH_UNION, 15),
        (OrgKind.FATHERLAND_FRONT, 10),
    ),
    Field.PARTY_BUILDING: (
        (OrgKind.PARTY_COMMITTEE, 55),
        (OrgKind.FATHERLAND_FRONT, 25),
        (OrgKind.PEOPLES_COMMITTEE, 20),
    ),
}
# Field shares of the movement's models, close to Hà Tĩnh's 8,000 / 5,800 / 3,300 / 2,200.
FIELD_WEIGHTS: dict[str, float] = {
    Field.ECONOMY: 0.41,
    Field.CULTURE_SOCIETY: 0.30,
    Field.DEFENCE_SECURITY: 0.17,
    Field.PARTY_BUILDING: 0.12,
}
