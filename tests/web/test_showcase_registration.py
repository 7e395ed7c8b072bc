"""Only initiatives the commission registered reach the public showcase: an exemplary flag on a
draft, a submitted or a returned registration (set by a factory, an import, an old service or
a later return) never makes its list, its page or its photos public."""

import contextlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from danvan.initiatives.catalogues import EvidenceKind, Status
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.lifecycle import initiative_mark_exemplary
from danvan.initiatives.models import Evidence
from danvan.web import selectors
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

UNREGISTERED = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED]
REGISTERED = [Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED, Status.DISCONTINUED]


def _photo(initiative) -> Evidence:
    data = image_bytes_for_tests("JPEG")
    return Evidence.objects.create(
        initiative=initiative,
        kind=EvidenceKind.PHOTO,
        title=f"Ảnh {initiative.code}",
        file=ContentFile(data, name="anh.jpg"),
        content_type="image/jpeg",
        size=len(data),
    )


def _exemplary(world, status):
    return InitiativeFactory(
        title=f"Mô hình điển hình ({status})",
        organisation=world.wu_yen_giang,
        area=world.yen_giang,
        status=status,
        exemplary=True,
    )


@pytest.mark.parametrize("status", UNREGISTERED)
def test_an_unregistered_exemplary_initiative_is_never_public(client, world, media_root, status):
    initiative = _exemplary(world, status)
    photo = _photo(initiative)
    assert initiative not in selectors.showcase_list()
    assert initiative not in selectors.showcase_list(province=world.quang_ninh)
    assert photo not in selectors.public_photos()
    with pytest.raises(type(initiative).DoesNotExist):
        selectors.showcase_detail(code=initiative.code)
    for page in ("/showcase/", f"/showcase/?province={world.quang_ninh.pk}"):
        assert initiative.title not in client.get(page).content.decode()
    assert client.get(f"/showcase/{initiative.code}/").status_code == 404
    assert client.get(f"/showcase/photos/{photo.pk}/").status_code == 404


@pytest.mark.parametrize("status", REGISTERED)
def test_a_registered_exemplary_initiative_is_public(client, world, media_root, status):
    initiative = _exemplary(world, status)
    photo = _photo(initiative)
    assert initiative.title in client.get("/showcase/").content.decode()
    assert client.get(f"/showcase/{initiative.code}/").status_code == 200
    response = client.get(f"/showcase/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_registered_initiative_not_marked_exemplary_is_not_public(client, world, media_root):
    initiative = InitiativeFactory(organisation=world.wu_yen_giang, status=Status.COMPLETED)
    photo = _photo(initiative)
    assert client.get(f"/showcase/{initiative.code}/").status_code == 404
    assert client.get(f"/showcase/photos/{photo.pk}/").status_code == 404


def test_marking_a_submitted_registration_exemplary_does_not_publish_it(client, world, media_root):
    """Whatever the exemplary service allows, the showcase reads only registered initiatives."""
    initiative = InitiativeFactory(
        organisation=world.wu_yen_giang, area=world.yen_giang, status=Status.SUBMITTED
    )
    with contextlib.suppress(PermissionDenied, ValidationError):
        initiative_mark_exemplary(actor=world.minh, initiative=initiative)
    type(initiative).objects.filter(pk=initiative.pk).update(exemplary=True)
    assert client.get(f"/showcase/{initiative.code}/").status_code == 404
    assert initiative.title not in client.get("/showcase/").content.decode()


def test_an_exemplary_initiative_sent_back_leaves_the_showcase(client, world, media_root):
    initiative = _exemplary(world, Status.REGISTERED)
    assert client.get(f"/showcase/{initiative.code}/").status_code == 200
    type(initiative).objects.filter(pk=initiative.pk).update(status=Status.RETURNED)
    assert client.get(f"/showcase/{initiative.code}/").status_code == 404
