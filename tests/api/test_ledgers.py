"""The ledgers under ``/api/v1/initiatives/{id}/``: contributions and their corrections, results,
evidence upload and download, and the catalogue of indicators."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.initiatives.catalogues import Aggregation, ContributionKind, ContributorType, Unit
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import Contribution, Evidence, Indicator, Result
from tests.api.conftest import count_queries, error_of
from tests.factories import ContributionFactory, IndicatorFactory, ResultFactory


def url(initiative, ledger: str, suffix: str = "") -> str:
    return f"/api/v1/initiatives/{initiative.pk}/{ledger}/{suffix}"


def air_conditioners(**changes) -> dict:
    """Yên Giang residents gave 16 air conditioners for the cultural houses (>180 million)."""
    payload = {
        "date": "2024-05-01",
        "kind": ContributionKind.MONEY,
        "amount": 180_000_000,
        "contributor_type": ContributorType.HOUSEHOLDS,
        "contributors": 16,
        "description": "16 máy điều hòa cho nhà văn hóa khu 1–4",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not ...}


# Contributions.


def test_add_and_read_the_ledger(world, api):
    client = api(world.lan)
    ledger = url(world.cultural_houses, "contributions")
    response = client.post(ledger, air_conditioners(), format="json")
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["amount"] == 180_000_000 and entry["contributors"] == 16
    assert entry["created_by"] == world.lan.pk
    rows = api(world.minh).get(ledger).json()["results"]
    assert [row["id"] for row in rows] == [entry["id"]]


def test_correct_an_entry(world, api):
    entry = ContributionFactory(initiative=world.cultural_houses, amount=180_000_000)
    target = url(world.cultural_houses, "contributions", f"{entry.pk}/correct/")
    payload = {"amount": 185_000_000, "reason": "Thiếu một hộ"}
    response = api(world.lan).post(target, payload, format="json")
    assert response.status_code == 201, response.content
    correction = response.json()
    assert correction["amount"] == 5_000_000 and correction["corrects"] == entry.pk
    # A correction is not corrected in turn.
    again = url(world.cultural_houses, "contributions", f"{correction['id']}/correct/")
    error = error_of(api(world.lan).post(again, payload, format="json"), 400)
    assert "entry" in error["fields"]
    for bad, field in [
        ({"amount": 1}, "reason"),
        ({"amount": -1, "reason": "x"}, "amount"),
        ({"amount": "12.5", "reason": "x"}, "amount"),
        ({"amount": 185_000_000, "reason": "nothing changes"}, "amount"),
        ({"amount": 1, "reason": "x", "contributors": -3}, "contributors"),
    ]:
        error = error_of(api(world.lan).post(target, bad, format="json"), 400)
        assert field in error["fields"], (bad, error)
    assert Contribution.objects.count() == 2


def test_correcting_an_entry_of_another_initiative_is_404(world, api):
    other = ContributionFactory(initiative=world.digital)
    target = url(world.cultural_houses, "contributions", f"{other.pk}/correct/")
    payload = {"amount": 1, "reason": "x"}
    error_of(api(world.lan).post(target, payload, format="json"), 404)
    missing = url(world.cultural_houses, "contributions", "999999999/correct/")
    error_of(api(world.lan).post(missing, payload, format="json"), 404)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": -5}, "amount"),
        ({"amount": "12.5"}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"amount": "một trăm"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": 10**30}, "amount"),
        ({"amount": ...}, "amount"),
        ({"kind": "gold"}, "kind"),
        ({"contributor_type": "aliens"}, "contributor_type"),
        ({"contributors": -1}, "contributors"),
        ({"date": ...}, "date"),
        ({"date": "2024-13-01"}, "date"),
        ({"kind": ContributionKind.IN_KIND, "description": ""}, "description"),
    ],
)
def test_bad_contributions_get_400_naming_the_field(world, api, changes, field):
    ledger = url(world.cultural_houses, "contributions")
    error = error_of(api(world.lan).post(ledger, air_conditioners(**changes), format="json"), 400)
    assert field in error["fields"], error
    assert not Contribution.objects.exists()


# Decimal amounts: land and labour to two decimals, money whole.


def test_land_and_labour_take_decimals_and_read_back_as_numbers(world, api):
    client = api(world.lan)
    ledger = url(world.cultural_houses, "contributions")
    land = air_conditioners(kind=ContributionKind.LAND, amount=350.5, description="Hiến đất")
    labour = air_conditioners(kind=ContributionKind.LABOUR, amount=0.5, description="Nửa ngày")
    for payload, amount in ((land, 350.5), (labour, 0.5), (air_conditioners(), 180_000_000)):
        response = client.post(ledger, payload, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["amount"] == amount
    assert [entry.amount for entry in Contribution.objects.order_by("id")] == [
        Decimal("350.5"),
        Decimal("0.5"),
        Decimal("180000000"),
    ]
    raw = api(world.minh).get(ledger).content.decode()
    # JSON numbers as written: a whole amount without ".0", a decimal without a string's quotes.
    assert '"amount":350.5' in raw and '"amount":0.5' in raw and '"amount":180000000' in raw
    rows = api(world.minh).get(ledger).json()["results"]
    assert [type(row["amount"]) for row in rows] == [float, float, int]


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        (ContributionKind.MONEY, 12.5, "Enter whole đồng, without decimals: VND has no smaller"),
        (ContributionKind.MONEY, 180_000_000.01, "VND has no smaller unit"),
        (ContributionKind.IN_KIND, 1_000_000.5, "VND has no smaller unit"),
        (ContributionKind.LAND, 350.555, "Enter at most two decimals."),
        (ContributionKind.LABOUR, 0.125, "Enter at most two decimals."),
        (ContributionKind.LAND, -0.5, "greater than or equal to 0"),
        (ContributionKind.LAND, 10_000_000.5, "Enter at most 10,000,000."),
        (ContributionKind.LAND, "350.5", "Enter a number."),
        (ContributionKind.LABOUR, None, "may not be null"),
        (ContributionKind.LABOUR, True, "Enter a number."),
    ],
    ids=[
        "money-half",
        "money-cent",
        "in-kind-half",
        "land-three-decimals",
        "labour-three-decimals",
        "land-negative",
        "land-over-limit",
        "land-as-text",
        "labour-null",
        "labour-boolean",
    ],
)
def test_amounts_with_decimals_their_kind_does_not_have_get_400(world, api, kind, amount, message):
    ledger = url(world.cultural_houses, "contributions")
    payload = air_conditioners(kind=kind, amount=amount, description="x")
    error = error_of(api(world.lan).post(ledger, payload, format="json"), 400)
    assert list(error["fields"]) == ["amount"], error
    assert any(message in text for text in error["fields"]["amount"]), error
    assert not Contribution.objects.exists()


def test_correct_land_and_labour_to_a_decimal(world, api):
    land = ContributionFactory(
        initiative=world.cultural_houses, kind=ContributionKind.LAND, amount=Decimal("300")
    )
    target = url(world.cultural_houses, "contributions", f"{land.pk}/correct/")
    response = api(world.lan).post(target, {"amount": 350.5, "reason": "Đo lại"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == 50.5
    assert Contribution.objects.get(corrects=land).amount == Decimal("50.5")
    response = api(world.lan).post(target, {"amount": 350, "reason": "Đo lại"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == -0.5
    error = error_of(
        api(world.lan).post(target, {"amount": 350.125, "reason": "x"}, format="json"), 400
    )
    assert error["fields"]["amount"] == ["Enter at most two decimals."]
    money = ContributionFactory(initiative=world.cultural_houses, amount=180_000_000)
    target = url(world.cultural_houses, "contributions", f"{money.pk}/correct/")
    error = error_of(
        api(world.lan).post(target, {"amount": 180_000_000.5, "reason": "x"}, format="json"), 400
    )
    assert error["fields"]["amount"] == [
        "Enter whole đồng, without decimals: VND has no smaller unit."
    ]
    assert Contribution.objects.filter(corrects=money).count() == 0


def test_the_schema_states_amounts_as_numbers_with_their_limits(world, api):
    schema = api(world.root).get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name in ("ContributionInputRequest", "ContributionCorrectRequest"):
        amount = components[name]["properties"]["amount"]
        assert amount["type"] == "number", (name, amount)
        assert (amount["minimum"], amount["maximum"]) == (0, 10**12), (name, amount)
        assert "two decimals" in amount["description"]
    assert components["Contribution"]["properties"]["amount"]["type"] == "number"
    assert components["Contribution"]["properties"]["amount"]["readOnly"] is True


def test_contributions_outside_scope_or_role(world, api):
    ledger = url(world.cultural_houses, "contributions")
    error_of(api(world.duc).get(ledger), 404)
    error_of(api(world.duc).post(ledger, air_conditioners(), format="json"), 404)
    error_of(api(world.quan).post(ledger, air_conditioners(), format="json"), 403)
    error_of(api().get(ledger), 401)
    error_of(api(world.lan).get(url(world.railings, "contributions")), 404)
    error_of(api(world.lan).get("/api/v1/initiatives/abc/contributions/"), 404)
    assert not Contribution.objects.exists()


def test_messages_in_the_request_language(world, api):
    ledger = url(world.cultural_houses, "contributions")
    payload = air_conditioners(kind=ContributionKind.IN_KIND, description="")
    english = api(world.lan, "en").post(ledger, payload, format="json").json()["error"]
    vietnamese = api(world.lan, "vi").post(ledger, payload, format="json").json()["error"]
    assert english["fields"]["description"] == ["Describe the assets or materials given."]
    assert vietnamese["fields"]["description"] == ["Mô tả tài sản, vật tư đã đóng góp."]


def test_ledger_queries_do_not_grow_with_the_page_size(world, api):
    ContributionFactory.create_batch(30, initiative=world.cultural_houses)
    client = api(world.minh)
    ledger = url(world.cultural_houses, "contributions")
    client.get(ledger)
    small, body = count_queries(client, f"{ledger}?page_size=5")
    large, body_large = count_queries(client, f"{ledger}?page_size=100")
    assert len(body["results"]) == 5 and len(body_large["results"]) == 30
    assert small == large


# Results.


def test_record_list_and_delete_results(world, api):
    canal = IndicatorFactory(code="canal_km", unit=Unit.KM)
    results = url(world.cultural_houses, "results")
    payload = {
        "indicator": canal.pk,
        "value": "7.1",
        "target": 10,
        "period_start": "2023-01-01",
        "period_end": "2023-09-30",
        "note": "Kênh nội đồng làm mới",
    }
    response = api(world.lan).post(results, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["value"] == "7.1000" and body["target"] == "10.0000"
    assert body["unit"] == Unit.KM and body["indicator_code"] == "canal_km"
    assert api(world.minh).get(results).json()["results"][0]["id"] == body["id"]
    error_of(api(world.minh).delete(f"{results}{body['id']}/"), 403)
    other = ResultFactory(initiative=world.digital)
    error_of(api(world.lan).delete(f"{results}{other.pk}/"), 404)
    assert api(world.lan).delete(f"{results}{body['id']}/").status_code == 204
    assert list(Result.objects.all()) == [other]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"value": "abc"}, "value"),
        ({"value": -1}, "value"),
        ({"value": "1.23456"}, "value"),
        ({"value": "89.7", "indicator": "percent"}, None),
        ({"value": "101", "indicator": "percent"}, "value"),
        ({"indicator": 999999999}, "indicator"),
        ({"indicator": None}, "indicator"),
        ({"period_end": None}, "period_end"),
        ({"period_start": "2024-12-31", "period_end": "2024-01-01"}, "__all__"),
    ],
)
def test_bad_results_get_400(world, api, changes, field):
    km = IndicatorFactory(code="road_m", unit=Unit.M)
    percent = IndicatorFactory(code="cashless", unit=Unit.PERCENT, aggregation=Aggregation.LATEST)
    payload = {"indicator": km.pk, "value": "916", "period_end": "2023-09-30"}
    payload.update(changes)
    if payload["indicator"] == "percent":
        payload["indicator"] = percent.pk
    response = api(world.lan).post(url(world.cultural_houses, "results"), payload, format="json")
    if field is None:
        assert response.status_code == 201, response.content
        assert response.json()["value"] == "89.7000"
        return
    error = error_of(response, 400)
    assert field in error["fields"] or (field == "__all__" and error["message"]), error
    assert not Result.objects.exists()


# Evidence.


def photo(name="nha-van-hoa.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes_for_tests(), content_type="image/png")


def test_upload_download_and_delete_evidence(world, api, media_root):
    evidence = url(world.cultural_houses, "evidence")
    response = api(world.lan).post(
        evidence, {"file": photo(), "title": "Sân nhà văn hóa khu 1"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "photo" and body["content_type"] == "image/png"
    assert api(world.minh).get(evidence).json()["results"][0]["title"] == "Sân nhà văn hóa khu 1"
    download = api(world.minh).get(f"{evidence}{body['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == image_bytes_for_tests()
    picky = api(world.minh).get(f"{evidence}{body['id']}/download/", HTTP_ACCEPT="image/png")
    assert picky.status_code == 200
    error_of(api(world.duc).get(f"{evidence}{body['id']}/download/"), 404)
    error_of(api(world.minh).delete(f"{evidence}{body['id']}/"), 403)
    assert api(world.lan).delete(f"{evidence}{body['id']}/").status_code == 204
    error_of(api(world.lan).get(f"{evidence}{body['id']}/download/"), 404)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "file"),
        ({"file": "not a file"}, "file"),
        ({"kind": "video"}, "kind"),
        ({"kind": "photo", "upload": b"%PDF-1.4 minutes"}, "kind"),
        ({"upload": b"MZ\x90\x00 an executable"}, "file"),
        ({"upload": b""}, "file"),
        ({"title": "x" * 256}, "title"),
    ],
)
def test_bad_uploads_get_400(world, api, media_root, data, field):
    data = dict(data)
    if "file" not in data and data != {}:
        content = data.pop("upload", None)
        data["file"] = (
            SimpleUploadedFile("bien-ban.pdf", content) if content is not None else photo()
        )
    evidence = url(world.cultural_houses, "evidence")
    error = error_of(api(world.lan).post(evidence, data, format="multipart"), 400)
    assert field in error["fields"], error
    assert not Evidence.objects.exists()


def test_evidence_wants_multipart(world, api, media_root):
    evidence = url(world.cultural_houses, "evidence")
    error = error_of(api(world.lan).post(evidence, {"title": "x"}, format="json"), 415)
    assert error["code"] == "unsupported_media_type"


# Indicators.


def test_indicator_catalogue(world, api):
    payload = {
        "code": "cashless_pensioners",
        "name_vi": "Tỷ lệ chi trả không dùng tiền mặt",
        "name_en": "Cashless payment rate",
        "name_ar": "نسبة الدفع غير النقدي",
        "unit": Unit.PERCENT,
        "aggregation": Aggregation.LATEST,
    }
    error_of(api(world.lan).post("/api/v1/indicators/", payload, format="json"), 403)
    response = api(world.tuan).post("/api/v1/indicators/", payload, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "Cashless payment rate"
    vietnamese = api(world.lan, "vi").get(f"/api/v1/indicators/{created['id']}/").json()
    assert vietnamese["name"] == "Tỷ lệ chi trả không dùng tiền mặt"
    assert api(world.lan).get("/api/v1/indicators/").json()["count"] == 1
    error_of(api(world.lan).get("/api/v1/indicators/999999999/"), 404)
    for bad, field in [
        ({"code": "cashless_pensioners"}, "code"),
        ({"code": "Có dấu"}, "code"),
        ({"unit": "furlong"}, "unit"),
        ({"aggregation": "median"}, "aggregation"),
        ({"name_en": ""}, "name_en"),
    ]:
        response = api(world.tuan).post("/api/v1/indicators/", payload | bad, format="json")
        assert field in error_of(response, 400)["fields"], bad
    summed_percent = payload | {"code": "pct_sum", "aggregation": Aggregation.SUM}
    error = error_of(
        api(world.tuan).post("/api/v1/indicators/", summed_percent, format="json"), 400
    )
    assert error["message"]
    assert Indicator.objects.count() == 1


def test_money_is_a_whole_number_in_answers(world, api):
    ContributionFactory(initiative=world.digital, amount=89_500_000, date=datetime.date(2024, 6, 1))
    row = api(world.root).get(url(world.digital, "contributions")).json()["results"][0]
    assert row["amount"] == 89_500_000


def test_an_evidence_download_is_private_and_never_sniffed(world, api, media_root):
    evidence = url(world.cultural_houses, "evidence")
    body = api(world.lan).post(evidence, {"file": photo()}, format="multipart").json()
    download = api(world.minh).get(f"{evidence}{body['id']}/download/")
    # The same headers as the page's download: no shared cache keeps a resident's photo.
    assert download["Cache-Control"] == "private"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
