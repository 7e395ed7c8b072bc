"""The public showcase found by words and by locality, and its rich public page: what was done,
what residents gave (no empty "0 ₫"), results against targets and decided awards."""

import datetime
from decimal import Decimal

import pytest

from danvan.initiatives.catalogues import ContributionKind, Status
from danvan.initiatives.models import Initiative
from danvan.review.models import AwardStage, RecognitionLevel
from tests.factories import (
    ContributionFactory,
    IndicatorFactory,
    InitiativeFactory,
    ResultFactory,
)
from tests.factories_review import AwardTitleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(world):
    """Two exemplary models in Quảng Ninh (one seated on a legacy ward that Phường Quảng Yên
    took over), one in Hà Tĩnh."""
    Initiative.objects.filter(pk__in=[world.digital.pk, world.thien_loc_roads.pk]).update(
        exemplary=True, status=Status.COMPLETED
    )
    world.ha_an_model = InitiativeFactory(
        title="Nhà văn hóa sạch đẹp", exemplary=True, status=Status.COMPLETED, area=world.ha_an
    )
    return world


def titles(response) -> set[str]:
    assert response.status_code == 200
    return {card["initiative"].title for card in response.context["cards"]}


def test_words_find_titles_ignoring_case_and_diacritics(client, shown):
    assert titles(client.get("/showcase/", {"q": "NHA VAN HOA"})) == {"Nhà văn hóa sạch đẹp"}
    assert titles(client.get("/showcase/", {"q": "van hoa sach"})) == {"Nhà văn hóa sạch đẹp"}
    # Every word must be there.
    assert titles(client.get("/showcase/", {"q": "văn hóa đường"})) == set()
    # A code finds its model.
    assert titles(client.get("/showcase/", {"q": shown.digital.code})) == {shown.digital.title}


def test_a_search_with_nothing_found_says_so(client, shown):
    html = client.get("/showcase/", {"q": "không có gì như thế"}).content.decode()
    assert "No exemplary initiative matches these words here." in html


def test_the_communes_of_the_chosen_province_narrow_it_down(client, shown):
    response = client.get("/showcase/", {"province": shown.quang_ninh.pk})
    communes = {area.pk for area in response.context["communes"]}
    assert {shown.quang_yen.pk, shown.ha_an.pk} <= communes
    assert titles(response) == {shown.digital.title, "Nhà văn hóa sạch đẹp"}
    # Phường Quảng Yên covers the legacy ward the digital model is seated on.
    chosen = {"province": shown.quang_ninh.pk, "commune": shown.quang_yen.pk}
    assert titles(client.get("/showcase/", chosen)) == {shown.digital.title}
    chosen["commune"] = shown.ha_an.pk
    assert titles(client.get("/showcase/", chosen)) == {"Nhà văn hóa sạch đẹp"}


@pytest.mark.parametrize("bad", ["abc", "99999999", "other-province"])
def test_a_commune_outside_the_province_gets_a_message(client, shown, bad):
    commune = shown.quang_yen.pk if bad == "other-province" else bad
    response = client.get("/showcase/", {"province": shown.ha_tinh.pk, "commune": commune})
    assert response.status_code == 200
    assert "not in the province chosen" in response.content.decode()
    assert titles(response) == {shown.thien_loc_roads.title}


def test_without_a_province_no_commune_list(client, shown):
    response = client.get("/showcase/")
    assert list(response.context["communes"]) == []
    assert "Choose a province first" in response.content.decode()


def test_paging_keeps_the_words_and_the_place(client, shown):
    for number in range(13):
        InitiativeFactory(
            title=f"Nhà văn hóa số {number}",
            exemplary=True,
            status=Status.COMPLETED,
            area=shown.ha_an,
        )
    html = client.get(
        "/showcase/", {"q": "nha van hoa", "province": shown.quang_ninh.pk}
    ).content.decode()
    assert f"q=nha+van+hoa&amp;province={shown.quang_ninh.pk}&amp;page=2" in html


def test_a_card_without_money_shows_no_zero(client, shown):
    html = client.get("/showcase/", {"q": "nha van hoa"}).content.decode()
    assert "0 ₫" not in html and "0\xa0₫" not in html
    assert "Money mobilised" not in html


def test_the_public_page_without_contributions_says_so_instead_of_zeros(client, shown):
    html = client.get(f"/showcase/{shown.ha_an_model.code}/").content.decode()
    assert "No contributions recorded yet." in html
    assert 'data-figure="money"' not in html


def test_the_public_page_shows_only_the_figures_there_are(client, shown):
    ContributionFactory(initiative=shown.digital, kind=ContributionKind.LAND, amount=1200)
    html = client.get(f"/showcase/{shown.digital.code}/").content.decode()
    assert 'data-figure="land"' in html
    assert 'data-figure="money"' not in html


def test_results_against_targets(client, shown):
    roads = IndicatorFactory(code="road_km", name_en="Concrete roads", unit="km")
    ResultFactory(
        initiative=shown.digital,
        indicator=roads,
        value=Decimal("7.1"),
        target=Decimal("10"),
        period_end=datetime.date(2025, 12, 31),
    )
    ResultFactory(initiative=shown.digital, indicator=IndicatorFactory(), target=None)
    response = client.get(f"/showcase/{shown.digital.code}/")
    results = response.context["results"]
    assert [result.share_of_target for result in results if result.indicator == roads] == [
        Decimal("71")
    ]
    html = response.content.decode()
    assert "Concrete roads" in html and "71%" in html


def test_decided_awards_are_public_proposals_are_not(client, shown):
    from danvan.review.models import Award

    title = AwardTitleFactory()
    Award.objects.create(
        initiative=shown.digital,
        title=title,
        level=RecognitionLevel.PROVINCE,
        stage=AwardStage.RECOGNISED,
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2025, 11, 20),
    )
    Award.objects.create(
        initiative=shown.digital,
        title=title,
        level=RecognitionLevel.CENTRAL,
        stage=AwardStage.PROPOSED,
    )
    response = client.get(f"/showcase/{shown.digital.code}/")
    assert [award.stage for award in response.context["awards"]] == [AwardStage.RECOGNISED]
    assert "123/QĐ-UBND" in response.content.decode()
