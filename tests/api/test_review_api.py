"""Review through the API: workflow steps, continuing, exemplary marks, replication, the timeline,
evaluations against criteria, the award path and the catalogues reviewers choose from."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.initiatives.catalogues import RegistrationKind, Status
from danvan.initiatives.models import StatusChange
from danvan.review.models import Award, AwardStage, Evaluation
from tests.api.conftest import error_of
from tests.factories_review import (
    AwardFormFactory,
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
    RegistrationRoundFactory,
)

URL = "/api/v1/initiatives/"


def on(initiative, action: str) -> str:
    return f"{URL}{initiative.pk}/{action}/"


# Workflow.


def test_submit_return_and_register(world, api):
    w = world
    steps = api(w.lan).get(on(w.cultural_houses, "transitions")).json()
    assert [step["name"] for step in steps] == ["submit"]
    assert steps[0]["target"] == Status.SUBMITTED and steps[0]["label"] == "Submit"
    response = api(w.lan).post(on(w.cultural_houses, "transitions"), {"name": "submit"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.SUBMITTED
    steps = api(w.minh).get(on(w.cultural_houses, "transitions")).json()
    assert {step["name"] for step in steps} == {"register", "return"}

    english = error_of(
        api(w.minh).post(on(w.cultural_houses, "transitions"), {"name": "return"}), 400
    )
    vietnamese = error_of(
        api(w.minh, "vi").post(on(w.cultural_houses, "transitions"), {"name": "return"}), 400
    )
    assert english["fields"]["reason"] == ["Give a reason."]
    assert vietnamese["fields"]["reason"] == ["Nêu lý do."]

    payload = {"name": "return", "reason": "Thiếu số liệu đóng góp"}
    assert api(w.minh).post(on(w.cultural_houses, "transitions"), payload).json()["status"] == (
        Status.RETURNED
    )
    api(w.lan).post(on(w.cultural_houses, "transitions"), {"name": "submit"})
    error_of(api(w.lan).post(on(w.cultural_houses, "transitions"), {"name": "register"}), 403)
    body = api(w.minh).post(on(w.cultural_houses, "transitions"), {"name": "register"}).json()
    assert body["status"] == Status.REGISTERED and body["version"] == 5
    assert StatusChange.objects.filter(initiative=w.cultural_houses).count() == 4


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": "approve"}, "name"),
        ({}, "name"),
        ({"name": ["submit"]}, "name"),
        ({"name": "register"}, "status"),
        ({"name": "submit", "reason": "x" * 2001}, "reason"),
    ],
)
def test_bad_transitions_get_400(world, api, payload, field):
    response = api(world.minh).post(on(world.cultural_houses, "transitions"), payload)
    # "register" is refused on "status": a reviewer cannot register a draft.
    assert field in error_of(response, 400)["fields"]
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.status == Status.DRAFT


def test_transitions_outside_scope_are_404(world, api):
    error_of(api(world.duc).get(on(world.cultural_houses, "transitions")), 404)
    error_of(api(world.duc).post(on(world.cultural_houses, "transitions"), {"name": "submit"}), 404)
    error_of(api().get(on(world.cultural_houses, "transitions")), 401)


def test_continue_into_a_later_round(world, api):
    w = world
    response = api(w.thu).post(on(w.digital, "continue"), {})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["year"] == 2025 and body["continued_from"] == w.digital.pk
    assert body["registration_kind"] == RegistrationKind.CONTINUED
    round_2026 = RegistrationRoundFactory(year=2026)
    # Yên Giang ward was dissolved in 2025; Thu's grant there does not reach its successor.
    error = error_of(api(w.thu).post(on(w.digital, "continue"), {"round": round_2026.pk}), 400)
    assert error["fields"]["area"] == [
        "Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."
    ]
    body = api(w.root).post(on(w.digital, "continue"), {"round": round_2026.pk}).json()
    assert body["year"] == 2026 and body["round"] == round_2026.pk
    assert body["area"] == w.quang_yen.pk  # continued on the ward that carries it on
    error = error_of(api(w.thu).post(on(w.digital, "continue"), {"round": 999999999}), 400)
    assert "round" in error["fields"]
    error = error_of(api(w.thu).post(on(w.digital, "continue"), {"round": round_2026.pk}), 400)
    assert "round" in error["fields"]  # already continued into 2026
    error_of(api(w.lan).post(on(w.digital, "continue"), {}), 404)
    # The ward's reviewer may continue it too (it already is, into 2025); a viewer may not.
    assert "round" in error_of(api(w.minh).post(on(w.digital, "continue"), {}), 400)["fields"]
    error_of(api(w.quan).post(on(w.digital, "continue"), {}), 403)


def test_mark_exemplary(world, api):
    w = world
    response = api(w.minh).post(on(w.digital, "exemplary"), {"exemplary": True})
    assert response.status_code == 200, response.content
    assert response.json()["exemplary"] is True
    error_of(api(w.thu).post(on(w.digital, "exemplary"), {"exemplary": False}), 403)
    for bad in [{}, {"exemplary": "maybe"}, {"exemplary": None}]:
        assert (
            "exemplary"
            in error_of(api(w.minh).post(on(w.digital, "exemplary"), bad), 400)["fields"]
        )
    assert (
        api(w.minh).post(on(w.digital, "exemplary"), {"exemplary": False}).json()["exemplary"]
        is False
    )


def test_replication_and_its_chain(world, api):
    w = world
    response = api(w.minh).put(on(w.digital, "replication"), {"source": w.cultural_houses.pk})
    assert response.status_code == 200, response.content
    assert response.json()["replicated_from"] == w.cultural_houses.pk
    # Hà An's Youth Union copies it too; Minh cannot read that copy, Đức can.
    api(w.root).post(on(w.railings, "replication"), {"source": w.digital.pk})
    chain = api(w.minh).get(on(w.cultural_houses, "replication-chain")).json()
    assert [row["code"] for row in chain["descendants"]] == [w.digital.code]
    assert chain["ancestors"] == []
    chain = api(w.root).get(on(w.railings, "replication-chain")).json()
    assert [row["code"] for row in chain["ancestors"]] == [w.digital.code, w.cultural_houses.code]

    loop = error_of(
        api(w.minh).put(on(w.cultural_houses, "replication"), {"source": w.digital.pk}), 400
    )
    assert "replicated_from" in loop["fields"]
    hidden = error_of(api(w.minh).put(on(w.digital, "replication"), {"source": w.railings.pk}), 400)
    assert "source" in hidden["fields"]
    assert "source" in error_of(api(w.minh).put(on(w.digital, "replication"), {}), 400)["fields"]
    cleared = api(w.minh).put(on(w.digital, "replication"), {"source": None}).json()
    assert cleared["replicated_from"] is None


def test_timeline(world, api):
    w = world
    api(w.lan).patch(f"{URL}{w.cultural_houses.pk}/", {"version": 1, "title": "Nhà văn hóa"})
    api(w.lan).post(on(w.cultural_houses, "transitions"), {"name": "submit"})
    entries = api(w.minh).get(on(w.cultural_houses, "timeline")).json()
    kinds = [entry["kind"] for entry in entries]
    assert kinds[0] == "transition" and "changed" in kinds
    changed = next(entry for entry in entries if entry["kind"] == "changed")
    assert changed["actor"] == "Nguyễn Lan" and changed["history_id"]
    assert {"field", "old", "new"} <= set(changed["changes"][0])
    error_of(api(w.duc).get(on(w.cultural_houses, "timeline")), 404)


# Evaluation.


@pytest.fixture
def criteria(world):
    """Quảng Ninh's criteria: effectiveness weighs 60, spread 40; 90 is excellent, 50 passes."""
    criteria_set = CriteriaSetFactory(name="Tiêu chí Dân vận khéo Quảng Ninh 2024")
    effect = CriterionFactory(criteria_set=criteria_set, name="Hiệu quả", weight=60, max_score=10)
    spread = CriterionFactory(criteria_set=criteria_set, name="Lan tỏa", weight=40, max_score=10)
    GradeThresholdFactory(criteria_set=criteria_set, min_total=90, grade="Xuất sắc")
    GradeThresholdFactory(criteria_set=criteria_set, min_total=50, grade="Đạt")
    return criteria_set, effect, spread


def test_evaluate(world, api, criteria):
    criteria_set, effect, spread = criteria
    listed = api(world.minh).get("/api/v1/criteria-sets/").json()["results"]
    assert [c["name"] for c in listed[0]["criteria"]] == ["Hiệu quả", "Lan tỏa"]
    assert listed[0]["thresholds"][0] == {"min_total": "90.00", "grade": "Xuất sắc"}
    payload = {
        "criteria_set": criteria_set.pk,
        "scores": {str(effect.pk): 9, str(spread.pk): "10"},
        "comment": "Chuyển đổi số toàn diện",
    }
    response = api(world.minh).post(on(world.digital, "evaluations"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert Decimal(body["total"]) == Decimal("94.00") and body["grade"] == "Xuất sắc"
    assert {score["criterion_name"] for score in body["scores"]} == {"Hiệu quả", "Lan tỏa"}
    assert api(world.quan).get(on(world.digital, "evaluations")).json()[0]["id"] == body["id"]


@pytest.mark.parametrize(
    "scores, field",
    [
        ({"effect": 9}, "scores.spread"),
        ({"effect": 11, "spread": 5}, "scores.effect"),
        ({"effect": -1, "spread": 5}, "scores.effect"),
        ({"effect": "chín", "spread": 5}, "scores.effect"),
        ({"effect": 9, "spread": 5, "abc": 1}, "scores"),
        ({"effect": 9, "spread": 5, "999999999": 1}, "scores"),
        ({}, "scores"),
        ("9", "scores"),
    ],
)
def test_bad_evaluations_get_400(world, api, criteria, scores, field):
    criteria_set, effect, spread = criteria
    ids = {"effect": str(effect.pk), "spread": str(spread.pk)}
    if isinstance(scores, dict):
        scores = {ids.get(key, key): value for key, value in scores.items()}
    for name, pk in ids.items():
        field = field.replace(name, pk)
    payload = {"criteria_set": criteria_set.pk, "scores": scores}
    error = error_of(api(world.minh).post(on(world.digital, "evaluations"), payload), 400)
    assert field in error["fields"], error
    assert not Evaluation.objects.exists()


def test_evaluation_refusals(world, api, criteria):
    criteria_set, effect, spread = criteria
    payload = {"criteria_set": criteria_set.pk, "scores": {effect.pk: 5, spread.pk: 5}}
    assert (
        "status"
        in error_of(api(world.minh).post(on(world.cultural_houses, "evaluations"), payload), 400)[
            "fields"
        ]
    )
    error_of(api(world.thu).post(on(world.digital, "evaluations"), payload), 403)
    error_of(api(world.duc).post(on(world.digital, "evaluations"), payload), 404)
    unknown = payload | {"criteria_set": 999999999}
    assert (
        "criteria_set"
        in error_of(api(world.minh).post(on(world.digital, "evaluations"), unknown), 400)["fields"]
    )
    assert not Evaluation.objects.exists()


# Awards.


def test_the_award_path(world, api, media_root):
    w = world
    title = AwardTitleFactory()
    form = AwardFormFactory()
    proposal = {"title": title.pk, "level": "commune", "form": form.pk}
    response = api(w.minh).post(on(w.digital, "awards"), proposal)
    assert response.status_code == 201, response.content
    award = response.json()
    assert award["stage"] == AwardStage.PROPOSED
    assert award["title_name"] == "Exemplary Skilled Mass Mobilization model"
    assert api(w.quan).get(on(w.digital, "awards")).json()[0]["id"] == award["id"]
    assert [a["id"] for a in api(w.minh).get("/api/v1/awards/").json()["results"]] == [award["id"]]
    error_of(api(w.duc).get(f"/api/v1/awards/{award['id']}/"), 404)

    decision = {
        "decision_number": "125/QĐ-UBND",
        "decision_date": "2024-12-20",
        "issuing_body": "UBND phường Yên Giang",
        "decision_file": SimpleUploadedFile("qd-125.pdf", b"%PDF-1.4 decision"),
    }
    response = api(w.minh).post(
        f"/api/v1/awards/{award['id']}/recognise/", decision, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == AwardStage.RECOGNISED
    assert response.json()["has_decision_file"] is True
    scan = api(w.quan).get(f"/api/v1/awards/{award['id']}/decision-file/")
    assert scan.status_code == 200
    assert scan["Content-Type"] == "application/pdf"
    assert b"".join(scan.streaming_content) == b"%PDF-1.4 decision"
    error_of(api(w.duc).get(f"/api/v1/awards/{award['id']}/decision-file/"), 404)

    response = api(w.minh).post(f"/api/v1/awards/{award['id']}/nominate/")
    assert response.status_code == 201, response.content
    nomination = response.json()
    # A proposal has no decision yet, so no scan to download.
    error_of(api(w.minh).get(f"/api/v1/awards/{nomination['id']}/decision-file/"), 404)
    assert nomination["level"] == "district" and nomination["stage"] == AwardStage.PROPOSED
    commendation = {
        "decision_number": "88/QĐ-UBND",
        "decision_date": "2025-01-10",
        "issuing_body": "UBND thị xã Quảng Yên",
    }
    response = api(w.minh).post(f"/api/v1/awards/{nomination['id']}/commend/", commendation)
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == AwardStage.COMMENDED
    assert api(w.minh).get("/api/v1/awards/", {"stage": "commended"}).json()["count"] == 1
    assert "stage" in error_of(api(w.minh).get("/api/v1/awards/", {"stage": "won"}), 400)["fields"]


def test_bad_award_requests(world, api):
    w = world
    title = AwardTitleFactory()
    for bad, field in [
        ({"title": title.pk, "level": "national"}, "level"),
        ({"title": 999999999, "level": "commune"}, "title"),
        ({"level": "commune"}, "title"),
        ({"title": title.pk, "level": "commune", "form": "giấy khen"}, "form"),
    ]:
        assert field in error_of(api(w.minh).post(on(w.digital, "awards"), bad), 400)["fields"]
    error_of(api(w.thu).post(on(w.digital, "awards"), {"title": title.pk, "level": "commune"}), 403)
    draft = api(w.minh).post(
        on(w.cultural_houses, "awards"), {"title": title.pk, "level": "commune"}
    )
    assert "status" in error_of(draft, 400)["fields"]
    assert not Award.objects.exists()

    award = api(w.minh).post(on(w.digital, "awards"), {"title": title.pk, "level": "province"})
    recognise = f"/api/v1/awards/{award.json()['id']}/recognise/"
    decision = {"decision_number": "1", "decision_date": "2024-12-20", "issuing_body": "UBND"}
    for bad, field in [
        ({"decision_number": ""}, "decision_number"),
        ({"decision_date": "hôm qua"}, "decision_date"),
        ({"issuing_body": None}, "issuing_body"),
    ]:
        assert field in error_of(api(w.minh).post(recognise, decision | bad), 400)["fields"]
    error_of(api(w.thu).post(recognise, decision), 403)
    error_of(api(w.duc).post(recognise, decision), 404)
    nominate = f"/api/v1/awards/{award.json()['id']}/nominate/"
    assert "stage" in error_of(api(w.minh).post(nominate), 400)["fields"]
    error_of(api(w.minh).post("/api/v1/awards/999999999/nominate/"), 404)


def test_catalogues(world, api):
    AwardTitleFactory()
    AwardFormFactory()
    RegistrationRoundFactory(year=2025, theme="Dân vận khéo 2025")
    client = api(world.lan, "vi")
    titles = client.get("/api/v1/award-titles/").json()["results"]
    assert titles[0]["name"] == "Mô hình Dân vận khéo tiêu biểu"
    forms = client.get("/api/v1/award-forms/").json()["results"]
    assert forms[0]["code"] == "pc_certificate"
    rounds = client.get("/api/v1/rounds/").json()["results"]
    assert rounds[0]["year"] == 2025 and rounds[0]["closes_on"] == "2025-03-31"
    error_of(api().get("/api/v1/rounds/"), 401)
    error_of(api().get("/api/v1/awards/"), 401)
