"""An organisation still working from a unit dissolved in 2025 is said so, and moves to the
unit that carries it on in one action (service, page, API), its history and initiatives kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from danvan.areas.models import AreaSuccession, SuccessionKind
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_seat_ended
from danvan.orgs.services import organisation_move_to_successor, organisation_update
from tests import people
from tests.api import conftest as api_fixtures
from tests.api.conftest import error_of
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

world = people.world  # the shared cast (tests/people.py)
api = api_fixtures.api


@pytest.fixture(autouse=True)
def english():
    """Compare messages in English, dates included."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class TestSeatEnded:
    def test_an_active_organisation_on_a_dissolved_ward_is_found(self, world):
        ended = organisation_seat_ended(organisation=world.wu_yen_giang)
        assert (ended.seat, ended.ended, ended.day) == (
            world.yen_giang,
            world.yen_giang,
            datetime.date(2025, 7, 1),
        )
        assert ended.successors == [world.quang_yen]

    def test_one_that_ended_with_its_ward_or_sits_on_todays_unit_is_not(self, world):
        world.pc_yen_giang.valid_to = datetime.date(2025, 6, 30)
        assert organisation_seat_ended(organisation=world.pc_yen_giang) is None
        assert organisation_seat_ended(organisation=world.yu_ha_an) is None

    def test_a_village_seat_is_found_through_its_ward(self, world):
        branch = OrganisationFactory(name="Chi hội khu 1", seat_area=world.zone_1)
        ended = organisation_seat_ended(organisation=branch)
        assert (ended.seat, ended.ended, ended.successors) == (
            world.zone_1,
            world.yen_giang,
            [world.quang_yen],
        )


class TestMoveService:
    def test_moves_to_the_default_successor_keeping_history_and_initiatives(self, world):
        organisation = world.wu_yen_giang
        before = organisation.history.count()
        organisation_move_to_successor(actor=world.tuan, organisation=organisation)
        organisation.refresh_from_db()
        assert organisation.seat_area == world.quang_yen
        assert organisation.history.count() == before + 1
        assert organisation.history.order_by("history_id")[before - 1].seat_area == world.yen_giang
        world.cultural_houses.refresh_from_db()
        assert world.cultural_houses.area == world.zone_1  # the facts of their day stay
        assert organisation_seat_ended(organisation=organisation) is None

    def test_a_chosen_successor_must_carry_the_unit_on(self, world):
        with pytest.raises(ValidationError) as caught:
            organisation_move_to_successor(
                actor=world.tuan, organisation=world.wu_yen_giang, successor=world.ha_an
            )
        assert caught.value.message_dict == {
            "successor": [
                "Phường Yên Giang is not carried on by Phường Hà An; choose Phường Quảng Yên."
            ]
        }
        world.wu_yen_giang.refresh_from_db()
        assert world.wu_yen_giang.seat_area == world.yen_giang

    def test_a_split_unit_moves_to_the_chosen_part(self, world):
        old = AreaFactory(name="Xã Cũ", valid_to=datetime.date(2025, 6, 30))
        first, second = AreaFactory(name="Xã Một"), AreaFactory(name="Xã Hai")
        for successor, default in ((first, True), (second, False)):
            AreaSuccession.objects.create(
                predecessor=old,
                successor=successor,
                date=datetime.date(2025, 7, 1),
                kind=SuccessionKind.SPLIT,
                share="0.5",
                is_default=default,
            )
        organisation = OrganisationFactory(seat_area=old)
        organisation_move_to_successor(
            actor=world.root, organisation=organisation, successor=second
        )
        assert Organisation.objects.get(pk=organisation.pk).seat_area == second

    def test_nothing_to_move_on_a_seat_in_force(self, world):
        with pytest.raises(ValidationError) as caught:
            organisation_move_to_successor(actor=world.tuan, organisation=world.yu_ha_an)
        assert set(caught.value.message_dict) == {"seat_area"}

    @pytest.mark.parametrize("who", ["lan", "minh", "quan", "hoa"])
    def test_only_an_administrator_of_its_area_moves_it(self, world, who):
        with pytest.raises(PermissionDenied):
            organisation_move_to_successor(
                actor=getattr(world, who), organisation=world.wu_yen_giang
            )
        world.wu_yen_giang.refresh_from_db()
        assert world.wu_yen_giang.seat_area == world.yen_giang

    def test_an_edit_to_a_dissolved_seat_is_refused_naming_the_successor(self, world):
        with pytest.raises(ValidationError) as caught:
            organisation_update(
                actor=world.tuan, organisation=world.yu_ha_an, seat_area=world.yen_giang
            )
        assert caught.value.message_dict == {
            "seat_area": ["Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."]
        }
        # A name change leaves an existing legacy seat alone; closing it on the reform is fine.
        organisation_update(actor=world.tuan, organisation=world.wu_yen_giang, name="Hội LHPN")
        organisation_update(
            actor=world.tuan,
            organisation=world.pc_yen_giang,
            valid_to=datetime.date(2025, 6, 30),
        )


class TestMoveDoors:
    def test_the_page_says_so_and_its_button_moves_it(self, world, client):
        client.force_login(world.tuan)
        url = reverse("orgs:detail", args=[world.wu_yen_giang.pk])
        page = client.get(url).content.decode()
        assert "is seated on Phường Yên Giang, which ended on" in page
        assert "Move to Phường Quảng Yên" in page
        response = client.post(reverse("orgs:move", args=[world.wu_yen_giang.pk]))
        assert response.status_code == 302
        world.wu_yen_giang.refresh_from_db()
        assert world.wu_yen_giang.seat_area == world.quang_yen
        assert "data-seat-ended" not in client.get(url).content.decode()

    def test_the_officer_reads_it_without_a_button(self, world, client):
        client.force_login(world.lan)
        page = client.get(reverse("orgs:detail", args=[world.wu_yen_giang.pk])).content.decode()
        assert "data-seat-ended" in page
        assert reverse("orgs:move", args=[world.wu_yen_giang.pk]) not in page
        form = client.get(reverse("initiatives:create")).content.decode()
        assert "Hội LHPN phường Yên Giang is seated on Phường Yên Giang" in form
        response = client.post(reverse("orgs:move", args=[world.wu_yen_giang.pk]))
        assert response.status_code == 403

    def test_the_officer_of_an_ended_organisation_is_told(self, world, client):
        Organisation.objects.filter(pk=world.wu_yen_giang.pk).update(
            valid_to=datetime.date(2025, 6, 30)
        )
        client.force_login(world.lan)
        form = client.get(reverse("initiatives:create")).content.decode()
        assert "data-organisation-ended" in form

    def test_a_bad_successor_on_the_page_moves_nothing(self, world, client):
        client.force_login(world.tuan)
        move = reverse("orgs:move", args=[world.wu_yen_giang.pk])
        for value in ("abc", "99999999", str(world.ha_an.pk)):
            response = client.post(move, {"successor": value})
            assert response.status_code == 302
        assert client.get(move).status_code == 405
        world.wu_yen_giang.refresh_from_db()
        assert world.wu_yen_giang.seat_area == world.yen_giang

    def test_the_api_action(self, world, api):
        url = f"/api/v1/organisations/{world.wu_yen_giang.pk}/move-to-successor/"
        error = error_of(
            api(world.tuan).post(url, {"successor": world.ha_an.pk}, format="json"), 400
        )
        assert error["fields"]["successor"] == [
            "Phường Yên Giang is not carried on by Phường Hà An; choose Phường Quảng Yên."
        ]
        assert api(world.lan).post(url, {}, format="json").status_code == 403
        response = api(world.tuan).post(url, {}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["seat_area"] == world.quang_yen.pk
        again = api(world.tuan).post(url, {}, format="json")
        assert set(error_of(again, 400)["fields"]) == {"seat_area"}
