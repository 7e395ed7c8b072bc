"""Organisation pages: list with search and filters, detail, create and edit for admins."""

import pytest
from django.urls import reverse

from danvan.orgs.models import Organisation, OrgKind
from tests import people

world = people.world  # the shared cast (tests/people.py)


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def names(response) -> set[str]:
    return {organisation.name for organisation in response.context["page"]}


class TestList:
    def test_sign_in_first(self, client, world):
        response = client.get(reverse("orgs:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_each_person_sees_their_scope(self, client, world):
        client.force_login(world.minh)
        assert names(client.get(reverse("orgs:index"))) == {
            "Hội LHPN phường Yên Giang",
            "UBND phường Yên Giang",
        }
        client.force_login(world.lan)
        assert names(client.get(reverse("orgs:index"))) == {"Hội LHPN phường Yên Giang"}
        client.force_login(world.hoa)
        assert names(client.get(reverse("orgs:index"))) == {
            "Hội LHPN xã Thiên Lộc",
            "Ban Dân vận Tỉnh ủy Hà Tĩnh",
        }

    def test_search_ignores_diacritics_and_kind_filters(self, client, world):
        client.force_login(world.tuan)
        found = client.get(reverse("orgs:index"), {"q": "yen giang"})
        assert names(found) == {"Hội LHPN phường Yên Giang", "UBND phường Yên Giang"}
        unions = client.get(reverse("orgs:index"), {"kind": OrgKind.YOUTH_UNION})
        assert names(unions) == {"Đoàn Thanh niên phường Hà An"}
        bad = client.get(reverse("orgs:index"), {"kind": "pirates", "page": "99"})
        assert bad.status_code == 200

    def test_only_admins_see_the_new_button(self, client, world):
        client.force_login(world.minh)
        assert reverse("orgs:new") not in client.get(reverse("orgs:index")).content.decode()
        client.force_login(world.tuan)
        assert reverse("orgs:new") in client.get(reverse("orgs:index")).content.decode()


class TestDetail:
    def test_in_scope_and_out(self, client, world):
        url = reverse("orgs:detail", args=[world.wu_yen_giang.pk])
        client.force_login(world.minh)
        response = client.get(url)
        assert response.status_code == 200
        assert "Hội LHPN phường Yên Giang" in response.content.decode()
        assert reverse("orgs:edit", args=[world.wu_yen_giang.pk]) not in response.content.decode()
        client.force_login(world.duc)
        assert client.get(url).status_code == 404
        client.force_login(world.hoa)
        assert client.get(url).status_code == 404


def form_data(world, **changes):
    data = {
        "name": "Hội Cựu chiến binh phường Quảng Yên",
        "kind": OrgKind.VETERANS_ASSOCIATION,
        "seat_area": world.quang_yen.pk,
        "parent": "",
        "valid_from": "2025-07-01",
        "valid_to": "",
    }
    return data | changes


class TestCreate:
    def test_an_admin_creates_in_scope(self, client, world):
        client.force_login(world.tuan)
        form = client.get(reverse("orgs:new")).context["form"]
        seats = set(form.fields["seat_area"].queryset.values_list("pk", flat=True))
        assert world.quang_yen.pk in seats and world.zone_1.pk in seats
        assert world.can_loc.pk not in seats
        response = client.post(reverse("orgs:new"), form_data(world))
        created = Organisation.objects.get(name="Hội Cựu chiến binh phường Quảng Yên")
        assert response["Location"] == reverse("orgs:detail", args=[created.pk])
        assert created.seat_area == world.quang_yen
        assert created.code

    def test_bad_input_shows_errors_and_writes_nothing(self, client, world):
        client.force_login(world.tuan)
        before = Organisation.objects.count()
        response = client.post(
            reverse("orgs:new"),
            form_data(
                world,
                name="",
                kind="pirates",
                seat_area=world.can_loc.pk,  # outside Tuấn's province
                valid_to="2025-01-01",
            ),
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"name", "kind", "seat_area", "valid_to"}
        assert "is-invalid" in response.content.decode()
        assert Organisation.objects.count() == before

    @pytest.mark.parametrize("name", ["minh", "lan", "quan"])
    def test_non_admins_get_403(self, client, world, name):
        client.force_login(getattr(world, name))
        assert client.get(reverse("orgs:new")).status_code == 403
        assert client.post(reverse("orgs:new"), form_data(world)).status_code == 403


class TestEdit:
    def test_an_admin_renames(self, client, world):
        client.force_login(world.tuan)
        url = reverse("orgs:edit", args=[world.yu_ha_an.pk])
        assert client.get(url).context["form"].initial["name"] == "Đoàn Thanh niên phường Hà An"
        data = form_data(
            world, name="Đoàn TN phường Hà An", kind=OrgKind.YOUTH_UNION, seat_area=world.ha_an.pk
        )
        assert client.post(url, data).status_code == 302
        world.yu_ha_an.refresh_from_db()
        assert world.yu_ha_an.name == "Đoàn TN phường Hà An"

    def test_an_organisation_cannot_sit_under_itself(self, client, world):
        child = Organisation.objects.create(
            code="ORG-CHILD",
            name="Chi hội khu 1",
            kind=OrgKind.WOMENS_UNION,
            seat_area=world.zone_1,
            parent=world.wu_yen_giang,
        )
        client.force_login(world.tuan)
        url = reverse("orgs:edit", args=[world.wu_yen_giang.pk])
        data = form_data(
            world,
            name=world.wu_yen_giang.name,
            kind=OrgKind.WOMENS_UNION,
            seat_area=world.yen_giang.pk,
            parent=child.pk,
        )
        response = client.post(url, data)
        assert response.status_code == 200
        assert "cannot sit under itself" in response.context["form"].errors["parent"][0]
        world.wu_yen_giang.refresh_from_db()
        assert world.wu_yen_giang.parent is None

    def test_out_of_scope_404_and_non_admin_403(self, client, world):
        client.force_login(world.tuan)
        assert client.get(reverse("orgs:edit", args=[world.wu_thien_loc.pk])).status_code == 404
        client.force_login(world.minh)
        assert client.get(reverse("orgs:edit", args=[world.wu_yen_giang.pk])).status_code == 403
