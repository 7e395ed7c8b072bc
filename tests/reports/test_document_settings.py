"""A unit's document settings, set once by its administrators, and its own Word template:
checked on upload (nothing saved when refused), then used for its reports; the document's
number and date given with a request."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document as WordDocument
from rest_framework.test import APIClient

from danvan.reports.document import Document
from danvan.reports.models import DocumentSettings, MoneyStyle
from danvan.reports.official_form import FormKind, Letterhead
from danvan.reports.services import save_document_settings
from danvan.reports.word_templates import check_template, render_template
from tests.reports.helpers import built, plain

SIX_MONTHS = {"year": 2024, "period_kind": "six_months"}
VALUES = {
    "form": FormKind.PARTY,
    "issuer_lines": "TỈNH ỦY QUẢNG NINH\nBAN DÂN VẬN",
    "symbol": "BC/BDVTU",
    "place": "Quảng Ninh",
    "authority": "T/M BAN DÂN VẬN",
    "position": "TRƯỞNG BAN",
    "signatory": "Nguyễn Văn An",
    "recipients": "Ban Dân vận Trung ương\nLưu VP",
    "money_style": MoneyStyle.BILLIONS,
}


def word_file(*paragraphs: str, name: str = "mau-bao-cao.docx") -> SimpleUploadedFile:
    """A Word document whose paragraphs are ``paragraphs``, as a user would upload it."""
    word = WordDocument()
    for text in paragraphs:
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD = (
    "{{ number_line }} — {{ place_date }}",
    "{{ kind }}: {{ title }}",
    "{% for p in narrative %}{{ p }} {% endfor %}",
    "Mô hình: {{ figures.initiatives }}; tiền: {{ figures.money }}",
    "{% for t in tables %}[{{ t.title }}]{% endfor %}",
    "{{ authority }} / {{ position }} / {{ signatory }}",
)


def _stored_templates(media_root) -> list:
    folder = media_root / "report-templates"
    return (
        sorted(path.name for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
    )


def test_an_administrator_sets_the_units_settings_once(world, media_root):
    saved = save_document_settings(actor=world.tuan, area=world.quang_ninh, values=VALUES)
    saved.refresh_from_db()
    assert DocumentSettings.lines(saved.issuer_lines) == ["TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN"]
    assert (saved.symbol, saved.signatory, saved.updated_by) == (
        "BC/BDVTU",
        "Nguyễn Văn An",
        world.tuan,
    )
    again = save_document_settings(
        actor=world.tuan, area=world.quang_ninh, values={"signatory": "Trần Thị Bình"}
    )
    assert again.pk == saved.pk and DocumentSettings.objects.count() == 1
    assert again.symbol == "BC/BDVTU" and again.signatory == "Trần Thị Bình"


def test_only_the_units_administrators_set_its_settings(world, media_root):
    with pytest.raises(PermissionDenied):
        save_document_settings(actor=world.quan, area=world.quang_ninh, values=VALUES)
    with pytest.raises(PermissionDenied):
        save_document_settings(actor=world.tuan, area=world.ha_tinh, values=VALUES)
    assert not DocumentSettings.objects.exists()


def test_a_missing_required_line_is_refused_by_field(world, media_root):
    with pytest.raises(ValidationError) as refused:
        save_document_settings(
            actor=world.tuan, area=world.quang_ninh, values={**VALUES, "symbol": "  "}
        )
    assert "symbol" in refused.value.message_dict
    assert not DocumentSettings.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code", "words"),
    [
        (lambda: SimpleUploadedFile("mau.docx", b"not a zip"), "format", "not a Word document"),
        (lambda: word_file("{{ title }}", name="mau.txt"), "format", "(.docx)"),
        (lambda: word_file("{{ figures.initiatives "), "syntax", "not written correctly"),
        (
            lambda: word_file("{{ title }} {{ secret }} {{ settings }}"),
            "unknown",
            "secret, settings",
        ),
        (lambda: word_file("{% for x in title %}{{ x.__class__ }}"), "syntax", "not written"),
    ],
    ids=["not-a-zip", "not-docx-name", "syntax-error", "unknown-placeholder", "unclosed-block"],
)
def test_a_template_that_cannot_be_used_is_refused_and_nothing_is_saved(
    world, media_root, upload, code, words
):
    with pytest.raises(ValidationError) as refused:
        check_template(upload())
    assert refused.value.code == code
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        save_document_settings(
            actor=world.tuan, area=world.quang_ninh, values=VALUES, template=upload()
        )
    assert words in " ".join(refused.value.message_dict["template"])
    assert not DocumentSettings.objects.exists()
    assert _stored_templates(media_root) == []


def test_a_template_cannot_reach_python_internals():
    """Templates are filled in a sandbox: an attribute of Python's internals is not given."""
    template = word_file("{{ title.__class__.__mro__ }}{{ lines.append('x') }}!")
    document = Document(title="Báo cáo", language="vi", lines=[], letterhead=Letterhead())
    try:
        content = render_template(template, document)
    except Exception as error:  # the sandbox refuses the call outright
        assert "unsafe" in str(error).lower() or "security" in type(error).__name__.lower()
        return
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(content)).paragraphs)
    assert "class" not in text and "object" not in text


def test_the_units_template_makes_its_reports(
    movement, media_root, django_capture_on_commit_callbacks
):
    root = movement.world.root
    saved = save_document_settings(
        actor=root, area=movement.town, values=VALUES, template=word_file(*GOOD)
    )
    assert _stored_templates(media_root) == ["mau-bao-cao.docx"]
    report = built(
        movement.world.quan,
        format="docx",
        language="vi",
        area=movement.town,
        number="125",
        **SIX_MONTHS,
    )
    text = plain("\n".join(p.text for p in WordDocument(io.BytesIO(report.file.read())).paragraphs))
    assert "Số 125-BC/BDVTU — Quảng Ninh, ngày" in text
    assert "Mô hình: 5; tiền: 255 triệu đồng" in text
    assert "Năm 2024" in text  # the narrative
    assert "T/M BAN DÂN VẬN / TRƯỞNG BAN / Nguyễn Văn An" in text
    # Replacing the template removes the old file; going back to the built-in form too.
    with django_capture_on_commit_callbacks(execute=True):
        save_document_settings(
            actor=root,
            area=movement.town,
            values={},
            template=word_file("{{ title }}", name="khac.docx"),
        )
    assert _stored_templates(media_root) == ["khac.docx"]
    with django_capture_on_commit_callbacks(execute=True):
        save_document_settings(actor=root, area=movement.town, values={}, remove_template=True)
    saved.refresh_from_db()
    assert not saved.template and _stored_templates(media_root) == []


# --- the page ----------------------------------------------------------------------------------


def test_the_settings_page_saves_and_refuses_without_saving(client, world, media_root):
    client.force_login(world.tuan)
    page = client.get("/reports/settings/")
    assert page.status_code == 200
    unit = str(world.quang_ninh.pk)
    assert f'value="{unit}"' in page.content.decode()
    refused = client.post(
        "/reports/settings/",
        {**VALUES, "unit": unit, "template": word_file("{{ nonsense }}")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "nonsense" in refused.content.decode()
    assert not DocumentSettings.objects.exists()
    saved = client.post("/reports/settings/", {**VALUES, "unit": unit})
    assert saved.status_code == 302
    assert DocumentSettings.objects.get(area=world.quang_ninh).signatory == "Nguyễn Văn An"


def test_the_settings_page_is_for_administrators(client, world):
    client.force_login(world.quan)
    assert client.get("/reports/settings/").status_code == 403
    client.force_login(world.tuan)
    assert client.get(f"/reports/settings/?unit={world.ha_tinh.pk}").status_code == 404
    assert client.get("/reports/settings/?unit=abc").status_code == 404


# --- the number and date with a request --------------------------------------------------------


def test_the_api_takes_the_documents_number_and_date(movement):
    api = APIClient()
    api.force_authenticate(movement.world.quan)
    request = {
        "kind": "periodic",
        "format": "pdf",
        "language": "vi",
        "area": movement.town.pk,
        **SIX_MONTHS,
    }
    answer = api.post(
        "/api/v1/reports/", {**request, "number": "125", "issued_on": "2024-07-05"}, format="json"
    )
    assert answer.status_code == 202, answer.json()
    assert (answer.json()["number"], answer.json()["issued_on"]) == ("125", "2024-07-05")
    refused = api.post("/api/v1/reports/", {**request, "number": "12a"}, format="json")
    assert refused.status_code == 400
    assert "number" in str(refused.json())
    far = api.post("/api/v1/reports/", {**request, "issued_on": "2999-01-01"}, format="json")
    assert far.status_code == 400 and "issued_on" in str(far.json())


def test_the_api_reads_and_sets_a_units_settings(world, media_root):
    api = APIClient()
    api.force_authenticate(world.tuan)
    url = f"/api/v1/reports/settings/?unit={world.quang_ninh.pk}"
    defaults = api.get(url)
    assert defaults.status_code == 200
    assert defaults.json()["saved"] is False
    assert defaults.json()["issuer_lines"] == ["TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN"]
    body = {
        **VALUES,
        "issuer_lines": ["TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN"],
        "recipients": ["Ban Dân vận Trung ương", "Lưu VP"],
    }
    saved = api.put(url, body, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["saved"] is True and saved.json()["recipients"] == body["recipients"]
    assert DocumentSettings.objects.get(area=world.quang_ninh).money_style == "billions"
    refused = api.put(url, {**body, "form": "royal"}, format="json")
    assert refused.status_code == 400 and "form" in str(refused.json())
    viewer = APIClient()
    viewer.force_authenticate(world.quan)
    assert viewer.get(url).status_code == 403
    assert viewer.put(url, body, format="json").status_code == 403
    assert api.get(f"/api/v1/reports/settings/?unit={world.ha_tinh.pk}").status_code == 403
    assert api.get("/api/v1/reports/settings/?unit=99999999").status_code == 404
    assert api.get("/api/v1/reports/settings/?unit=x").status_code == 404


@pytest.mark.parametrize(
    "unit", ["0", "x", "", "province"], ids=["zero", "not-a-number", "none", "real"]
)
def test_options_on_the_settings_answers_without_a_server_error(world, unit):
    """OPTIONS asks what the endpoint takes; it answered 500 (the fuzz found it)."""
    api = APIClient()
    api.force_authenticate(world.root)
    unit = world.quang_ninh.pk if unit == "province" else unit
    answer = api.options(f"/api/v1/reports/settings/?unit={unit}")
    assert answer.status_code < 500, answer.content
