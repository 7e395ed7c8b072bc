"""The areas browser: tree by level, children on demand, search, a unit's history."""

import datetime

import pytest
from django.urls import reverse

from danvan.areas.models import Area, AreaSuccession, CodeScheme, SuccessionKind
from tests import people

world = people.world  # the shared cast (tests/people.py)


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the labels."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.lan)
    return client


def test_every_page_needs_sign_in(client, world):
    for url in [
        reverse("areas:index"),
        reverse("areas:detail", args=[world.quang_yen.pk]),
        reverse("areas:children", args=[world.quang_ninh.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_tree_starts_with_todays_provinces(signed_in):
    response = signed_in.get(reverse("areas:index"))
    roots = list(response.context["roots"])
    assert len(roots) == 34
    assert all(root.scheme == CodeScheme.CURRENT and root.has_children for root in roots)
    html = response.content.decode()
    # Only the provinces are rendered: the communes come when a node is opened.
    assert "Tỉnh Quảng Ninh" in html and "Phường Quảng Yên" not in html
    assert html.count('class="area-node"') == 34


def test_the_legacy_list_is_switchable(signed_in):
    response = signed_in.get(reverse("areas:index"), {"scheme": "legacy"})
    assert len(response.context["roots"]) == 63
    assert signed_in.get(reverse("areas:index"), {"scheme": "bogus"}).context["scheme"] == (
        CodeScheme.CURRENT
    )


def test_children_fragment_of_a_province(signed_in, world):
    response = signed_in.get(reverse("areas:children", args=[world.quang_ninh.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")  # a fragment, not a page
    names = [child.name for child in response.context["children"]]
    assert "Phường Quảng Yên" in names and "Phường Hà An" in names
    assert all(child.parent_id == world.quang_ninh.pk for child in response.context["children"])
    # Current communes have no units under them, so they do not offer to expand.
    assert f'hx-get="{reverse("areas:children", args=[world.quang_yen.pk])}"' not in html


def test_children_of_a_legacy_ward_include_its_local_units(signed_in, world):
    response = signed_in.get(reverse("areas:children", args=[world.yen_giang.pk]))
    assert [child.name for child in response.context["children"]] == ["Khu 1"]


def test_children_of_a_missing_unit_is_404(signed_in):
    assert signed_in.get(reverse("areas:children", args=[999_999_999])).status_code == 404


def test_search_ignores_diacritics(signed_in):
    response = signed_in.get(reverse("areas:index"), {"q": "quang yen"})
    names = {(area.name, area.scheme) for area in response.context["page"]}
    assert ("Phường Quảng Yên", CodeScheme.CURRENT) in names
    assert "Phường Quảng Yên" in response.content.decode()


def test_search_with_nothing_found_and_odd_input(signed_in):
    response = signed_in.get(reverse("areas:index"), {"q": "zzzz-no-such-unit"})
    assert response.context["page"].paginator.count == 0
    assert signed_in.get(reverse("areas:index"), {"q": "x" * 500, "page": "-3"}).status_code == 200


def test_quang_yen_shows_yen_giang_merged_into_it(signed_in, world):
    response = signed_in.get(reverse("areas:detail", args=[world.quang_yen.pk]))
    assert response.status_code == 200
    came_from = list(response.context["came_from"])
    link = next(link for link in came_from if link.predecessor_id == world.yen_giang.pk)
    assert link.kind == SuccessionKind.MERGE
    assert link.date == datetime.date(2025, 7, 1)
    html = response.content.decode()
    assert "Phường Yên Giang" in html and "Merged into" in html
    assert "Jul 1, 2025" in html
    # Its path runs through the province.
    assert [a.pk for a in response.context["ancestors"]] == [world.quang_ninh.pk]
    assert 'class="area-coordinates"' in html


def test_yen_giang_shows_what_it_became(signed_in, world):
    response = signed_in.get(reverse("areas:detail", args=[world.yen_giang.pk]))
    became = list(response.context["became"])
    assert [link.successor_id for link in became] == [world.quang_yen.pk]
    assert [s.area.pk for s in response.context["current_successors"]] == [world.quang_yen.pk]
    html = response.content.decode()
    assert "until" in html and "Jun 30, 2025" in html
    assert 'id="current-successors"' in html


def test_a_split_shows_each_share(signed_in, world):
    legacy = Area.objects.get(scheme=CodeScheme.LEGACY, name="Xã Tiền An")
    AreaSuccession.objects.filter(predecessor=legacy).delete()
    AreaSuccession.objects.create(
        predecessor=legacy,
        successor=world.quang_yen,
        date=datetime.date(2025, 7, 1),
        kind=SuccessionKind.SPLIT,
        share="0.6",
        is_default=True,
    )
    AreaSuccession.objects.create(
        predecessor=legacy,
        successor=world.ha_an,
        date=datetime.date(2025, 7, 1),
        kind=SuccessionKind.SPLIT,
        share="0.4",
        is_default=False,
    )
    html = signed_in.get(reverse("areas:detail", args=[legacy.pk])).content.decode()
    assert "Split into" in html
    assert "60%" in html and "40%" in html


def test_missing_unit_is_404(signed_in):
    assert signed_in.get(reverse("areas:detail", args=[999_999_999])).status_code == 404
