"""The demo's catalogue of result indicators, named in Vietnamese, English and Arabic.

Every figure in the two published reports has an indicator here, plus the common outcomes the
generated population reports. Lengths, areas and counts add up across initiatives (``sum``);
percentages never do: they are averaged, and a cumulative count (children sponsored so far) takes
its latest value, or a district would count the same child once per year.
"""

from dataclasses import dataclass

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import Aggregation, Unit
from danvan.initiatives.models import Indicator
from danvan.initiatives.services import indicator_create


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name_vi: str
    name_en: str
    name_ar: str
    unit: str
    aggregation: str = Aggregation.SUM


_S, _A, _L = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LATEST

INDICATORS: tuple[IndicatorSpec, ...] = (
    # Infrastructure built with residents' land, money and labour.
    IndicatorSpec(
        "canal_new_km", "Kênh mương nội đồng làm mới", "New inner-field canals",
        "قنوات ري حقلية جديدة", Unit.KM,
    ),
    IndicatorSpec(
        "canal_dredged_km", "Kênh mương được nạo vét", "Canals dredged", "قنوات تم تطهيرها",
        Unit.KM,
    ),
    IndicatorSpec(
        "alley_cleaned_km", "Đường ngõ, rãnh thoát nước được phát quang",
        "Alleys and drains cleaned", "أزقة ومصارف تم تنظيفها", Unit.KM,
    ),
    IndicatorSpec(
        "road_renovated_m", "Đường giao thông nông thôn được cải tạo", "Rural roads renovated",
        "طرق ريفية تم تجديدها", Unit.M,
    ),
    IndicatorSpec(
        "concrete_alley_m", "Đường ngõ, xóm được bê tông hóa", "Concrete alleys built",
        "أزقة خرسانية منجزة", Unit.M,
    ),
    IndicatorSpec(
        "roads_widened", "Tuyến đường được mở rộng", "Roads widened", "طرق تم توسيعها",
        Unit.COUNT,
    ),
    IndicatorSpec(
        "railing_m", "Lan can chống đuối nước", "Anti-drowning railings",
        "حواجز للوقاية من الغرق", Unit.M,
    ),
    IndicatorSpec(
        "area_paved_m2", "Diện tích sân được lát", "Area paved", "المساحة المرصوفة", Unit.M2,
    ),
    IndicatorSpec(
        "land_donated_m2", "Diện tích đất được hiến", "Land donated", "مساحة الأراضي المتبرع بها",
        Unit.M2,
    ),
    # Gardens and residential areas of the new-rural programme.
    IndicatorSpec(
        "mixed_gardens", "Vườn tạp được cải tạo", "Mixed gardens renovated",
        "حدائق مختلطة تم تجديدها", Unit.COUNT,
    ),
    IndicatorSpec(
        "home_gardens", "Vườn hộ được chỉnh trang", "Home gardens renovated",
        "حدائق منزلية تم تجديدها", Unit.COUNT,
    ),
    IndicatorSpec(
        "model_gardens", "Vườn mẫu được hỗ trợ", "Model gardens supported",
        "حدائق نموذجية مدعومة", Unit.COUNT,
    ),
    IndicatorSpec(
        "model_residential_areas", "Khu dân cư nông thôn mới kiểu mẫu",
        "Model new-rural residential areas", "مناطق سكنية ريفية جديدة نموذجية", Unit.COUNT,
    ),
    # Culture and society.
    IndicatorSpec(
        "cultural_houses", "Nhà văn hóa được xây mới, nâng cấp",
        "Cultural houses built or upgraded", "دور ثقافية تم بناؤها أو تحديثها", Unit.COUNT,
    ),
    IndicatorSpec(
        "storm_shelters", "Nhà tránh trú bão được xây dựng", "Storm-shelter houses built",
        "منازل إيواء من العواصف تم بناؤها", Unit.COUNT,
    ),
    IndicatorSpec(
        "children_sponsored_total", "Trẻ em được nhận đỡ đầu (lũy kế)",
        "Children sponsored (cumulative)", "الأطفال المكفولون (تراكمي)", Unit.PEOPLE, _L,
    ),
    IndicatorSpec(
        "children_sponsored_new", "Trẻ em được nhận đỡ đầu mới", "Children newly sponsored",
        "أطفال مكفولون جدد", Unit.PEOPLE,
    ),
    IndicatorSpec(
        "households_supported", "Hộ khó khăn được thăm, hỗ trợ",
        "Households in hardship supported", "أسر محتاجة تم دعمها", Unit.HOUSEHOLDS,
    ),
    IndicatorSpec(
        "households_taking_part", "Hộ dân tham gia, đóng góp", "Households taking part",
        "الأسر المشاركة", Unit.HOUSEHOLDS,
    ),
    IndicatorSpec(
        "club_members", "Thành viên câu lạc bộ", "Club members", "أعضاء النادي", Unit.PEOPLE,
    ),
    IndicatorSpec(
        "blood_units", "Đơn vị máu hiến", "Units of blood donated", "وحدات الدم المتبرع بها",
        Unit.COUNT,
    ),
    IndicatorSpec(
        "pct_households_sorting_waste", "Tỷ lệ hộ phân loại rác tại nguồn",
        "Households sorting waste at source", "نسبة الأسر التي تفرز النفايات من المصدر",
        Unit.PERCENT, _A,
    ),
    # Defence and security.
    IndicatorSpec(
        "cameras_installed", "Camera an ninh được lắp đặt", "Security cameras installed",
        "كاميرات أمنية مركّبة", Unit.COUNT,
    ),
    IndicatorSpec(
        "fire_points", "Điểm chữa cháy công cộng", "Public firefighting points",
        "نقاط إطفاء عامة", Unit.COUNT,
    ),
    IndicatorSpec(
        "fire_groups", "Tổ liên gia an toàn phòng cháy chữa cháy",
        "Inter-family fire-prevention groups", "مجموعات أسرية للوقاية من الحرائق", Unit.COUNT,
    ),
    # Economy.
    IndicatorSpec(
        "cooperative_members", "Hộ thành viên hợp tác xã, tổ hợp tác",
        "Member households of cooperatives", "الأسر الأعضاء في التعاونيات", Unit.HOUSEHOLDS,
    ),
    IndicatorSpec(
        "households_out_of_poverty", "Hộ thoát nghèo", "Households out of poverty",
        "أسر خرجت من الفقر", Unit.HOUSEHOLDS,
    ),
    # Party building and the political system.
    IndicatorSpec(
        "party_members_admitted", "Đảng viên mới được kết nạp", "New Party members admitted",
        "أعضاء جدد في الحزب", Unit.PEOPLE,
    ),
    IndicatorSpec(
        "dialogues_held", "Buổi đối thoại với nhân dân", "Dialogues held with residents",
        "جلسات حوار مع السكان", Unit.COUNT,
    ),
    IndicatorSpec(
        "pct_cells_excellent", "Tỷ lệ chi bộ hoàn thành xuất sắc nhiệm vụ",
        "Party cells rated excellent", "نسبة الخلايا الحزبية المصنفة ممتازة", Unit.PERCENT, _A,
    ),
    # Digital transformation (Yên Giang ward, 2024).
    IndicatorSpec(
        "pct_residents_4g", "Tỷ lệ người dân chuyển đổi sim 2G sang 4G",
        "Residents moved from 2G to 4G SIMs", "نسبة السكان الذين انتقلوا من شرائح 2G إلى 4G",
        Unit.PERCENT, _A,
    ),
    IndicatorSpec(
        "pct_fees_qr", "Tỷ lệ phí, lệ phí tại bộ phận một cửa thanh toán bằng mã QR",
        "One-stop-desk fees paid by QR code",
        "نسبة الرسوم المدفوعة برمز QR في مكتب الشباك الواحد", Unit.PERCENT, _A,
    ),
    IndicatorSpec(
        "pct_online_payment", "Tỷ lệ thanh toán trực tuyến qua Cổng Dịch vụ công quốc gia",
        "Online payment through the National Public Service Portal",
        "نسبة الدفع الإلكتروني عبر بوابة الخدمات العامة الوطنية", Unit.PERCENT, _A,
    ),
    IndicatorSpec(
        "pct_cashless_beneficiaries",
        "Tỷ lệ chi trả không dùng tiền mặt cho người hưởng lương hưu, trợ cấp BHXH",
        "Cashless payment to pensioners and social-insurance beneficiaries",
        "نسبة الدفع غير النقدي للمتقاعدين والمستفيدين من التأمين الاجتماعي",
        Unit.PERCENT, _A,
    ),
    IndicatorSpec(
        "pct_cashless_social_insurance",
        "Tỷ lệ người hưởng trợ cấp BHXH nhận tiền không dùng tiền mặt",
        "Cashless payment to social-insurance beneficiaries",
        "نسبة الدفع غير النقدي للمستفيدين من التأمين الاجتماعي", Unit.PERCENT, _A,
    ),
    IndicatorSpec(
        "pct_cashless_pensioners", "Tỷ lệ người hưởng lương hưu nhận tiền không dùng tiền mặt",
        "Cashless payment to pensioners", "نسبة الدفع غير النقدي للمتقاعدين", Unit.PERCENT, _A,
    ),
)  # fmt: skip


def ensure_indicators() -> dict[str, Indicator]:
    """Create the catalogue's missing indicators through the service; return all by code."""
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for spec in INDICATORS:
        if spec.code not in existing:
            existing[spec.code] = indicator_create(
                actor=SYSTEM,
                code=spec.code,
                name_vi=spec.name_vi,
                name_en=spec.name_en,
                name_ar=spec.name_ar,
                unit=spec.unit,
                aggregation=spec.aggregation,
            )
    return existing
