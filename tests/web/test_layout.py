"""The layout every page shares: language, direction, menu by role, scope, sign-in pages."""

import pytest

from danvan.accounts.models import Role
from tests.factories_review import PersonFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def _menu(html: str) -> set[str]:
    links = {"/", "/initiatives/", "/review/", "/areas/", "/organisations/", "/people/"}
    links |= {"/reports/", "/imports/"}
    return {link for link in links if 'class="nav-link' in html and f'href="{link}"' in html}


def test_the_page_is_vietnamese_by_default(client, world):
    client.force_login(world.quan)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert '<html lang="vi" dir="ltr">' in html
    assert "bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html


def test_arabic_is_right_to_left_with_the_rtl_stylesheet(client, world):
    client.force_login(world.quan)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "vendor/bootstrap/css/bootstrap.rtl.min.css" in html
    assert "vendor/bootstrap/css/bootstrap.min.css" not in html


def test_no_inline_scripts_and_the_csrf_header_for_htmx(client, world):
    client.force_login(world.quan)
    html = client.get("/?year=2024").content.decode()
    assert "<script>" not in html
    assert " onclick=" not in html and " onchange=" not in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("quan", {"/", "/initiatives/", "/areas/", "/reports/"}, {"/review/", "/people/"}),
        ("minh", {"/", "/review/", "/initiatives/"}, {"/people/", "/imports/"}),
        ("lan", {"/", "/initiatives/", "/imports/"}, {"/review/", "/people/"}),
        ("tuan", {"/", "/people/", "/organisations/"}, {"/review/", "/imports/"}),
        ("root", {"/", "/review/", "/people/", "/imports/"}, set()),
    ],
)
def test_the_menu_shows_what_the_roles_open(client, world, who, shown, hidden):
    client.force_login(getattr(world, who))
    menu = _menu(client.get("/").content.decode())
    assert shown <= menu
    assert not hidden & menu


def test_the_top_bar_shows_the_scope(client, world):
    client.force_login(world.minh)
    html = client.get("/").content.decode()
    assert "Reviewer · Phường Quảng Yên" in html
    client.force_login(world.lan)
    assert "Officer · Hội LHPN phường Yên Giang" in client.get("/").content.decode()


def test_a_nationwide_scope_says_so(client, areas):
    person = PersonFactory(username="ha")
    RoleAssignmentFactory(user=person, role=Role.VIEWER, area=None, nationwide=True)
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "Viewer · nationwide" in html
    assert "Whole country" in html


def test_sign_in_page_has_labels_and_the_product_layout(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert "web/css/site.css" in html
    assert 'href="/accounts/password_reset/"' in html
    assert "skip-link" in html


def test_a_wrong_password_is_shown_on_the_form(client, world):
    response = client.post("/accounts/login/", {"username": "quan", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_lands_on_the_dashboard(client, world):
    world.quan.set_password("Correct-horse-42")
    world.quan.save()
    response = client.post("/accounts/login/", {"username": "quan", "password": "Correct-horse-42"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_is_a_post(client, world):
    client.force_login(world.quan)
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/" method="post"' in html
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path",
    ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"],
)
def test_password_reset_pages_use_the_layout(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "web/css/site.css" in response.content.decode()


def test_a_bad_reset_link_says_so(client, db):
    response = client.get("/accounts/reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "not valid any more" in response.content.decode()


def test_password_change_needs_sign_in_and_shows_field_errors(client, world):
    assert client.get("/accounts/password_change/").status_code == 302
    client.force_login(world.quan)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "nope", "new_password1": "a", "new_password2": "b"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "is-invalid" in html and "invalid-feedback" in html


def test_a_refusal_is_a_friendly_page(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.quan)
    response = client.get("/showcase/NOPE/")
    assert response.status_code == 404
    assert "Back to the dashboard" in response.content.decode()
