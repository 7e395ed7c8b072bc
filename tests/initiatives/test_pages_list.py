"""The initiative list page: search, filters, sorting, paging, scope, export and choosers."""

import csv
import datetime
import io

import pytest

from danvan.initiatives.catalogues import Field, RegistrationKind, Status
from danvan.review.models import RegistrationRound
from tests.factories import InitiativeFactory

pytest_plugins = ["tests.people"]  # the shared cast: the `world` fixture

LIST = "/initiatives/"


@pytest.fixture
def client_as(client, settings):
    """Sign a person in, reading the pages in English."""

    def sign_in(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


def codes(response) -> list[str]:
    assert response.status_code == 200
    return [initiative.code for initiative in response.context["page"].object_list]


def test_the_list_needs_a_sign_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_ignores_diacritics_and_case(client_as, world):
    page = client_as(world.quan)
    assert codes(page.get(LIST, {"q": "dan van"})) == [world.digital.code]
    assert codes(page.get(LIST, {"q": "DÂN VẬN"})) == [world.digital.code]
    assert codes(page.get(LIST, {"q": "nha van hoa"})) == [world.cultural_houses.code]
    assert codes(page.get(LIST, {"q": world.railings.code.lower()})) == [world.railings.code]
    assert codes(page.get(LIST, {"q": "khong co mo hinh nay"})) == []


def test_each_filter_narrows_the_list(client_as, world):
    round_2025 = RegistrationRound.objects.create(
        year=2025,
        area=world.quang_ninh,
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 3, 31),
        cutoff_on=datetime.date(2025, 12, 15),
    )
    continued = InitiativeFactory(
        title="Nhà văn hóa năm 2025",
        organisation=world.wu_yen_giang,
        area=world.zone_1,
        year=2025,
        registration_kind=RegistrationKind.CONTINUED,
        continued_from=world.cultural_houses,
        round=round_2025,
        exemplary=True,
        field=Field.CULTURE_SOCIETY,
    )
    page = client_as(world.quan)
    everything = set(codes(page.get(LIST, {"size": 100})))
    assert everything == {
        world.cultural_houses.code,
        world.digital.code,
        world.railings.code,
        continued.code,
    }
    assert codes(page.get(LIST, {"year": 2025})) == [continued.code]
    assert set(codes(page.get(LIST, {"field": Field.CULTURE_SOCIETY}))) == {
        world.cultural_houses.code,
        continued.code,
    }
    assert codes(page.get(LIST, {"status": Status.COMPLETED})) == [world.digital.code]
    assert codes(page.get(LIST, {"registration_kind": RegistrationKind.CONTINUED})) == [
        continued.code
    ]
    assert len(codes(page.get(LIST, {"registration_kind": RegistrationKind.NEW}))) == 3
    assert codes(page.get(LIST, {"organisation": world.yu_ha_an.pk})) == [world.railings.code]
    assert codes(page.get(LIST, {"area": world.ha_an.pk})) == [world.railings.code]
    # The current ward covers the legacy ward it replaced, and its zones.
    assert set(codes(page.get(LIST, {"area": world.quang_yen.pk}))) == {
        world.cultural_houses.code,
        world.digital.code,
        continued.code,
    }
    assert codes(page.get(LIST, {"round": round_2025.pk})) == [continued.code]
    assert codes(page.get(LIST, {"exemplary": "yes"})) == [continued.code]
    assert len(codes(page.get(LIST, {"exemplary": "no"}))) == 3
    # Filters combine.
    assert codes(page.get(LIST, {"field": Field.CULTURE_SOCIETY, "year": 2024})) == [
        world.cultural_houses.code
    ]


def test_bad_filters_show_a_warning_and_no_rows(client_as, world):
    page = client_as(world.quan)
    for params in ({"year": "abc"}, {"field": "weather"}, {"area": "99999999999"}, {"size": 7}):
        response = page.get(LIST, params)
        assert codes(response) == []
        assert "Some filters are not valid" in response.content.decode()


def test_sorting_by_each_column_with_aria_sort(client_as, world):
    page = client_as(world.quan)
    by_code = sorted([world.cultural_houses.code, world.digital.code, world.railings.code])
    assert codes(page.get(LIST, {"ordering": "code"})) == by_code
    assert codes(page.get(LIST, {"ordering": "-code"})) == by_code[::-1]
    assert codes(page.get(LIST, {"ordering": "title"})) == [
        world.digital.code,  # "Dân vận…" folds to "dan van…"
        world.cultural_houses.code,  # "Khai thác…"
        world.railings.code,  # "Lan can…"
    ]
    # Status sorts in workflow order: draft before completed.
    draft_first = codes(page.get(LIST, {"ordering": "status"}))
    assert draft_first[-1] == world.digital.code
    assert codes(page.get(LIST, {"ordering": "-status"}))[0] == world.digital.code
    response = page.get(LIST, {"ordering": "-code"})
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    column = next(c for c in response.context["columns"] if c["key"] == "code")
    assert column["aria_sort"] == "descending"
    assert "ordering=code" in column["url"]  # the next click sorts the other way
    others = [c for c in response.context["columns"] if c["key"] != "code"]
    assert all(c["aria_sort"] == "none" for c in others)


def test_paging_with_a_page_size(client_as, world):
    for number in range(23):
        InitiativeFactory(code=f"DVK-P-{number:03d}", organisation=world.yu_ha_an, area=world.ha_an)
    page = client_as(world.duc)
    first = page.get(LIST, {"ordering": "code", "size": 10})
    assert codes(first) == [f"DVK-P-{n:03d}" for n in range(10)]
    assert first.context["page"].paginator.num_pages == 3  # 23 + the railings = 24 rows
    third = page.get(LIST, {"ordering": "code", "size": 10, "page": 3})
    assert codes(third)[-1] == world.railings.code
    assert "Page 3 of 3" in third.content.decode()
    # A page past the end shows the last one; a nonsense page the first.
    assert codes(page.get(LIST, {"ordering": "code", "size": 10, "page": 99})) == codes(third)
    assert codes(page.get(LIST, {"ordering": "code", "size": 10, "page": "x"})) == codes(first)
    assert len(codes(page.get(LIST, {"size": 25}))) == 24
    # The paging links keep the filters.
    assert "size=10" in first.context["page_urls"]["next"]
    assert "ordering=code" in first.context["page_urls"]["next"]


def test_scope_hides_other_provinces_and_organisations(client_as, world):
    assert codes(client_as(world.lan).get(LIST)) == [world.cultural_houses.code]
    assert codes(client_as(world.hoa).get(LIST)) == [world.thien_loc_roads.code]
    assert world.thien_loc_roads.code not in codes(client_as(world.quan).get(LIST))
    # Naming an organisation of another province finds nothing rather than its initiatives.
    response = client_as(world.hoa).get(LIST, {"organisation": world.wu_yen_giang.pk})
    assert codes(response) == []
    response = client_as(world.hoa).get(LIST, {"q": "dan van"})
    assert codes(response) == []


def test_htmx_gets_only_the_results(client_as, world):
    page = client_as(world.quan)
    response = page.get(LIST, {"q": "dan van"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="initiative-filters"' not in html
    assert world.digital.title in html
    assert world.railings.title not in html
    full = page.get(LIST, {"q": "dan van"})
    assert 'hx-push-url="true"' in full.content.decode()
    assert "<html" in full.content.decode()


def test_export_downloads_the_filtered_list_as_csv(client_as, world):
    InitiativeFactory(
        title='=HYPERLINK("http://evil")',
        field=Field.DEFENCE_SECURITY,
        organisation=world.yu_ha_an,
        area=world.ha_an,
    )
    page = client_as(world.quan)
    listing = page.get(LIST, {"field": Field.DEFENCE_SECURITY, "page": 2})
    assert "field=defence_security" in listing.context["export_url"]
    assert "page=" not in listing.context["export_url"]
    response = page.get(listing.context["export_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Code", "Title"]
    titles = [row[1] for row in rows[1:]]
    assert world.railings.title in titles
    assert world.cultural_houses.title not in titles  # another field
    assert world.thien_loc_roads.title not in titles  # another province
    injected = next(title for title in titles if "HYPERLINK" in title)
    assert not injected.startswith("=")  # defused


def test_area_chooser_offers_units_in_scope(client_as, world):
    page = client_as(world.quan)
    response = page.get("/initiatives/choices/areas/", {"q": "ha an"})
    assert response.status_code == 200
    assert "Phường Hà An" in response.content.decode()
    response = client_as(world.hoa).get("/initiatives/choices/areas/", {"q": "ha an"})
    assert "Phường Hà An" not in response.content.decode()
    assert "Nothing found" in response.content.decode()
    # Officer Lan registers for her Women's Union, seated in the legacy Yên Giang ward.
    response = client_as(world.lan).get(
        "/initiatives/choices/areas/", {"q": "khu 1", "purpose": "create"}
    )
    assert "Khu 1" in response.content.decode()
    response = client_as(world.lan).get(
        "/initiatives/choices/areas/", {"q": "ha an", "purpose": "create"}
    )
    assert "Hà An" not in response.content.decode()


def test_organisation_chooser_offers_only_the_officers_own(client_as, world):
    response = client_as(world.lan).get("/initiatives/choices/organisations/")
    html = response.content.decode()
    assert world.wu_yen_giang.name in html
    assert world.pc_yen_giang.name not in html
    response = client_as(world.quan).get("/initiatives/choices/organisations/")
    assert world.wu_yen_giang.name not in response.content.decode()  # a viewer registers none
