"""Personal API tokens: created once, stored hashed, acting exactly as their user."""

import pytest
from rest_framework.test import APIClient

from danvan.accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan():
    return UserFactory(username="lan", first_name="Lan")


@pytest.fixture
def lan_client(lan):
    client = APIClient()
    client.force_authenticate(lan)
    return client


def test_create_list_use_and_revoke(lan, lan_client):
    created = lan_client.post("/api/v1/tokens/", {"name": "Sổ tay Excel"}, format="json")
    assert created.status_code == 201, created.content
    key = created.json()["key"]
    assert key.startswith("dvk_")
    stored = ApiToken.objects.get(user=lan)
    assert key not in {stored.key_hash, stored.prefix}
    assert "key" not in lan_client.get("/api/v1/tokens/").json()["results"][0]

    robot = APIClient()
    robot.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert robot.get("/api/v1/tokens/").status_code == 200
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get("/api/v1/tokens/").status_code == 200

    assert lan_client.delete(f"/api/v1/tokens/{stored.pk}/").status_code == 204
    refused = robot.get("/api/v1/tokens/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize(
    "header",
    ["Token", "Token dvk_nope", "Token dvk_abcd1234_wrongsecret", "Token a b", "Bearer xyz"],
)
def test_bad_tokens_get_401_in_the_error_shape(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}


def test_someone_elses_token_cannot_be_revoked(lan_client):
    binh = UserFactory(username="binh")
    other = ApiToken.objects.create(user=binh, name="x", prefix="aaaa1111", key_hash="0" * 64)
    response = lan_client.delete(f"/api/v1/tokens/{other.pk}/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_token_needs_a_name(lan_client):
    response = lan_client.post("/api/v1/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]


def test_creating_tokens_is_rate_limited(lan_client, settings):
    from django.core.cache import cache

    cache.clear()
    codes = [
        lan_client.post("/api/v1/tokens/", {"name": f"t{i}"}, format="json").status_code
        for i in range(12)
    ]
    assert codes[:10] == [201] * 10
    assert codes[10] == 429
    cache.clear()


def test_anonymous_requests_get_401():
    response = APIClient().get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_unknown_api_urls_answer_in_json(lan_client):
    response = lan_client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_keys_whose_secret_holds_an_underscore_work(lan, lan_client, monkeypatch):
    """Regression (schemathesis): URL-safe secrets contain "_"; such keys were refused."""
    import secrets

    monkeypatch.setattr(secrets, "token_urlsafe", lambda nbytes: "abc_def_ghi-" + "x" * 31)
    created = lan_client.post("/api/v1/tokens/", {"name": "underscores"}, format="json")
    key = created.json()["key"]
    assert key.count("_") == 4
    robot = APIClient()
    robot.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert robot.get("/api/v1/tokens/").status_code == 200


def test_the_api_token_command_prints_a_working_key(lan):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("api_token", "lan", "--name", "Excel", stdout=out)
    key = out.getvalue().strip()
    robot = APIClient()
    robot.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert robot.get("/api/v1/tokens/").json()["results"][0]["name"] == "Excel"
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody", "--name", "Excel")


def test_the_command_prints_only_the_key_while_the_demo_mails_on_the_console(tmp_path):
    """Creating a token mails its owner; the demo's console mail goes to standard error, so a
    script reading the command's output gets the key and nothing else."""
    import re

    from tests.test_settings import run_django

    code = (
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('lan', email='lan@example.vn', password='x' * 16)\n"
    )
    assert run_django(tmp_path, "migrate", "--noinput").returncode == 0
    assert run_django(tmp_path, "shell", "--no-imports", "-c", code).returncode == 0
    process = run_django(tmp_path, "api_token", "lan", "--name", "Excel")
    assert process.returncode == 0, process.stderr
    assert re.fullmatch(r"[A-Za-z0-9_\-]+\n", process.stdout), process.stdout
    assert "lan@example.vn" in process.stderr
