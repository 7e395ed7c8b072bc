"""The public showcase: exemplary initiatives only, their photos only, without sign-in."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from danvan.initiatives.catalogues import ContributionKind, EvidenceKind, Status
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import Evidence, Initiative
from danvan.stats.selectors import initiative_contribution_totals
from tests.factories import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(world):
    """The digital-transformation model of Yên Giang, honoured as exemplary."""
    Initiative.objects.filter(pk=world.digital.pk).update(
        exemplary=True, people_in_charge="Nguyễn Thị Riêng"
    )
    world.digital.refresh_from_db()
    return world


def _evidence(initiative, kind=EvidenceKind.PHOTO, content_type="image/png") -> Evidence:
    data = image_bytes_for_tests()
    return Evidence.objects.create(
        initiative=initiative,
        kind=kind,
        title=f"{kind} of {initiative.code}",
        file=ContentFile(data, name="photo.png"),
        content_type=content_type,
        size=len(data),
    )


def test_anyone_sees_the_exemplary_initiatives_and_nothing_else(client, shown):
    response = client.get("/showcase/")
    html = response.content.decode()
    assert response.status_code == 200
    assert shown.digital.title in html
    for private in (shown.cultural_houses, shown.railings, shown.thien_loc_roads):
        assert private.title not in html


def test_an_exemplary_draft_stays_private(client, shown):
    Initiative.objects.filter(pk=shown.cultural_houses.pk).update(
        exemplary=True, status=Status.DRAFT
    )
    assert shown.cultural_houses.title not in client.get("/showcase/").content.decode()
    assert client.get(f"/showcase/{shown.cultural_houses.code}/").status_code == 404


def test_the_province_filter_covers_the_units_it_succeeds(client, shown):
    html = client.get("/showcase/", {"province": shown.quang_ninh.pk}).content.decode()
    assert shown.digital.title in html
    html = client.get("/showcase/", {"province": shown.ha_tinh.pk}).content.decode()
    assert shown.digital.title not in html


@pytest.mark.parametrize("bad", ["abc", "99999999", "-3"])
def test_a_bad_province_gets_a_message(client, shown, bad):
    response = client.get("/showcase/", {"province": bad})
    assert response.status_code == 200
    assert "no province with that number" in response.content.decode()
    assert shown.digital.title in response.content.decode()


def test_a_district_is_not_a_province_of_the_filter(client, shown):
    response = client.get("/showcase/", {"province": shown.quang_yen.pk})
    assert "no province with that number" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "999"])
def test_any_page_number_answers(client, shown, page):
    response = client.get("/showcase/", {"page": page})
    assert response.status_code == 200
    assert shown.digital.title in response.content.decode()


def test_paging(client, shown):
    from tests.factories import InitiativeFactory

    for _ in range(13):
        InitiativeFactory(exemplary=True, status=Status.COMPLETED, area=shown.quang_yen)
    first = client.get("/showcase/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/showcase/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_the_public_page_shows_what_residents_contributed(client, shown):
    ContributionFactory(initiative=shown.digital, kind=ContributionKind.MONEY, amount=180_000_000)
    ContributionFactory(initiative=shown.digital, kind=ContributionKind.LABOUR, amount=350)
    response = client.get(f"/showcase/{shown.digital.code}/")
    html = response.content.decode()
    totals = initiative_contribution_totals(initiative=shown.digital)
    assert response.status_code == 200
    assert response.context["money"] == totals["money"]["amount"] == 180_000_000
    assert response.context["labour"] == 350
    assert "180,000,000" in html
    assert "Nguyễn Thị Riêng" not in html  # names of people are not published


def test_a_private_initiative_has_no_public_page(client, shown):
    assert client.get(f"/showcase/{shown.railings.code}/").status_code == 404
    assert client.get("/showcase/NO-SUCH-CODE/").status_code == 404


def test_photos_of_exemplary_initiatives_are_served(client, shown, media_root):
    photo = _evidence(shown.digital)
    html = client.get(f"/showcase/{shown.digital.code}/").content.decode()
    assert f"/showcase/photos/{photo.pk}/" in html
    response = client.get(f"/showcase/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    served = Image.open(io.BytesIO(response.content))
    original = Image.open(io.BytesIO(image_bytes_for_tests()))
    assert served.size == original.size
    assert list(served.getdata()) == list(original.convert(served.mode).getdata())


def test_a_public_photo_loses_its_gps_position(client, shown, media_root):
    """A phone photo carries where it was taken (often a resident's home): not in public."""
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (106.0, 50.0, 10.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "darkred").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    photo = Evidence.objects.create(
        initiative=shown.digital,
        kind=EvidenceKind.PHOTO,
        title="Lễ khánh thành",
        file=ContentFile(data, name="phone.jpg"),
        content_type="image/jpeg",
        size=len(data),
    )
    response = client.get(f"/showcase/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    served = Image.open(io.BytesIO(response.content))
    assert served.size == (40, 30)
    assert not served.getexif()
    assert b"Phone maker" not in response.content


def test_no_other_file_is_served(client, shown, media_root):
    minutes = _evidence(shown.digital, kind=EvidenceKind.MINUTES, content_type="application/pdf")
    private_photo = _evidence(shown.railings)
    odd = _evidence(shown.digital, content_type="application/pdf")
    for evidence in (minutes, private_photo, odd):
        assert client.get(f"/showcase/photos/{evidence.pk}/").status_code == 404
    html = client.get(f"/showcase/{shown.digital.code}/").content.decode()
    assert f"/showcase/photos/{minutes.pk}/" not in html
    assert f"/showcase/photos/{odd.pk}/" not in html


def test_a_photo_whose_file_is_gone_is_not_found(client, shown, media_root):
    photo = _evidence(shown.digital)
    photo.file.storage.delete(photo.file.name)
    assert client.get(f"/showcase/photos/{photo.pk}/").status_code == 404


def test_each_card_names_the_province_of_its_initiative(client, shown):
    """Cards of several provinces, and of a province itself, each name their own province."""
    from tests.factories import InitiativeFactory

    for area in (shown.zone_1, shown.thien_loc, shown.ha_tinh):
        InitiativeFactory(exemplary=True, status=Status.COMPLETED, area=area)
    cards = client.get("/showcase/").context["cards"]
    named = {card["initiative"].area_id: card["province"] for card in cards}
    assert named[shown.digital.area_id].pk == int(shown.digital.area.path.split(".")[0])
    assert named[shown.zone_1.pk].pk == int(shown.zone_1.path.split(".")[0])
    assert named[shown.thien_loc.pk].pk == int(shown.thien_loc.path.split(".")[0])
    assert named[shown.ha_tinh.pk] == shown.ha_tinh  # a province is its own


def test_the_provinces_of_a_page_are_read_in_one_query(shown, django_assert_num_queries):
    from danvan.web.selectors import province_of, provinces_of

    areas = [shown.zone_1, shown.yen_giang, shown.thien_loc, shown.can_loc, shown.ha_tinh]
    with django_assert_num_queries(1):
        provinces = provinces_of(areas)
    for area in areas:
        top = int(area.path.split(".")[0])
        assert provinces[area.pk].pk == top
        assert province_of(area).pk == top
    with django_assert_num_queries(0):
        assert provinces_of([shown.ha_tinh]) == {shown.ha_tinh.pk: shown.ha_tinh}
        assert provinces_of([]) == {}


def test_a_unit_whose_path_names_no_stored_province_has_none(shown):
    from danvan.areas.models import Area
    from danvan.web.selectors import province_of, provinces_of

    orphan = Area(pk=10**9, name="Không có", path=f"{10**9 - 1}.{10**9}")
    broken = Area(pk=10**9 + 1, name="Hỏng", path="x.y")
    assert provinces_of([orphan, broken, shown.zone_1]).keys() == {shown.zone_1.pk}
    assert province_of(orphan) is None
    assert province_of(broken) is None
