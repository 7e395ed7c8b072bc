"""The schema states what the API enforces, and the API refuses what the schema refuses.

Each case is one a client fuzz (schemathesis, every check) found: a value of the wrong type read
as if it were right, a form value read as null, a query limit or a required field the schema did
not state. A refusal is a 400 (or 415) in the one error shape and writes nothing.
"""

import re

import pytest

from danvan.accounts.models import ApiToken
from danvan.initiatives.models import Indicator, Result
from danvan.orgs.models import Organisation
from tests.api.conftest import error_of
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api, world):
    return api(world.root).get("/api/v1/schema/", {"format": "json"}).json()


def query_parameters(schema, path: str) -> dict[str, dict]:
    parameters = schema["paths"][path]["get"]["parameters"]
    return {p["name"]: p["schema"] for p in parameters if p["in"] == "query"}


# -- values of the wrong type ------------------------------------------------------------------


def test_a_number_is_not_a_token_name(world, api):
    count = ApiToken.objects.count()
    error = error_of(api(world.lan).post("/api/v1/tokens/", {"name": 0}), 400)
    assert list(error["fields"]) == ["name"]
    assert ApiToken.objects.count() == count


def test_a_number_is_not_an_indicator_name(world, api):
    body = {
        "code": "wells",
        "name_vi": "Giếng",
        "name_en": "Wells",
        "name_ar": 0,
        "unit": "count",
        "aggregation": "sum",
    }
    error = error_of(api(world.root).post("/api/v1/indicators/", body), 400)
    assert list(error["fields"]) == ["name_ar"]
    assert not Indicator.objects.filter(code="wells").exists()


def test_a_list_of_tags_takes_text_only(world, api):
    w = world
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/"
    version = api(w.lan).get(url).json()["version"]
    error = error_of(api(w.lan).patch(url, {"version": version, "tags": ["sân", 7]}), 400)
    assert list(error["fields"]) == ["tags"]
    w.cultural_houses.refresh_from_db()
    assert w.cultural_houses.version == version


def test_text_still_takes_text_and_null_where_allowed(world, api):
    response = api(world.lan).post("/api/v1/tokens/", {"name": "laptop"})
    assert response.status_code == 201


# -- form bodies -------------------------------------------------------------------------------


def test_a_form_body_is_refused_where_nothing_is_uploaded(world, api):
    """An empty form value for ``valid_from`` was read as "no date"; a form body now reaches only
    the uploads, and elsewhere is a 415."""
    w = world
    count = Organisation.objects.count()
    body = {"name": "Chi hội", "kind": "other", "seat_area": w.yen_giang.pk, "valid_from": ""}
    response = api(w.root).post("/api/v1/organisations/", body, format="multipart")
    assert error_of(response, 415)["code"] == "unsupported_media_type"
    response = api(w.lan).post(
        "/api/v1/tokens/", "name=laptop", content_type="application/x-www-form-urlencoded"
    )
    error_of(response, 415)
    assert Organisation.objects.count() == count


def test_only_the_uploads_document_a_form_body(schema):
    forms = sorted(
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        and {"multipart/form-data", "application/x-www-form-urlencoded"}
        & set(operation.get("requestBody", {}).get("content", {}))
    )
    assert forms == ["awards_recognise_create", "imports_create", "initiatives_evidence_create"]


# -- what the schema states --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/areas/", "parent"),
        ("/api/v1/initiatives/", "area"),
        ("/api/v1/initiatives/", "round"),
        ("/api/v1/initiatives/", "organisation"),
        ("/api/v1/organisations/", "area"),
        ("/api/v1/stats/initiatives/", "area"),
        ("/api/v1/stats/reading/", "round"),
    ],
)
def test_id_filters_state_their_range(schema, api, world, path, name):
    assert query_parameters(schema, path)[name] | {"minimum": 1} == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": 2**63 - 1,
    }
    error = error_of(api(world.root).get(path, {name: 0}), 400)
    assert name in error["fields"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/initiatives/", "year"),
        ("/api/v1/stats/initiatives/", "year_from"),
        ("/api/v1/stats/contributions/", "year_to"),
        ("/api/v1/stats/cumulative/", "since"),
        ("/api/v1/stats/results/", "year"),
    ],
)
def test_year_filters_state_their_range(schema, path, name):
    parameter = query_parameters(schema, path)[name]
    assert (parameter["minimum"], parameter["maximum"]) == (2000, 2100)


def test_text_filters_state_their_length(schema, api, world):
    assert query_parameters(schema, "/api/v1/initiatives/")["q"]["maxLength"] == 100
    assert query_parameters(schema, "/api/v1/areas/")["code"]["maxLength"] == 32
    assert query_parameters(schema, "/api/v1/stats/contributions/")["group_by"]["maxItems"] == 3
    error_of(api(world.root).get("/api/v1/initiatives/", {"q": "a" * 101}), 400)


def test_a_patch_of_an_initiative_states_the_version_required(schema, api, world):
    body = schema["components"]["schemas"]["PatchedInitiativeUpdateRequest"]
    assert body["required"] == ["version"]
    url = f"/api/v1/initiatives/{world.cultural_houses.pk}/"
    assert list(error_of(api(world.lan).patch(url, {}), 400)["fields"]) == ["version"]


def test_an_organisation_patch_stays_partial(schema):
    assert "required" not in schema["components"]["schemas"]["PatchedOrganisationUpdateRequest"]


def test_a_decimal_needs_a_digit(schema, api, world):
    value = schema["components"]["schemas"]["ResultInputRequest"]["properties"]["value"]
    pattern = re.compile(value["pattern"])
    for text in ("12", "12.5", ".5", "0.0001"):
        assert pattern.match(text), text
    for text in ("", ".", "-", "1e5", " 5"):
        assert not pattern.match(text), text
    w = world
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/results/"
    indicator = IndicatorFactory(unit="count")
    for text in ("", "1e5", " 5"):
        body = {"indicator": indicator.pk, "value": text, "period_end": "2025-01-01"}
        assert list(error_of(api(w.lan).post(url, body), 400)["fields"]) == ["value"], text
    assert not Result.objects.filter(indicator=indicator).exists()
    body = {"indicator": indicator.pk, "value": "5", "period_end": "2025-01-01"}
    assert api(w.lan).post(url, body).status_code == 201


# -- answers the fuzz found wrong --------------------------------------------------------------


def test_an_indicators_figure_answers(world, api):
    """``/stats/results/`` answered 500 on every valid request (its output serializer was an
    instance, called as a class)."""
    indicator = IndicatorFactory(unit="count", aggregation="sum")
    response = api(world.root).get(
        "/api/v1/stats/results/", {"indicator": indicator.code, "year": 2025}
    )
    assert response.status_code == 200
    assert response.json() | {"value": None} == {
        "indicator": indicator.code,
        "unit": "count",
        "aggregation": "sum",
        "count": 0,
        "value": None,
    }
    assert response["Boundary-Mode"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/areas/", "valid_on"),
        ("/api/v1/areas/", "kind"),
        ("/api/v1/initiatives/", "status"),
        ("/api/v1/initiatives/", "q"),
        ("/api/v1/organisations/", "q"),
        ("/api/v1/organisations/", "active_on"),
        ("/api/v1/stats/initiatives/", "year_from"),
    ],
)
def test_an_empty_filter_is_refused_not_read_as_absent(world, api, path, name):
    error = error_of(api(world.root).get(path, {name: ""}), 400)
    assert list(error["fields"]) == [name]


def test_a_reports_download_documents_its_409(schema):
    responses = schema["paths"]["/api/v1/reports/{id}/download/"]["get"]["responses"]
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
