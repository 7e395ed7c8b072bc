"""An officer records the model their initiative replicates, found by words among the public
models of every unit and those they may read, and names the agencies that co-organise it.

Another unit's model that is neither readable nor public answers as a missing one; a
co-organiser of another province is refused on its field; nothing changes on a refusal."""

import pytest

from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import replication_sources
from danvan.orgs.models import OrgKind
from tests.factories import OrganisationFactory

pytest_plugins = ["tests.people"]

NEUTRAL = "There is no initiative with this code."


@pytest.fixture
def client_as(client, settings):
    def sign_in(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in


@pytest.fixture
def showcased(world) -> Initiative:
    """Hà Tĩnh's roads model, exemplary and running: on the public showcase."""
    Initiative.objects.filter(pk=world.thien_loc_roads.pk).update(exemplary=True)
    world.thien_loc_roads.refresh_from_db()
    return world.thien_loc_roads


class TestSearch:
    def test_words_without_diacritics_find_a_public_model_of_another_province(
        self, world, showcased
    ):
        found = replication_sources(actor=world.lan, text="duong hoa  CHUYEN doi")
        assert found == [showcased]

    def test_every_word_must_match(self, world, showcased):
        assert replication_sources(actor=world.lan, text="duong hoa kenh") == []

    def test_an_unseen_model_that_is_not_public_is_not_found(self, world):
        # Hà An's railings: another ward's Youth Union, not exemplary.
        assert replication_sources(actor=world.lan, text="lan can chong duoi nuoc") == []
        assert replication_sources(actor=world.lan, text=world.railings.code) == []

    def test_a_draft_is_never_public_whatever_its_flag(self, world):
        Initiative.objects.filter(pk=world.railings.pk).update(exemplary=True, status=Status.DRAFT)
        assert replication_sources(actor=world.lan, text="lan can") == []

    def test_models_the_person_may_read_are_found_and_the_initiative_itself_left_out(self, world):
        found = replication_sources(
            actor=world.lan, text="nha van hoa", initiative=world.cultural_houses
        )
        assert found == []
        assert replication_sources(actor=world.lan, text="nha van hoa") == [world.cultural_houses]

    def test_blank_words_find_nothing(self, world, showcased):
        assert replication_sources(actor=world.lan, text="   ") == []


class TestReplicationPage:
    def page(self, world) -> str:
        return f"/initiatives/{world.cultural_houses.pk}/replication/"

    def test_search_then_record_a_showcased_model_of_another_unit(
        self, client_as, world, showcased
    ):
        client = client_as(world.lan)
        answer = client.get(self.page(world), {"q": "đuong hoa"})
        assert answer.status_code == 200
        assert showcased.code in answer.content.decode()
        answer = client.post(self.page(world), {"source": showcased.pk})
        assert answer.status_code == 302
        world.cultural_houses.refresh_from_db()
        assert world.cultural_houses.replicated_from == showcased
        assert world.cultural_houses.version == 2
        # The detail page names it, linked to the showcase (Lan cannot read Hà Tĩnh's records).
        html = client.get(f"/initiatives/{world.cultural_houses.pk}/").content.decode()
        assert f"/showcase/{showcased.code}/" in html

    def test_the_search_answers_htmx_with_the_results_only(self, client_as, world, showcased):
        answer = client_as(world.lan).get(
            self.page(world), {"q": "duong hoa"}, HTTP_HX_REQUEST="true"
        )
        html = answer.content.decode()
        assert showcased.code in html and "<html" not in html

    def test_an_unseen_private_model_is_refused_neutrally_and_nothing_changes(
        self, client_as, world
    ):
        answer = client_as(world.lan).post(self.page(world), {"source": world.railings.pk})
        assert answer.status_code == 200
        assert NEUTRAL in answer.content.decode()
        world.cultural_houses.refresh_from_db()
        assert world.cultural_houses.replicated_from is None

    @pytest.mark.parametrize("value", ["", "abc", "99999999", "-1", "1e3"], ids=str)
    def test_a_malformed_or_missing_source_is_the_same_refusal(self, client_as, world, value):
        answer = client_as(world.lan).post(self.page(world), {"source": value})
        assert NEUTRAL in answer.content.decode()
        world.cultural_houses.refresh_from_db()
        assert world.cultural_houses.replicated_from is None

    def test_the_link_can_be_removed(self, client_as, world, showcased):
        Initiative.objects.filter(pk=world.cultural_houses.pk).update(replicated_from=showcased)
        answer = client_as(world.lan).post(self.page(world), {"clear": "1"})
        assert answer.status_code == 302
        world.cultural_houses.refresh_from_db()
        assert world.cultural_houses.replicated_from is None

    def test_people_who_may_not_replicate_are_refused(self, client_as, world, showcased):
        assert client_as(world.quan).get(self.page(world)).status_code == 403
        assert client_as(world.nga).get(self.page(world)).status_code == 404

    def test_the_code_field_of_the_form_takes_a_public_model_of_another_unit(
        self, client_as, world, showcased
    ):
        data = {
            "title": "Đường hoa khu 1",
            "field": "economy",
            "organisation": world.wu_yen_giang.pk,
            "area": world.zone_1.pk,
            "year": 2025,
            "replicated_from": showcased.code,
        }
        answer = client_as(world.lan).post("/initiatives/new/", data)
        assert answer.status_code == 302
        assert Initiative.objects.get(title="Đường hoa khu 1").replicated_from == showcased

    def test_the_code_field_refuses_an_unseen_private_model(self, client_as, world):
        data = {
            "title": "Lan can khu 1",
            "field": "economy",
            "organisation": world.wu_yen_giang.pk,
            "area": world.zone_1.pk,
            "year": 2025,
            "replicated_from": world.railings.code,
        }
        answer = client_as(world.lan).post("/initiatives/new/", data)
        assert answer.status_code == 200
        assert answer.context["form"].errors["replicated_from"]
        assert not Initiative.objects.filter(title="Lan can khu 1").exists()


class TestCoOrganisers:
    def data(self, world, **extra) -> dict:
        return {
            "title": "Nhà văn hóa khu 2",
            "field": "culture_society",
            "organisation": world.wu_yen_giang.pk,
            "area": world.zone_1.pk,
            "year": 2025,
            **extra,
        }

    def test_the_form_offers_agencies_of_the_province_and_saves_them(self, client_as, world):
        youth = OrganisationFactory(
            name="Đoàn Thanh niên phường Quảng Yên",
            kind=OrgKind.YOUTH_UNION,
            seat_area=world.quang_yen,
        )
        client = client_as(world.lan)
        form_html = client.get("/initiatives/new/").content.decode()
        assert "Đoàn Thanh niên phường Quảng Yên" in form_html
        assert "Hội LHPN xã Thiên Lộc" not in form_html  # Hà Tĩnh is another province
        answer = client.post(
            "/initiatives/new/", self.data(world, co_organisations=[youth.pk, world.yu_ha_an.pk])
        )
        assert answer.status_code == 302
        created = Initiative.objects.get(title="Nhà văn hóa khu 2")
        assert set(created.co_organisations.all()) == {youth, world.yu_ha_an}
        html = client.get(f"/initiatives/{created.pk}/").content.decode()
        assert 'id="co-organisations"' in html and "Đoàn Thanh niên phường Quảng Yên" in html

    def test_an_agency_of_another_province_is_refused_on_its_field(self, client_as, world):
        answer = client_as(world.lan).post(
            "/initiatives/new/", self.data(world, co_organisations=[world.wu_thien_loc.pk])
        )
        assert answer.status_code == 200
        errors = answer.context["form"].errors["co_organisations"]
        assert "belongs to another province" in errors[0]
        assert not Initiative.objects.filter(title="Nhà văn hóa khu 2").exists()

    @pytest.mark.parametrize("value", ["abc", "99999999"], ids=str)
    def test_a_bad_id_is_a_field_error(self, client_as, world, value):
        answer = client_as(world.lan).post(
            "/initiatives/new/", self.data(world, co_organisations=[value])
        )
        assert answer.status_code == 200
        assert answer.context["form"].errors["co_organisations"]
        assert not Initiative.objects.filter(title="Nhà văn hóa khu 2").exists()

    def test_editing_keeps_changes_and_removes_co_organisers(self, client_as, world):
        world.cultural_houses.co_organisations.set([world.yu_ha_an])
        client = client_as(world.lan)
        form = client.get(f"/initiatives/{world.cultural_houses.pk}/edit/").context["form"]
        assert form.initial["co_organisations"] == [world.yu_ha_an.pk]
        data = {
            "title": world.cultural_houses.title,
            "field": world.cultural_houses.field,
            "area": world.cultural_houses.area_id,
            "version": world.cultural_houses.version,
            "co_organisations": [world.pc_yen_giang.pk],
        }
        answer = client.post(f"/initiatives/{world.cultural_houses.pk}/edit/", data)
        assert answer.status_code == 302
        assert list(world.cultural_houses.co_organisations.all()) == [world.pc_yen_giang]
