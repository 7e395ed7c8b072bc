"""Recognition figures as a province publishes them, from a province-year with awards at two
levels: models recognised at district level, some proposed to the province and part of those
recognised there; collectives and individuals apart; evaluation grades per level. The
statistics API, the report's narrative, its key figures and its awards tables all say the
same numbers, which are the scenario's own (counted by hand below), not re-read from a
selector."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.utils import translation
from docx import Document as WordDocument
from rest_framework.test import APIClient

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, CodeScheme
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import Field
from danvan.initiatives.services import initiative_create
from danvan.orgs.models import OrgKind
from danvan.reports.figures import periodic_figures
from danvan.reports.periodic import periodic_document
from danvan.reports.renderers import renderer_for
from danvan.review import services as review
from danvan.review.models import RecognitionLevel
from danvan.stats.recognition import grade_figures, recognition_figures
from tests.factories import OrganisationFactory, UserFactory
from tests.factories_review import (
    AwardFormFactory,
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
)
from tests.people import world  # noqa: F401

DISTRICT, PROVINCE = RecognitionLevel.DISTRICT, RecognitionLevel.PROVINCE


def _registered(**fields):
    initiative = initiative_create(actor=SYSTEM, **fields)
    lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="submit")
    lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="register")
    initiative.refresh_from_db()
    return initiative


def _decision(number: str, body: str) -> dict:
    return {
        "decision_number": number,
        "decision_date": datetime.date(2024, 12, 5),
        "issuing_body": body,
    }


@pytest.fixture
def province_year(areas):
    """Legacy Quảng Ninh in 2024: six models of four kinds of organisation in two districts
    (five new, one continued from 2023), and their awards:

    - at district level, six models proposed and five recognised (Quảng Yên's four, Vân Đồn's
      youth model; Vân Đồn's front model only proposed); two residents honoured by name;
    - three of the five proposed to the province, two recognised there (one then commended),
      one still waiting; one of the two residents proposed and recognised there too;
    - evaluations at district level: four models “Hiệu quả”, one “Xuất sắc”, one evaluated
      twice (its latest grade counts).
    """
    s = SimpleNamespace()
    s.province = areas("Tỉnh Quảng Ninh", CodeScheme.LEGACY)
    s.quang_yen = areas("Thị xã Quảng Yên", CodeScheme.LEGACY)
    s.van_don = areas("Huyện Vân Đồn", CodeScheme.LEGACY)
    communes = list(Area.objects.filter(parent=s.quang_yen).order_by("code")[:2])
    van_don_commune = Area.objects.filter(parent=s.van_don).order_by("code").first()
    organisations = [
        OrganisationFactory(name="Hội LHPN xã A", kind=OrgKind.WOMENS_UNION, seat_area=communes[0]),
        OrganisationFactory(name="Đoàn TN xã A", kind=OrgKind.YOUTH_UNION, seat_area=communes[0]),
        OrganisationFactory(
            name="UBND xã B", kind=OrgKind.PEOPLES_COMMITTEE, seat_area=communes[1]
        ),
        OrganisationFactory(
            name="Đoàn TN Vân Đồn", kind=OrgKind.YOUTH_UNION, seat_area=van_don_commune
        ),
        OrganisationFactory(
            name="MTTQ Vân Đồn", kind=OrgKind.FATHERLAND_FRONT, seat_area=van_don_commune
        ),
    ]
    women, youth_a, committee, youth_vd, front_vd = organisations
    roads_2023 = _registered(
        title="Đường giao thông nông thôn",
        field=Field.ECONOMY,
        organisation=committee,
        area=committee.seat_area,
        year=2023,
    )

    def model(title, organisation, field=Field.ECONOMY, **extra):
        return _registered(
            title=title,
            field=field,
            organisation=organisation,
            area=organisation.seat_area,
            year=2024,
            **extra,
        )

    s.houses = model("Nhà văn hóa khu dân cư", women, Field.CULTURE_SOCIETY)
    s.godparents = model("Mẹ đỡ đầu", women, Field.CULTURE_SOCIETY)
    s.railings = model("Lan can chống đuối nước", youth_a, Field.DEFENCE_SECURITY)
    s.roads = model("Đường giao thông nông thôn", committee, continued_from=roads_2023)
    s.blood = model("Ngân hàng máu sống", youth_vd, Field.CULTURE_SOCIETY)
    s.cameras = model("Camera an ninh", front_vd, Field.DEFENCE_SECURITY)
    s.root = UserFactory(username="recognition_root", is_superuser=True)
    title = AwardTitleFactory()
    s.district_form = AwardFormFactory(
        code="giay_khen_huyen", name_vi="Giấy khen của Chủ tịch UBND huyện"
    )
    s.province_form = AwardFormFactory(
        code="bang_khen_tinh", name_vi="Bằng khen của Chủ tịch UBND tỉnh"
    )

    def award(initiative, **recipient):
        return review.award_propose(
            actor=s.root, initiative=initiative, title=title, level=DISTRICT, **recipient
        )

    def recognise(item, number, body="UBND thị xã Quảng Yên", form=None):
        return review.award_recognise(
            actor=s.root, award=item, form=form or s.district_form, **_decision(number, body)
        )

    district = {m: award(m) for m in (s.houses, s.godparents, s.railings, s.roads, s.blood)}
    award(s.cameras)  # proposed, never recognised
    for item in district.values():
        recognise(item, "120/QĐ-UBND")
    person = {"recipient_kind": "individual", "recipient_role": "household_head"}
    s.hoa = award(s.houses, recipient_name="Nguyễn Thị Hoa", **person)
    recognise(s.hoa, "120/QĐ-UBND")
    s.binh = award(s.roads, recipient_name="Trần Văn Bình", recipient_detail="Thôn 1", **person)
    recognise(s.binh, "120/QĐ-UBND")
    province = {
        m: review.award_nominate(actor=s.root, award=district[m])
        for m in (s.houses, s.roads, s.blood)
    }
    s.hoa_province = review.award_nominate(actor=s.root, award=s.hoa)
    body = "UBND tỉnh Quảng Ninh"
    recognise(province[s.houses], "35/QĐ-UBND", body, s.province_form)
    recognise(province[s.roads], "35/QĐ-UBND", body, s.province_form)
    review.award_commend(actor=s.root, award=province[s.roads], **_decision("36/QĐ-UBND", body))
    recognise(s.hoa_province, "35/QĐ-UBND", body, s.province_form)
    # Evaluations at district level.
    criteria = CriteriaSetFactory()
    criterion = CriterionFactory(criteria_set=criteria)
    GradeThresholdFactory(criteria_set=criteria, min_total=90, grade="Xuất sắc")
    GradeThresholdFactory(criteria_set=criteria, min_total=50, grade="Hiệu quả")
    for item, score in (
        (s.houses, 9),
        (s.godparents, 6),
        (s.railings, 4),  # first “no grade”, then evaluated again below
        (s.roads, 7),
        (s.blood, 8),
    ):
        review.evaluation_create(
            actor=s.root,
            initiative=item,
            criteria_set=criteria,
            scores={criterion.pk: score},
            level=DISTRICT,
        )
    review.evaluation_create(
        actor=s.root,
        initiative=s.railings,
        criteria_set=criteria,
        scores={criterion.pk: 5},
        level=DISTRICT,
    )
    return s


SCOPE = {"year_from": 2024, "year_to": 2024}


def test_the_figures_a_province_publishes(province_year):
    s = province_year
    figures = recognition_figures(area=s.province, **SCOPE)
    # proposed, recognised, nominated, commended, collectives, individuals proposed / recognised
    assert figures["levels"] == [
        {
            "level": "district",
            "proposed": 6,
            "recognised": 5,
            "nominated": 3,
            "commended": 0,
            "collectives": 4,  # the women's union holds two of the five
            "individuals_proposed": 2,
            "individuals": 2,
        },
        {
            "level": "province",
            "proposed": 3,
            "recognised": 2,
            "nominated": 0,
            "commended": 1,
            "collectives": 2,
            "individuals_proposed": 1,
            "individuals": 1,
        },
    ]
    # Each once: five models, four organisations, two people (Hoa at two levels is one).
    assert figures["totals"] == {"recognised": 5, "collectives": 4, "individuals": 2}
    kinds = {(r["org_kind"], r["level"]): r["recognised"] for r in figures["by_org_kind"]}
    assert kinds == {
        (OrgKind.PEOPLES_COMMITTEE, "district"): 1,
        (OrgKind.PEOPLES_COMMITTEE, "province"): 1,
        (OrgKind.WOMENS_UNION, "district"): 2,
        (OrgKind.WOMENS_UNION, "province"): 1,
        (OrgKind.YOUTH_UNION, "district"): 2,  # the blood bank, proposed up, waits there
    }


def test_one_district_alone(province_year):
    figures = recognition_figures(area=province_year.van_don, **SCOPE)
    assert [(r["level"], r["proposed"], r["recognised"]) for r in figures["levels"]] == [
        ("district", 2, 1),
        ("province", 1, 0),
    ]
    assert figures["totals"] == {"recognised": 1, "collectives": 1, "individuals": 0}


def test_another_year_has_none(province_year):
    figures = recognition_figures(area=province_year.province, year_from=2023, year_to=2023)
    assert figures == {
        "levels": [],
        "totals": {"recognised": 0, "collectives": 0, "individuals": 0},
        "by_org_kind": [],
    }


def test_grades_per_level_count_the_latest_evaluation(province_year):
    grades = grade_figures(area=province_year.province, **SCOPE)
    # Railings: 40 (no grade), then 50 (“Hiệu quả”): counted once, under its latest grade.
    assert grades == [
        {"level": "district", "grade": "Hiệu quả", "initiatives": 4},
        {"level": "district", "grade": "Xuất sắc", "initiatives": 1},
    ]


def test_an_evaluation_takes_its_reviewers_level(world, areas):  # noqa: F811
    from tests.factories_review import CriteriaSetFactory as Sets

    criteria = Sets()
    criterion = CriterionFactory(criteria_set=criteria)
    evaluation = review.evaluation_create(
        actor=world.hoa,  # reviews the province of Hà Tĩnh
        initiative=world.thien_loc_roads,
        criteria_set=criteria,
        scores={criterion.pk: 8},
    )
    assert evaluation.level == RecognitionLevel.PROVINCE


def test_the_statistics_api_says_the_same(province_year):
    s = province_year
    client = APIClient()
    client.force_authenticate(s.root)
    response = client.get(
        "/api/v1/stats/recognition/",
        {"area": s.province.pk, "year_from": 2024, "year_to": 2024, "mode": "as_was"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["levels"] == recognition_figures(area=s.province, **SCOPE)["levels"]
    assert body["totals"] == {"recognised": 5, "collectives": 4, "individuals": 2}
    assert [(g["grade"], g["initiatives"]) for g in body["grades"]] == [
        ("Hiệu quả", 4),
        ("Xuất sắc", 1),
    ]
    refused = client.get("/api/v1/stats/recognition/", {"year_from": "soon"})
    assert refused.status_code == 400


def test_a_reader_of_another_province_is_refused(province_year, world):  # noqa: F811
    client = APIClient()
    client.force_authenticate(world.hoa)  # Hà Tĩnh
    response = client.get("/api/v1/stats/recognition/", {"area": province_year.province.pk})
    assert response.status_code == 403


def _report(s, language):
    figures = periodic_figures(
        area=s.province,
        mode="as_was",
        year=2024,
        start=datetime.date(2024, 1, 1),
        cutoff=datetime.date(2024, 12, 31),
        since=2013,
    )
    return figures, periodic_document(figures, language=language, period_kind="annual")


def _table(document, title):
    [table] = [t for t in document.tables if t.title == title]
    return table


def test_the_report_reads_as_the_province_publishes(province_year):
    s = province_year
    figures, document = _report(s, "en")
    assert (figures.totals["initiatives"], figures.totals["new"], figures.totals["continued"]) == (
        6,
        5,
        1,
    )
    summary = document.narrative[0]
    assert "registered 6 “Skilled Mass Mobilization” models" in summary
    assert "5 new" in summary and "1 continued" in summary
    assert (
        "5 models were recognised at district level, 3 models were proposed at province "
        "level, 2 models were recognised at province level."
    ) in summary
    assert "4 collectives and 2 individuals were honoured." in summary
    assert (
        "Evaluated at district level: 4 models graded “Hiệu quả”, 1 model graded “Xuất sắc”."
        in summary
    )
    # Continued is explained once, in the detail sentence.
    assert summary.count("continued") == 1
    key = {row[0]: row[1] for row in document.tables[0].rows}
    assert key["Initiatives registered"] == 6
    assert (key["New initiatives"], key["Continued from earlier years"]) == (5, 1)
    assert key["Models recognised at district level"] == 5
    assert key["Models proposed at province level"] == 3
    assert key["Models recognised at province level"] == 2
    assert key["Initiatives recognised"] == 5
    assert (key["Collectives recognised"], key["Individuals recognised"]) == (4, 2)
    assert "Models proposed at district level" not in key  # the lowest level's proposals
    awards = _table(document, "Awards by level")
    assert awards.rows == [
        ["District level", 6, 5, 3, 4, 2],
        ["Province level", 3, 2, 0, 2, 1],
    ]
    assert awards.total == ["At some level, each once", None, 5, None, 4, 2]
    kinds = _table(document, "Models recognised by kind of organisation")
    assert [column.label for column in kinds.columns] == [
        "Organisation",
        "District level",
        "Province level",
    ]
    assert sorted(kinds.rows) == [
        ["People's Committee", 1, 1],
        ["Women's Union", 2, 1],
        ["Youth Union", 2, 0],
    ]
    registered = _table(document, "Initiatives by kind of organisation")
    assert sorted((row[0], row[1]) for row in registered.rows) == [
        ("Fatherland Front committee", 1),
        ("People's Committee", 1),
        ("Women's Union", 2),
        ("Youth Union", 2),
    ]
    grades = _table(document, "Evaluation grades")
    assert grades.rows == [
        ["District level", "Hiệu quả", 4],
        ["District level", "Xuất sắc", 1],
    ]


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_the_same_facts_in_the_same_order_in_every_language(province_year, language):
    from danvan.core.formats import format_number

    _figures, document = _report(province_year, language)
    summary = document.narrative[0]
    figures = [format_number(n, language) for n in (6, 5, 1)]
    positions = [summary.find(f) for f in figures]
    assert all(p >= 0 for p in positions)
    with translation.override(language):
        from danvan.reports.narrative import level_phrase

        district, province = level_phrase("district"), level_phrase("province")
    first_district = summary.find(district)
    first_province = summary.find(province)
    assert 0 < first_district < first_province  # district's recognition before the province's
    assert summary.count(district) == 2 and summary.count(province) == 2  # award lines + grades
    # The Word file's awards table is not empty: its rows are the document's.
    word = WordDocument(io.BytesIO(renderer_for("docx").render(document)))
    with translation.override(language):
        from django.utils.translation import gettext

        header = gettext("Models recognised")
    [table] = [t for t in word.tables if header in [c.text for c in t.rows[0].cells]]
    assert len(table.rows) == 1 + 2 + 1  # header, two levels, the distinct totals
