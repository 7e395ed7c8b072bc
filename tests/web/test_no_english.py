"""No English is left on the Vietnamese and Arabic pages.

Every main page is rendered in each language and its visible text (and the texts people hear or
read in attributes: labels, placeholders, titles) is searched for words of the interface's
English source strings. A word that also occurs in a Vietnamese translation is not evidence
(codes, names, "email"), so it is left out; what remains on a page is a string someone forgot
to mark for translation, or one the catalogue does not hold.
"""

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

from tests.factories_review import CriteriaSetFactory, CriterionFactory

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[A-Za-z]{4,}")
ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


@cache
def english_words() -> frozenset[str]:
    """Words of the English source strings that no Vietnamese translation also uses."""
    path = settings.LOCALE_PATHS[0] / "vi" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    source, translated = set(), set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            source.update(w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)\w", "", text)))
        for text in strings:
            translated.update(w.lower() for w in WORD.findall(text))
    # The language switcher names each language in itself: "English" is meant to be there.
    return frozenset(source - translated - {"english"})


class VisibleText(HTMLParser):
    """Collect what a person sees or hears: text outside scripts and styles, and the
    attributes that carry words."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


@cache
def place_words() -> frozenset[str]:
    """Words of the official unit names ("Than Uyên"): data, not interface text."""
    from danvan.areas.models import Area

    names = Area.objects.values_list("name", flat=True)
    return frozenset(w.lower() for name in names for w in WORD.findall(name))


def english_on(html: str, *, places: frozenset[str] = frozenset()) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    words = {w.lower() for part in parser.parts for w in WORD.findall(part)}
    return (words & english_words()) - places


@pytest.fixture
def pages(cast):
    """The main pages, as the super administrator sees them (every menu, every action)."""
    criteria = CriteriaSetFactory(area=None)
    CriterionFactory(criteria_set=criteria)
    w = cast
    initiative = w.digital.pk
    return [
        "/",
        "/initiatives/",
        f"/initiatives/{initiative}/",
        "/initiatives/new/",
        f"/initiatives/{initiative}/edit/",
        f"/initiatives/{initiative}/contributions/new/",
        f"/initiatives/{initiative}/results/new/",
        f"/initiatives/{initiative}/evidence/new/",
        "/review/",
        "/review/awards/",
        "/areas/",
        f"/areas/{w.quang_yen.pk}/",
        "/organisations/",
        f"/organisations/{w.wu_yen_giang.pk}/",
        "/organisations/new/",
        "/people/",
        f"/people/{w.lan.pk}/",
        "/people/new/",
        "/reports/",
        "/reports/new/",
        "/imports/",
        "/showcase/",
    ]


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_main_pages_hold_no_english(cast, pages, language):
    client = Client(headers={"accept-language": language})
    client.force_login(cast.root)
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
        words = english_on(response.content.decode(), places=place_words())
        if words:
            found[url] = sorted(words)
    assert found == {}, found


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_sign_in_pages_hold_no_english(areas, language):
    client = Client(headers={"accept-language": language})
    for url in ("/accounts/login/", "/accounts/password_reset/", "/showcase/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_on(response.content.decode(), places=place_words()) == set(), url


def test_the_check_finds_english_when_it_is_there():
    assert english_on("<p>Dashboard</p><input placeholder='Search initiatives'>") >= {
        "dashboard",
        "search",
    }
    assert english_on("<script>var dashboard = 1;</script><p>Bảng điều khiển</p>") == set()
