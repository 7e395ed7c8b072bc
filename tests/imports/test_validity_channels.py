"""The spreadsheet import and the API follow one rule for the unit a record sits on: a record
of a year before the 2025 reorganisation may use the legacy unit of its year, a record of
today may not, and both doors refuse with the same words, naming the unit to choose."""

import pytest

from danvan.imports.models import BatchStatus
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation
from tests.api import conftest as api_fixtures
from tests.api.conftest import error_of
from tests.imports.conftest import headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db

api = api_fixtures.api
ENDED = "Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."
ORG_KEYS = [
    "code",
    "name",
    "kind",
    "seat_area_code",
    "seat_area",
    "parent",
    "valid_from",
    "valid_to",
]
INITIATIVE_KEYS = ["code", "title", "field", "organisation", "year", "area_code", "start_date"]


def organisation_rows(w):
    """A 2024 clerk's file: one union that ended with its ward, one that claims to work today."""
    return [
        ["", "Hội CCB phường Yên Giang", "veterans_association", w.yen_giang.code, "", "",
         "01/01/2015", "30/06/2025"],
        ["", "Hội Nông dân phường Yên Giang", "farmers_association", w.yen_giang.code, "", "",
         "", ""],
    ]  # fmt: skip


def organisation_body(w, row) -> dict:
    """The same row, as the API takes it."""
    body = {"name": row[1], "kind": row[2], "seat_area": w.yen_giang.pk}
    if row[7]:
        body |= {"valid_from": "2015-01-01", "valid_to": "2025-06-30"}
    return body


def test_organisations_the_import_and_the_api_agree(world, upload, apply, api):
    historical, current = organisation_rows(world)
    batch = upload(
        world.tuan,
        "organisations",
        xlsx_bytes([headers("organisations", "vi", ORG_KEYS), historical, current]),
    )
    assert issues_of(batch) == [(3, "seat_area_code", "error", ENDED)]
    response = api(world.tuan).post(
        "/api/v1/organisations/", organisation_body(world, current), format="json"
    )
    assert error_of(response, 400)["fields"] == {"seat_area": [ENDED]}

    batch = apply(
        world.tuan,
        upload(
            world.tuan,
            "organisations",
            xlsx_bytes([headers("organisations", "vi", ORG_KEYS), historical]),
        ),
    )
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    imported = Organisation.objects.get(name="Hội CCB phường Yên Giang")
    assert (imported.seat_area, str(imported.valid_to)) == (world.yen_giang, "2025-06-30")
    body = organisation_body(world, historical) | {"name": "Hội CCB (API)"}
    response = api(world.tuan).post("/api/v1/organisations/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["seat_area"] == world.yen_giang.pk


def test_an_organisations_seat_named_by_name_follows_the_same_rule(world, upload):
    row = ["", "Hội Nông dân phường Yên Giang", "farmers_association", "", "Phường Yên Giang", "",
           "", ""]  # fmt: skip
    batch = upload(
        world.tuan, "organisations", xlsx_bytes([headers("organisations", "vi", ORG_KEYS), row])
    )
    assert issues_of(batch) == [(2, "seat_area", "error", ENDED)]


def test_initiatives_the_import_and_the_api_agree(world, upload, apply, api):
    org = world.wu_yen_giang
    rows = [
        ["", "Mô hình 2024", "economy", org.code, 2024, world.yen_giang.code, "15/01/2024"],
        ["", "Mô hình 2026", "economy", org.code, 2026, world.yen_giang.code, "15/01/2026"],
    ]
    batch = upload(
        world.lan, "initiatives", xlsx_bytes([headers("initiatives", "vi", INITIATIVE_KEYS), *rows])
    )
    assert issues_of(batch) == [(3, "area_code", "error", ENDED)]
    for title, year, start, status in (
        ("Mô hình 2026", 2026, "2026-01-15", 400),
        ("Mô hình 2024", 2024, "2024-01-15", 201),
    ):
        body = {
            "title": title,
            "field": "economy",
            "organisation": org.pk,
            "area": world.yen_giang.pk,
            "year": year,
            "start_date": start,
        }
        response = api(world.lan).post("/api/v1/initiatives/", body, format="json")
        if status == 400:
            assert error_of(response, 400)["fields"] == {"area": [ENDED]}
        else:
            assert response.status_code == 201, response.content
    batch = apply(
        world.lan,
        upload(
            world.lan,
            "initiatives",
            xlsx_bytes([headers("initiatives", "vi", INITIATIVE_KEYS), rows[0]]),
        ),
    )
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    # The row names the model the API registered (same organisation, year and title): the
    # import takes it for that model instead of registering it twice.
    assert Initiative.objects.filter(title="Mô hình 2024", area=world.yen_giang).count() == 1
    assert (batch.creates, batch.unchanged + batch.updates) == (0, 1)
