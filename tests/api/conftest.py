"""Fixtures for the API tests: the shared cast (see ``tests/people.py``) and clients acting as
them. Lan and Thu are officers in Yên Giang ward, Minh reviews Phường Quảng Yên (which took over
Yên Giang in 2025), Đức reviews the neighbouring Phường Hà An, Quân views and Tuấn administers
Quảng Ninh; Hoa reviews and Nga records in Hà Tĩnh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.people import world  # noqa: F401


@pytest.fixture
def api():
    """Return a client acting as ``user`` (anonymous when None), answering in ``language``."""

    def make(user=None, language: str = "en") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def count_queries(client: APIClient, url: str) -> tuple[int, dict]:
    """Return how many queries a GET of ``url`` ran, and its body."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def error_of(response, status: int) -> dict:
    """Assert the one error shape with ``status`` and return its ``error`` object."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
