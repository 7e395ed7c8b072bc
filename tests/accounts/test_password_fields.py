"""Password forms: a "Show" button on every password field (ASVS 2.1.12) and a strength meter
on the fields that choose a new password (ASVS 2.1.8), from a static script (no inline code),
whose verdicts agree with the server's validators."""

import json
import re
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from danvan.accounts.passwords import (
    COMMON_PASSWORDS_SCRIPT,
    common_passwords_script,
    common_passwords_the_length_rule_lets_through,
    minimum_length,
)

PASSWORD = "nha-van-hoa-khu-1-2024"


@pytest.fixture
def lan(db):
    return get_user_model().objects.create_user(username="lan", password=PASSWORD)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def toggles(page: str) -> list[str]:
    return re.findall(r'data-password-toggle="([^"]+)"', page)


def meters(page: str) -> list[str]:
    return re.findall(r'data-password-meter="([^"]+)"', page)


def scripts(page: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', page)


def assert_no_inline_script(page: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)  # no onclick= and the like


class TestMarkup:
    def test_sign_in_has_the_toggle_only(self, client, db):
        page = html(client.get("/accounts/login/"))
        assert toggles(page) == ["id_password"]
        assert meters(page) == []
        assert "/static/accounts/js/password.js" in scripts(page)
        assert not any("common-passwords" in src for src in scripts(page))
        assert_no_inline_script(page)

    def test_change_has_toggles_and_a_meter_on_the_new_password(self, client, lan):
        client.force_login(lan)
        page = html(client.get("/accounts/password_change/"))
        assert toggles(page) == ["id_old_password", "id_new_password1", "id_new_password2"]
        assert meters(page) == ["id_new_password1"]
        assert scripts(page)[-2:] == [
            "/static/accounts/js/common-passwords.js",
            "/static/accounts/js/password.js",
        ]
        assert_no_inline_script(page)

    def test_reset_has_toggles_and_a_meter(self, client, lan):
        uid = urlsafe_base64_encode(force_bytes(lan.pk))
        token = default_token_generator.make_token(lan)
        response = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
        page = html(response)
        assert toggles(page) == ["id_new_password1", "id_new_password2"]
        assert meters(page) == ["id_new_password1"]

    def test_a_dead_reset_link_has_no_password_field(self, client, lan):
        uid = urlsafe_base64_encode(force_bytes(lan.pk))
        page = html(client.get(f"/accounts/reset/{uid}/not-a-token/", follow=True))
        assert toggles(page) == [] and meters(page) == []

    def test_an_administrator_setting_a_first_password_gets_both(self, client, world):
        client.force_login(world.tuan)
        page = html(client.get("/people/new/"))
        assert toggles(page) == ["id_password1", "id_password2"]
        assert meters(page) == ["id_password1"]
        assert_no_inline_script(page)
        # Editing a person sets no password: no field, no script.
        page = html(client.get(f"/people/{world.lan.pk}/edit/"))
        assert toggles(page) == [] and "password.js" not in page

    def test_both_stay_hidden_without_scripts_and_say_what_they_do(self, client, lan):
        client.force_login(lan)
        page = html(client.get("/accounts/password_change/", HTTP_ACCEPT_LANGUAGE="en"))
        button = re.search(r'<button[^>]*data-password-toggle="id_new_password1"[^>]*>', page)[0]
        assert " hidden" in button
        assert 'type="button"' in button  # never submits the form
        assert 'aria-controls="id_new_password1"' in button
        assert 'aria-label="Show the password"' in button
        assert 'data-hide-label="Hide the password"' in button
        meter = re.search(r'<div class="password-meter[^>]*>', page, re.S)[0]
        assert " hidden" in meter
        assert f'data-min-length="{minimum_length()}"' in meter
        assert 'data-too-short="Too short: at least 12 characters."' in meter
        assert "<meter " in page and 'max="4"' in page
        assert 'aria-live="polite"' in page

    def test_an_error_still_shows_under_the_field(self, client, lan):
        client.force_login(lan)
        page = html(
            client.post(
                "/accounts/password_change/",
                {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
            )
        )
        assert 'id="id_new_password2-error"' in page
        assert 'aria-invalid="true"' in page


class TestScripts:
    def test_the_scripts_are_static_files(self):
        assert finders.find("accounts/js/password.js")
        assert finders.find("accounts/js/common-passwords.js")

    def test_the_meter_knows_the_common_passwords_the_server_refuses(self):
        """Regenerate with ``danvan shell -c "from danvan.accounts.passwords import
        write_common_passwords_script as w; w()"`` when the validators change."""
        assert COMMON_PASSWORDS_SCRIPT.read_text(encoding="utf-8") == common_passwords_script()
        passwords = common_passwords_the_length_rule_lets_through()
        assert "password1234" in passwords
        assert all(len(p) >= minimum_length() for p in passwords)


NODE = shutil.which("node")

# Long enough, yet found at once by guessing tools: one character, sequences, keyboard runs.
TOO_GUESSABLE = [
    "aaaaaaaaaaaa",
    "abcdefghijkl",
    "zyxwvutsrqpo",
    "asdfghjkl;zx",
    "abc123abc123",
    "abcdef123456",
    "passwordpassword",
]


class TestGuessablePasswords:
    @pytest.mark.parametrize("password", TOO_GUESSABLE)
    def test_the_server_refuses_them_with_a_translatable_reason(self, password):
        with pytest.raises(ValidationError) as raised:
            validate_password(password)
        assert "password_too_guessable" in {error.code for error in raised.value.error_list}

    @pytest.mark.parametrize("password", [PASSWORD, "Nhà văn hóa khu 1", "den-long-thon-3-2025"])
    def test_passwords_of_unrelated_words_pass(self, password):
        validate_password(password)

    def test_the_name_of_the_person_counts_as_guessable(self, db):
        user = get_user_model()(username="nguyenthilan", first_name="Lan", last_name="Nguyễn")
        with pytest.raises(ValidationError):
            validate_password("nguyenthilan2024", user)

    def test_the_api_and_the_form_refuse_a_repeated_character(self, client, world):
        from rest_framework.test import APIClient

        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        api.force_authenticate(world.tuan)
        response = api.post(
            "/api/v1/users/",
            {
                "username": "hanh",
                "password": "aaaaaaaaaaaa",
                "organisation": world.wu_yen_giang.pk,
            },
            format="json",
        )
        assert response.status_code == 400
        (message,) = response.json()["error"]["fields"]["password"]
        assert "too easy to guess" in message
        client.force_login(world.tuan)
        page = client.post(
            "/people/new/",
            {
                "username": "hanh",
                "password1": "aaaaaaaaaaaa",
                "password2": "aaaaaaaaaaaa",
                "organisation": world.wu_yen_giang.pk,
                "language": "vi",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert "too easy to guess" in page.content.decode()
        assert not get_user_model().objects.filter(username="hanh").exists()


HARNESS = """
const fs = require("fs"), vm = require("vm");
const [files, minLength] = JSON.parse(process.argv[1]);
const context = { window: {}, document: { addEventListener() {} } };
vm.createContext(context);
for (const f of files) vm.runInContext(fs.readFileSync(f, "utf8"), context);
const grade = context.window.danvanPasswordStrength;
const passwords = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(passwords.map((p) => grade(p, minLength))));
"""


def grade(passwords: list[str]) -> list[list]:
    """Run the meter's grading in Node, as the browser would, on ``passwords``."""
    files = [str(COMMON_PASSWORDS_SCRIPT), finders.find("accounts/js/password.js")]
    done = subprocess.run(
        [NODE, "-e", HARNESS, json.dumps([files, minimum_length()])],
        input=json.dumps(passwords),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def server_accepts(password: str) -> bool:
    try:
        validate_password(password)
    except ValidationError:
        return False
    return True


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the meter's script")
class TestGrading:
    @pytest.mark.parametrize(
        ("password", "verdict"),
        [
            ("", ""),
            ("ngắn", "tooShort"),
            ("abcdefghijk", "tooShort"),
            ("123456789012345", "onlyDigits"),
            ("١٢٣٤٥٦٧٨٩٠١٢٣", "onlyDigits"),  # Arabic-Indic digits are digits too
            ("password1234", "tooCommon"),
            ("  PASSWORD1234 ", "tooCommon"),
            ("aaaaaaaaaaaaaaaa", "repetitive"),
            ("abcdefghijkl", "guessable"),
            ("zyxwvutsrqpo", "guessable"),
            ("asdfghjkl;zx", "guessable"),
            ("abc123abc123", "guessable"),
            ("passwordpassword", "guessable"),
            ("nhavanhoakhu", "fair"),
            ("Nhà văn hóa 1", "good"),
            ("Nhà văn hóa khu 1", "strong"),
            ("đường hoa nhà số chuyển đổi", "strong"),
        ],
    )
    def test_verdicts(self, password, verdict):
        ((_value, said),) = grade([password])
        assert said == verdict

    def test_the_meter_never_calls_acceptable_what_the_server_refuses(self):
        candidates = [
            "ngắn",
            "123456789012",
            "password1234",
            "qwertyuiop123",
            "administrator",
            "nhavanhoakhu",
            "Nhà văn hóa khu 1",
            "q1w2e3r4t5y6",
            "x" * 12,
            *TOO_GUESSABLE,
        ]
        for password, (value, said) in zip(candidates, grade(candidates), strict=True):
            if value >= 2:
                assert server_accepts(password), (password, said)
            if not server_accepts(password):
                assert value <= 1, (password, said)

    def test_vietnamese_letters_count_as_one_character_each(self):
        # "đường hoa" precomposed: 9 characters, as Python counts them, so too short.
        ((_value, said),) = grade(["đường hoa"])
        assert said == "tooShort"
