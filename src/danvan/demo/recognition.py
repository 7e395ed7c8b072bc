"""Evaluation and recognition: criteria, scores, awards with their decisions.

The award catalogues (titles and forms, in Vietnamese, English and Arabic) and the criteria sets
are reference data an administrator keeps in the admin; there is no service for them, so the demo
writes them directly, validated. Evaluations and awards go through the review services, taken by
the reviewer who covers each model.

From the reports: Yên Giang ward received a certificate of merit of the provincial People's
Committee for its digital-transformation model; the Cẩm Xuyên Youth Union's living blood bank club
was honoured by the provincial Mass Mobilization Commission. Decision numbers and dates are not
in the reports: the ones below are illustrative, in the usual form of such decisions. The scores,
and Thiên Lộc's district award and nomination, are illustrative too.
"""

import datetime
from decimal import Decimal

from danvan.areas.models import Area, CodeScheme
from danvan.core.validation import clean_and_save
from danvan.demo.population import Generator
from danvan.initiatives.models import Initiative
from danvan.review.models import (
    Award,
    AwardForm,
    AwardTitle,
    CriteriaSet,
    Criterion,
    GradeThreshold,
    RecognitionLevel,
    RegistrationRound,
)
from danvan.review.services import (
    award_commend,
    award_nominate,
    award_propose,
    award_recognise,
    evaluation_create,
)

TITLES = {
    "dvk_exemplary_model": (
        "Mô hình “Dân vận khéo” tiêu biểu",
        "Exemplary “Skilled Mass Mobilization” model",
        "نموذج «التعبئة الجماهيرية الماهرة» المتميز",
    ),
    "dvk_outstanding_collective": (
        "Tập thể có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
        "Collective with outstanding achievements in the “Skilled Mass Mobilization” movement",
        "جماعة ذات إنجازات متميزة في حركة المحاكاة «التعبئة الجماهيرية الماهرة»",
    ),
}
FORMS = {
    "merit_commune_pc": (
        "Giấy khen của Ủy ban nhân dân xã",
        "Certificate of merit of the commune People's Committee",
        "شهادة تقدير من اللجنة الشعبية للبلدية",
    ),
    "merit_district_pc": (
        "Giấy khen của Ủy ban nhân dân huyện",
        "Certificate of merit of the district People's Committee",
        "شهادة تقدير من اللجنة الشعبية للمنطقة",
    ),
    "merit_provincial_pc": (
        "Bằng khen của Ủy ban nhân dân tỉnh",
        "Certificate of merit of the provincial People's Committee",
        "شهادة تقدير من اللجنة الشعبية للمقاطعة",
    ),
    "commendation_provincial_mmc": (
        "Biểu dương của Ban Dân vận Tỉnh ủy",
        "Commendation of the provincial Mass Mobilization Commission",
        "إشادة من لجنة التعبئة الجماهيرية في المقاطعة",
    ),
    "merit_central_mmc": (
        "Bằng khen của Ban Dân vận Trung ương",
        "Certificate of merit of the Central Mass Mobilization Commission",
        "شهادة تقدير من لجنة التعبئة الجماهيرية المركزية",
    ),
}
# (name, weight, maximum score)
QUANG_NINH_CRITERIA = (
    ("Tính mới, sáng tạo của cách làm", "25", "10"),
    ("Sự tham gia, đóng góp của Nhân dân", "30", "10"),
    ("Hiệu quả kinh tế – xã hội", "30", "10"),
    ("Khả năng nhân rộng", "15", "10"),
)
HA_TINH_CRITERIA = (
    ("Cách làm sáng tạo, phù hợp thực tiễn", "20", "20"),
    ("Huy động Nhân dân tham gia, đóng góp", "30", "30"),
    ("Kết quả, hiệu quả đạt được", "30", "30"),
    ("Tính lan tỏa, nhân rộng", "20", "20"),
)
QUANG_NINH_GRADES = (("90", "Xuất sắc"), ("75", "Tốt"), ("60", "Khá"), ("50", "Đạt"))
HA_TINH_GRADES = (("90", "Xuất sắc"), ("80", "Tốt"), ("65", "Khá"), ("50", "Đạt"))
# Illustrative scores, in the order of the criteria above.
EVALUATIONS = (
    ("quang_ninh", "yen_giang_digital", ("10", "9.5", "10", "9"),
     "Mô hình tiêu biểu về chuyển đổi số, đề nghị nhân rộng."),
    ("quang_ninh", "yen_giang_cultural_houses", ("8", "9.5", "8", "8"),
     "Nhân dân đóng góp lớn; cần hoàn thành màn hình LED các khu 1, 3, 6."),
    ("ha_tinh", "blood_bank", ("19", "28", "28", "20"), "Đã nhân rộng ra Can Lộc, Nghi Xuân."),
    ("ha_tinh", "thien_loc_2020", ("18", "29", "28", "17"),
     "Xã đạt chuẩn nông thôn mới kiểu mẫu cuối năm 2021."),
    ("ha_tinh", "fish_sauce", ("16", "24", "26", "16"), ""),
    ("ha_tinh", "deer_farming", ("15", "22", "25", "17"), ""),
)  # fmt: skip


def _catalogue(model, entries: dict) -> dict:
    found = {item.code: item for item in model.objects.filter(code__in=list(entries))}
    for code, (vi, en, ar) in entries.items():
        if code not in found:
            found[code] = clean_and_save(model(code=code, name_vi=vi, name_en=en, name_ar=ar))
    return found


def _criteria_set(
    name: str, area: Area, round: RegistrationRound | None, criteria, grades
) -> CriteriaSet:
    found = CriteriaSet.objects.filter(name=name, area=area).first()
    if found is not None:
        return found
    criteria_set = clean_and_save(CriteriaSet(name=name, area=area, round=round))
    for order, (criterion, weight, maximum) in enumerate(criteria, start=1):
        clean_and_save(
            Criterion(
                criteria_set=criteria_set,
                name=criterion,
                weight=Decimal(weight),
                max_score=Decimal(maximum),
                order=order,
            )
        )
    for min_total, grade in grades:
        clean_and_save(
            GradeThreshold(criteria_set=criteria_set, min_total=Decimal(min_total), grade=grade)
        )
    return criteria_set


def _evaluate(gen: Generator, sets: dict[str, CriteriaSet]) -> None:
    for set_key, fact_key, scores, comment in EVALUATIONS:
        initiative = gen.facts[fact_key]
        criteria = list(sets[set_key].criteria.order_by("order"))
        evaluation_create(
            actor=gen.cast.actor("initiative.evaluate", initiative),
            initiative=initiative,
            criteria_set=sets[set_key],
            scores={c.pk: Decimal(s) for c, s in zip(criteria, scores, strict=True)},
            comment=comment,
        )


def _award(gen: Generator, initiative: Initiative, **fields) -> Award:
    return award_propose(
        actor=gen.cast.actor("initiative.award", initiative), initiative=initiative, **fields
    )


def _honour(gen: Generator, titles: dict, forms: dict) -> None:
    actor = gen.cast.actor
    # Yên Giang ward's digital transformation: certificate of merit of the provincial People's
    # Committee (the report). The decision number and date are illustrative.
    digital = gen.facts["yen_giang_digital"]
    award = _award(
        gen,
        digital,
        title=titles["dvk_exemplary_model"],
        level=RecognitionLevel.PROVINCE,
        form=forms["merit_provincial_pc"],
    )
    award_recognise(
        actor=actor("initiative.award", digital),
        award=award,
        decision_number="3725/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 20),
        issuing_body="UBND tỉnh Quảng Ninh",
    )
    # The Cẩm Xuyên Youth Union's living blood bank club: honoured by the provincial commission
    # (the report). The decision number and date are illustrative.
    blood_bank = gen.facts["blood_bank"]
    award = _award(
        gen,
        blood_bank,
        title=titles["dvk_exemplary_model"],
        level=RecognitionLevel.PROVINCE,
        form=forms["commendation_provincial_mmc"],
    )
    award_commend(
        actor=actor("initiative.award", blood_bank),
        award=award,
        decision_number="118-QĐ/BDVTU",
        decision_date=datetime.date(2020, 12, 18),
        issuing_body="Ban Dân vận Tỉnh ủy Hà Tĩnh",
    )
    # Thiên Lộc: recognised by the district, then nominated to the province (illustrative).
    thien_loc = gen.facts["thien_loc_2020"]
    award = _award(
        gen,
        thien_loc,
        title=titles["dvk_outstanding_collective"],
        level=RecognitionLevel.DISTRICT,
        form=forms["merit_district_pc"],
    )
    award_recognise(
        actor=actor("initiative.award", thien_loc),
        award=award,
        decision_number="2156/QĐ-UBND",
        decision_date=datetime.date(2021, 12, 28),
        issuing_body="UBND huyện Can Lộc",
    )
    award_nominate(actor=actor("initiative.award", thien_loc), award=award)


def load_recognition(gen: Generator, rounds: dict) -> None:
    """Create the catalogues and criteria, evaluate the demo's models and honour three."""
    titles = _catalogue(AwardTitle, TITLES)
    forms = _catalogue(AwardForm, FORMS)
    quang_ninh_2024 = rounds[2024, "Tỉnh Quảng Ninh"]
    ha_tinh = Area.objects.get(scheme=CodeScheme.CURRENT, name="Tỉnh Hà Tĩnh", parent=None)
    sets = {
        "quang_ninh": _criteria_set(
            "Tiêu chí đánh giá mô hình “Dân vận khéo” năm 2024 – tỉnh Quảng Ninh",
            quang_ninh_2024.area,
            quang_ninh_2024,
            QUANG_NINH_CRITERIA,
            QUANG_NINH_GRADES,
        ),
        "ha_tinh": _criteria_set(
            "Tiêu chí đánh giá mô hình “Dân vận khéo” – tỉnh Hà Tĩnh",
            ha_tinh,
            None,
            HA_TINH_CRITERIA,
            HA_TINH_GRADES,
        ),
    }
    _evaluate(gen, sets)
    _honour(gen, titles, forms)
