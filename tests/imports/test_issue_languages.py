"""An import's problems are read in the reader's language, whoever uploaded the file: on the
import's page, in the API and in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from danvan.imports.models import ImportIssue, Severity
from danvan.imports.translated import say
from tests.imports.conftest import headers, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area_code", "area", "start_date"]


def said(language: str, msgid: str, **params) -> str:
    with translation.override(language):
        return _(msgid) % params


def vi_upload(world, upload):
    """Thu, a Vietnamese officer, uploads a file with a problem of each sort."""
    ours = [world.digital.code, "x", "economy", world.pc_yen_giang.code, 2024, "", "", ""]
    content = xlsx_bytes(
        [
            headers("initiatives", "vi", KEYS),
            ["", "", "economy", world.pc_yen_giang.code, 2024, "", "", "31/02/2024"],
            ours,  # the services' rule: a completed initiative is not changed
            ours,  # the importer's own, with a number in it
        ]
    )
    return upload(world.thu, "initiatives", content, language="vi")


# The problems Thu's file has, as (msgid, params): a required cell, a quoted cell value, a
# service's refusal naming a state (said in each language too), a row number.
EXPECTED = [
    ("This cell is required.", {}),
    ("“%(raw)s” is not a real day of the calendar.", {"raw": "31/02/2024"}),
    ("A %(status)s initiative cannot be changed.", {"status": "completed"}),
    ("This code is also on row %(row)s.", {"row": 3}),
]


def expected(language: str) -> list[str]:
    found = []
    for msgid, params in EXPECTED:
        if "status" in params:
            with translation.override(language):
                params = {"status": _("Completed").lower()}
        found.append(said(language, msgid, **params))
    return found


def test_the_uploaders_words_are_kept_as_they_were_written(world, upload):
    batch = vi_upload(world, upload)
    messages = list(batch.issues.order_by("row", "id").values_list("message", flat=True))
    assert messages == expected("vi")
    assert messages[3] == "Mã này cũng có ở dòng 3."


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_reader_reads_a_vietnamese_upload_in_their_language_on_the_page(
    world, upload, client, language
):
    batch = vi_upload(world, upload)
    client.force_login(world.tuan)  # the administrator of Thu's organisation
    page = client.get(reverse("imports:detail", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    for vietnamese, theirs in zip(expected("vi"), expected(language), strict=True):
        assert vietnamese != theirs
        assert theirs in html.replace("&quot;", '"')
        assert vietnamese not in html
    # The cell's value is quoted as the file has it, in every language.
    assert "31/02/2024" in expected(language)[1]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_api_gives_the_messages_in_the_accept_language(world, upload, language):
    batch = vi_upload(world, upload)
    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    api.force_authenticate(world.tuan)
    answer = api.get(f"/api/v1/imports/{batch.pk}/issues/")
    assert answer.status_code == 200
    assert [issue["message"] for issue in answer.json()["results"]] == expected(language)


def test_an_issue_recorded_before_messages_were_kept_in_every_language_still_shows(
    world, upload, client
):
    batch = vi_upload(world, upload)
    ImportIssue.objects.create(batch=batch, severity=Severity.ERROR, message="Lỗi ghi từ trước")
    client.force_login(world.tuan)
    page = client.get(reverse("imports:detail", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Lỗi ghi từ trước" in page.content.decode()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="ar")
    api.force_authenticate(world.tuan)
    messages = [
        i["message"] for i in api.get(f"/api/v1/imports/{batch.pk}/issues/").json()["results"]
    ]
    assert "Lỗi ghi từ trước" in messages


# ``say`` itself: each kind of message a step can meet.


def test_a_lazy_plural_with_params_is_said_in_each_language():
    field = models.CharField(max_length=5)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        field.clean("abcdefgh", None)
    [error] = refused.value.error_list
    with translation.override("vi"):
        found = say(error)
    assert found.texts["en"] == "Ensure this value has at most 5 characters (it has 8)."
    assert "5" in found.texts["ar"] and "8" in found.texts["ar"]
    assert found.text == found.texts["vi"] != found.texts["en"]


def test_a_template_and_its_params_apart_are_said_in_each_language():
    with translation.override("vi"):
        found = say(ValidationError(_("Enter at most %(limit)s."), params={"limit": "5"}))
    assert found.texts == {
        "vi": said("vi", "Enter at most %(limit)s.", limit="5"),
        "en": "Enter at most 5.",
        "ar": said("ar", "Enter at most %(limit)s.", limit="5"),
    }


def test_a_lazy_message_with_params_is_said_in_each_language():
    message = gettext_lazy("Only the first %(count)s problems are listed.")
    with translation.override("vi"):
        found = say(message, {"count": 5000})
    assert found.texts["en"] == "Only the first 5000 problems are listed."
    assert found.texts["ar"] == said(
        "ar", "Only the first %(count)s problems are listed.", count=5000
    )


def test_a_quoted_value_stays_as_the_file_has_it_even_when_it_is_a_known_word():
    with translation.override("vi"):
        yes = _("Yes")
        found = say(_("“%(raw)s” is not a date.") % {"raw": yes})
    assert found.texts["en"] == f"“{yes}” is not a date."


def test_a_message_no_catalogue_knows_is_kept_as_written():
    with translation.override("vi"):
        found = say("Không có gì để nhập ở đây")
        short = say("Không có gì")  # would fit "No %(x)s"-like templates, which are too short
    assert (found.text, found.texts) == ("Không có gì để nhập ở đây", {})
    assert short.texts == {}
    issue = ImportIssue(message=found.text, texts=found.texts)
    assert issue.text("en") == issue.text("ar") == "Không có gì để nhập ở đây"


def test_a_message_written_in_english_is_said_in_vietnamese_and_arabic():
    with translation.override("en"):
        found = say(_("This code is also on row %(row)s.") % {"row": 12})
    assert found.texts["vi"] == "Mã này cũng có ở dòng 12."
    assert found.texts["ar"] == said("ar", "This code is also on row %(row)s.", row=12)


def test_the_admin_shows_the_messages_in_the_readers_language(world, upload, admin_client):
    batch = vi_upload(world, upload)
    page = admin_client.get(
        reverse("admin:imports_importbatch_change", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "This code is also on row 3." in html
    assert "Mã này cũng có ở dòng 3." not in html
