"""The schema and its documentation pages: OpenAPI 3, served from our own static files."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)
STATIC_URL = "/" + settings.STATIC_URL.lstrip("/")


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_documentation_pages_use_local_assets_only(api, url):
    response = api(UserFactory()).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assets = ASSET.findall(page)
    assert assets, "no script or stylesheet found: has the page changed?"
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), f"{url} loads {asset}"
        assert asset.startswith(STATIC_URL), f"{url} loads {asset} from outside {STATIC_URL}"
        found = finders.find(asset.removeprefix(STATIC_URL).split("?")[0])
        assert found, f"{asset} is not among the static files"
    assert not re.search(r"cdn\.|unpkg\.com|jsdelivr", page), f"{url} mentions a CDN"


def test_the_schema_is_openapi_3(api):
    response = api(UserFactory()).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/areas/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_answers_in_yaml_by_default(api):
    response = api(UserFactory()).get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")
