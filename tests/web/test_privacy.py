"""The privacy notice (ASVS 8.3.3): public, linked from every page's footer, and true to what
danvan keeps: the durations it states are the ones the settings enforce."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVACY = "/privacy/"


def test_everyone_may_read_it(client):
    response = client.get(PRIVACY)
    assert response.status_code == 200
    assert reverse("web:privacy") == PRIVACY
    page = response.content.decode()
    assert "<h1" in page and "Privacy: what danvan keeps about people" in page


@pytest.mark.parametrize("path", ["/accounts/login/", "/showcase/", PRIVACY])
def test_every_page_links_to_it_in_the_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert f'href="{PRIVACY}"' in footer


def test_it_names_what_is_kept_and_what_is_not(client):
    page = client.get(PRIVACY).content.decode()
    for kept in (
        "user name, given and family names, e-mail address",
        "one-way hash",
        "network address and the browser",
        "history of changes",
        "people in charge",
    ):
        assert kept in page
    assert "counted, not named" in page
    assert "does not ask for phone numbers" in page
    assert "location and camera data are removed" in page


def test_durations_come_from_the_settings(client, settings):
    settings.SESSION_COOKIE_AGE = 6 * 60 * 60
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    page = client.get(PRIVACY).content.decode()
    assert "at the latest after 6 hours" in page
    assert "30 minutes after the last failure" in page


def test_a_signed_in_reader_is_pointed_to_their_sessions(client):
    assert reverse("accounts:sessions") not in client.get(PRIVACY).content.decode()
    client.force_login(UserFactory(username="lan"))
    assert reverse("accounts:sessions") in client.get(PRIVACY).content.decode()


def test_only_read(client):
    assert client.post(PRIVACY).status_code == 405


def test_every_word_of_it_goes_through_the_catalogue(client):
    """No sentence of the notice is left outside ``translate``/``blocktranslate``."""
    import re

    from django.template.loader import get_template

    source = get_template("web/privacy.html").template.source
    rest = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", source, flags=re.S)
    rest = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]+>", "", rest, flags=re.S)
    assert not re.search(r"[A-Za-z]{3,}", rest), rest
    assert client.get(PRIVACY, headers={"accept-language": "vi"})["Content-Language"] == "vi"
