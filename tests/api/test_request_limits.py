"""Bodies the API cannot read: nested too deeply, larger than the limit, or not JSON at all.

Each answers a 4xx in the one error shape and changes nothing."""

import pytest

from danvan.initiatives.models import Contribution, Initiative
from tests.api.conftest import error_of

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["arrays", "objects"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/initiatives/",
        "/api/v1/reports/",
        "/api/v1/tokens/",
        "/api/v1/organisations/",
        "/api/v1/users/",
    ],
)
def test_deeply_nested_json_is_a_400_on_every_json_endpoint(world, api, url, body):
    count = Initiative.objects.count()
    response = api(world.root).post(url, body, content_type="application/json")
    error = error_of(response, 400)
    assert error["code"] == "parse_error"
    assert Initiative.objects.count() == count


def test_deep_json_in_a_nested_endpoint_and_a_patch(world, api):
    w = world
    client = api(w.lan)
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/contributions/"
    error_of(client.post(url, DEEP_ARRAY, content_type="application/json"), 400)
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/"
    error_of(client.patch(url, DEEP_OBJECT, content_type="application/json"), 400)
    assert not Contribution.objects.filter(initiative=w.cultural_houses).exists()


def test_moderate_nesting_is_still_read(world, api):
    body = '{"name": "ok", "x": ' + "[" * 20 + "]" * 20 + "}"
    response = api(world.lan).post("/api/v1/tokens/", body, content_type="application/json")
    # The unknown field is refused by name, which proves the body was read.
    assert "x" in error_of(response, 400)["fields"]


def test_a_json_body_over_the_limit_is_a_413(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "a" * 2000 + '"}'
    response = api(world.lan).post("/api/v1/tokens/", body, content_type="application/json")
    error = error_of(response, 413)
    assert error["code"] == "too_large"


def test_a_form_body_over_the_limit_is_a_413(world, api, settings):
    """Only the uploads read form bodies (the imports among them)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = "kind=" + "a" * 2000
    response = api(world.root).post(
        "/api/v1/imports/", body, content_type="application/x-www-form-urlencoded"
    )
    error_of(response, 413)


def test_a_multipart_body_over_the_limit_is_a_413(world, api, settings, media_root):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    w = world
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/evidence/"
    response = api(w.lan).post(url, {"title": "a" * 2000, "kind": "photo"}, format="multipart")
    error_of(response, 413)


def test_too_many_fields_is_a_400(world, api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    w = world
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/evidence/"
    data = {f"f{number}": "x" for number in range(20)}
    error_of(api(w.lan).post(url, data, format="multipart"), 400)


def test_malformed_json_is_a_400(world, api):
    response = api(world.lan).post("/api/v1/tokens/", "{", content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"
    response = api(world.lan).post("/api/v1/tokens/", "NaN", content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"
