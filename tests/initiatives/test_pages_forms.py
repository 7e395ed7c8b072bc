"""The forms that write: register and edit an initiative (with its version), add to the ledger
and correct it, record a result, attach evidence. Good input is saved; each kind of bad input
shows on its field and writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.initiatives.catalogues import Aggregation, ContributionKind, Status, Unit
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import Contribution, Evidence, Initiative, Result
from danvan.initiatives.services import contribution_add, contribution_correct
from tests.factories import IndicatorFactory

pytest_plugins = ["tests.people"]  # the shared cast: the `world` fixture


@pytest.fixture
def client_as(client, settings):
    def sign_in(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in


def url(initiative, rest: str = "") -> str:
    return f"/initiatives/{initiative.pk}/{rest}"


def field_errors(response, name: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    return list(response.context["form"].errors.get(name, []))


# --- registering ----------------------------------------------------------------------------


@pytest.fixture
def new_initiative(world) -> dict:
    return {
        "title": "Camera an ninh khu dân cư",
        "field": "defence_security",
        "organisation": world.wu_yen_giang.pk,
        "area": world.zone_1.pk,
        "year": 2025,
        "summary": "Lắp camera an ninh ở các khu.",
        "start_date": "2025-02-01",
        "end_date": "2025-12-31",
        "people_in_charge": "Lan",
        "tags": "an ninh, camera",
        "replicated_from": "",
    }


def test_the_create_form_offers_the_officers_own_organisation_and_units(client_as, world):
    response = client_as(world.lan).get("/initiatives/new/")
    assert response.status_code == 200
    form = response.context["form"]
    html = response.content.decode()
    assert [org.pk for org in form.fields["organisation"].queryset] == [world.wu_yen_giang.pk]
    offered = [value for value, _label in form.fields["area"].widget.choices if value]
    assert world.zone_1.pk in offered and world.yen_giang.pk in offered
    assert world.ha_an.pk not in offered
    assert 'type="date"' in html
    for name in ("title", "field", "organisation", "area", "year", "start_date", "tags"):
        assert f'<label class="form-label" for="id_{name}">' in html


def test_registering_an_initiative(client_as, world, new_initiative):
    response = client_as(world.lan).post("/initiatives/new/", new_initiative)
    created = Initiative.objects.get(title="Camera an ninh khu dân cư")
    assert response.status_code == 302
    assert response["Location"] == url(created)
    assert created.status == Status.DRAFT
    assert created.organisation == world.wu_yen_giang
    assert created.area == world.zone_1
    assert sorted(tag.name for tag in created.tags.all()) == ["an ninh", "camera"]
    assert created.code.startswith("DVK-2025-")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"field": "weather"}, "field", "Select a valid choice"),
        ({"year": "1999"}, "year", "greater than or equal to 2000"),
        ({"year": "two thousand"}, "year", "Enter a whole number."),
        ({"start_date": "2025-13-45"}, "start_date", "Enter a valid date."),
        ({"end_date": "2025-01-01"}, "end_date", "The end date cannot be before the start date."),
        ({"organisation": ""}, "organisation", "This field is required."),
        ({"area": "abc"}, "area", "Select a valid choice"),
        ({"replicated_from": "DVK-NONE"}, "replicated_from", "No initiative you can see"),
        ({"tags": "x" * 81}, "tags", "at most 80 characters"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_written(
    client_as, world, new_initiative, change, field, message
):
    before = Initiative.objects.count()
    response = client_as(world.lan).post("/initiatives/new/", {**new_initiative, **change})
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert "is-invalid" in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    assert Initiative.objects.count() == before


def test_registering_for_another_organisation_or_place_is_refused_on_the_field(
    client_as, world, new_initiative
):
    before = Initiative.objects.count()
    page = client_as(world.lan)
    response = page.post(
        "/initiatives/new/", {**new_initiative, "organisation": world.pc_yen_giang.pk}
    )
    assert field_errors(response, "organisation")
    # Thu registers for the People's Committee inside Yên Giang only: not in Hà An.
    response = client_as(world.thu).post(
        "/initiatives/new/",
        {**new_initiative, "organisation": world.pc_yen_giang.pk, "area": world.ha_an.pk},
    )
    assert field_errors(response, "area") == ["You do not have permission to do this here."]
    assert Initiative.objects.count() == before


def test_people_who_register_nothing_cannot_open_the_create_form(client_as, world):
    assert client_as(world.quan).get("/initiatives/new/").status_code == 403
    assert client_as(world.minh).get("/initiatives/new/").status_code == 403


def test_replicating_a_visible_initiative_by_its_code(client_as, world, new_initiative):
    """Lan copies her union's model of Khu 1 to the ward itself: another place."""
    data = {
        **new_initiative,
        "area": world.yen_giang.pk,
        "replicated_from": world.cultural_houses.code.lower(),
    }
    response = client_as(world.lan).post("/initiatives/new/", data)
    assert response.status_code == 302
    created = Initiative.objects.get(title=new_initiative["title"])
    assert created.replicated_from == world.cultural_houses


def test_the_form_refuses_a_replication_in_the_same_place_by_the_same_unit(
    client_as, world, new_initiative
):
    """The API refused this and the form let it through: one rule for both doors now."""
    data = {**new_initiative, "replicated_from": world.cultural_houses.code}
    response = client_as(world.lan).post("/initiatives/new/", data)
    assert response.status_code == 200
    assert not Initiative.objects.filter(title=new_initiative["title"]).exists()
    assert "replicated_from" in response.context["form"].errors


def test_the_form_refuses_an_area_of_another_province(client_as, world, new_initiative):
    """Lan's union works in Yên Giang; Can Lộc (Hà Tĩnh) is not its ground."""
    data = {**new_initiative, "area": world.can_loc.pk}
    response = client_as(world.lan).post("/initiatives/new/", data)
    assert response.status_code in {200, 403}
    assert not Initiative.objects.filter(title=new_initiative["title"]).exists()


# --- editing ----------------------------------------------------------------------------------


def edit_data(initiative, **changes) -> dict:
    return {
        "title": initiative.title,
        "field": initiative.field,
        "area": initiative.area_id,
        "summary": initiative.summary,
        "start_date": "2024-01-15",
        "end_date": "",
        "people_in_charge": "",
        "tags": "",
        "replicated_from": "",
        "version": initiative.version,
        **changes,
    }


def test_editing_saves_and_moves_the_version_on(client_as, world):
    draft = world.cultural_houses
    page = client_as(world.lan)
    form = page.get(url(draft, "edit/")).content.decode()
    assert f'name="version" value="{draft.version}"' in form
    response = page.post(url(draft, "edit/"), edit_data(draft, title="Nhà văn hóa khu 1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nhà văn hóa khu 1"
    assert draft.version == 2


def test_a_stale_version_shows_the_conflict_and_writes_nothing(client_as, world):
    draft = world.cultural_houses
    page = client_as(world.lan)
    stale = edit_data(draft, title="Tên của tôi")
    assert (
        page.post(url(draft, "edit/"), edit_data(draft, title="Tên của người khác")).status_code
        == 302
    )
    response = page.post(url(draft, "edit/"), stale)
    assert response.status_code == 200
    assert response.context["conflict"]
    html = response.content.decode()
    assert "Someone else changed this initiative" in html
    assert "Reload it" in html
    draft.refresh_from_db()
    assert draft.title == "Tên của người khác"
    assert draft.version == 2


def test_editing_bad_input_and_out_of_scope(client_as, world):
    draft = world.cultural_houses
    page = client_as(world.lan)
    response = page.post(url(draft, "edit/"), edit_data(draft, title=""))
    assert field_errors(response, "title") == ["This field is required."]
    response = page.post(url(draft, "edit/"), edit_data(draft, version=""))
    assert field_errors(response, "version")
    draft.refresh_from_db()
    assert draft.version == 1
    assert client_as(world.lan).get(url(world.digital, "edit/")).status_code == 404
    assert client_as(world.minh).get(url(draft, "edit/")).status_code == 403
    # A completed initiative is a record: the refusal shows above the form.
    digital = world.digital
    response = client_as(world.thu).post(url(digital, "edit/"), edit_data(digital, title="X"))
    assert response.status_code == 200
    assert "cannot be changed" in " ".join(response.context["form"].non_field_errors())
    digital.refresh_from_db()
    assert digital.title != "X"


# --- the ledger -------------------------------------------------------------------------------


def contribution(**changes) -> dict:
    return {
        "date": "2024-05-01",
        "kind": ContributionKind.MONEY,
        "amount": "180,000,000",
        "contributor_type": "households",
        "contributors": "16",
        "description": "Điều hòa cho nhà văn hóa",
        **changes,
    }


def test_adding_a_contribution(client_as, world):
    page = client_as(world.lan)
    assert (
        'inputmode="decimal"'
        in page.get(url(world.cultural_houses, "contributions/new/")).content.decode()
    )
    response = page.post(url(world.cultural_houses, "contributions/new/"), contribution())
    assert response.status_code == 302
    entry = Contribution.objects.get(initiative=world.cultural_houses)
    assert (entry.amount, entry.contributors, entry.created_by) == (180_000_000, 16, world.lan)


def test_amounts_are_read_the_way_vietnamese_write_them(client_as, world):
    page = client_as(world.lan, language="vi")
    response = page.post(
        url(world.cultural_houses, "contributions/new/"), contribution(amount="180.000.000")
    )
    assert response.status_code == 302
    assert Contribution.objects.get().amount == 180_000_000


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "abc"}, "amount", "“abc” is not a number."),
        ({"amount": "1,80,000"}, "amount", "“1,80,000” is not a number."),
        ({"amount": "1.5"}, "amount", "“1.5” has a fraction of a đồng"),
        ({"amount": "1.555", "kind": ContributionKind.LAND}, "amount", "at most two decimals"),
        ({"amount": "0.125", "kind": ContributionKind.LABOUR}, "amount", "at most two decimals"),
        ({"amount": "10,000,000.5", "kind": ContributionKind.LAND}, "amount", "at most 10,000,000"),
        ({"amount": "-5"}, "amount", "An amount cannot be negative."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"contributors": "-1"}, "contributors", "cannot be negative"),
        ({"date": ""}, "date", "This field is required."),
        ({"kind": "gold"}, "kind", "Select a valid choice"),
        ({"kind": ContributionKind.IN_KIND, "description": ""}, "description", "Describe"),
    ],
)
def test_bad_contributions_are_refused_on_their_field(client_as, world, change, field, message):
    response = client_as(world.lan).post(
        url(world.cultural_houses, "contributions/new/"), contribution(**change)
    )
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert not Contribution.objects.exists()


def test_only_officers_in_scope_add_contributions(client_as, world):
    assert (
        client_as(world.quan).get(url(world.cultural_houses, "contributions/new/")).status_code
        == 403
    )
    assert (
        client_as(world.minh)
        .post(url(world.cultural_houses, "contributions/new/"), contribution())
        .status_code
        == 403
    )
    assert (
        client_as(world.hoa).get(url(world.cultural_houses, "contributions/new/")).status_code
        == 404
    )
    assert not Contribution.objects.exists()


@pytest.fixture
def entry(world):
    return contribution_add(
        actor=world.lan,
        initiative=world.cultural_houses,
        date=datetime.date(2024, 5, 1),
        kind=ContributionKind.MONEY,
        amount=100_000_000,
        contributor_type="households",
        contributors=10,
    )


def test_correcting_an_entry_adds_the_difference(client_as, world, entry):
    page = client_as(world.lan)
    form = page.get(url(world.cultural_houses, f"contributions/{entry.pk}/correct/"))
    assert "$100,000,000" in form.content.decode() or "100,000,000" in form.content.decode()
    response = page.post(
        url(world.cultural_houses, f"contributions/{entry.pk}/correct/"),
        {"amount": "80,000,000", "reason": "Ghi nhầm", "contributors": "", "date": ""},
    )
    assert response.status_code == 302
    correction = Contribution.objects.get(corrects=entry)
    assert (correction.amount, correction.contributors) == (-20_000_000, 0)
    entry.refresh_from_db()
    assert entry.amount == 100_000_000  # the original stays as recorded
    detail = page.get(url(world.cultural_houses)).content.decode()
    assert f"Correction of entry #{entry.pk}" in detail


def test_bad_corrections_are_refused(client_as, world, entry):
    page = client_as(world.lan)
    target = url(world.cultural_houses, f"contributions/{entry.pk}/correct/")
    response = page.post(target, {"amount": "80,000,000", "reason": ""})
    assert field_errors(response, "reason") == ["This field is required."]
    response = page.post(target, {"amount": "100,000,000", "reason": "Không đổi"})
    assert field_errors(response, "amount") == ["The correction changes nothing."]
    assert not Contribution.objects.filter(corrects=entry).exists()
    correction = contribution_correct(actor=world.lan, entry=entry, amount=90, reason="x")
    response = page.post(
        url(world.cultural_houses, f"contributions/{correction.pk}/correct/"),
        {"amount": "5", "reason": "Sửa lại"},
    )
    assert "Correct the original entry" in " ".join(response.context["form"].non_field_errors())
    assert Contribution.objects.count() == 2
    # An entry is only found under its own initiative.
    other = url(world.railings, f"contributions/{entry.pk}/correct/")
    assert client_as(world.root).get(other).status_code == 404


# --- results ----------------------------------------------------------------------------------


@pytest.fixture
def indicators(db):
    return {
        "road": IndicatorFactory(code="f_road_m", unit=Unit.M),
        "share": IndicatorFactory(
            code="f_share", unit=Unit.PERCENT, aggregation=Aggregation.AVERAGE
        ),
    }


def test_recording_a_result(client_as, world, indicators):
    response = client_as(world.lan).post(
        url(world.cultural_houses, "results/new/"),
        {
            "indicator": indicators["road"].pk,
            "value": "326.5",
            "target": "400",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "note": "Ngõ bê tông",
        },
    )
    assert response.status_code == 302
    result = Result.objects.get()
    assert (str(result.value), str(result.target)) == ("326.5000", "400.0000")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"value": "120"}, "value", "A percentage cannot be above 100."),
        ({"value": "50", "target": "150"}, "target", "A percentage cannot be above 100."),
        ({"value": "-1"}, "value", "A result cannot be negative."),
        ({"value": "lots"}, "value", "Enter a number."),
        ({"period_end": ""}, "period_end", "This field is required."),
        ({"period_start": "2025-01-01"}, "period_end", "cannot end before it starts"),
        ({"indicator": ""}, "indicator", "This field is required."),
    ],
)
def test_bad_results_are_refused_on_their_field(
    client_as, world, indicators, change, field, message
):
    data = {
        "indicator": indicators["share"].pk,
        "value": "89.5",
        "target": "",
        "period_start": "",
        "period_end": "2024-12-31",
        "note": "",
        **change,
    }
    response = client_as(world.lan).post(url(world.cultural_houses, "results/new/"), data)
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert not Result.objects.exists()


# --- evidence ---------------------------------------------------------------------------------


def test_attaching_a_photo(client_as, world, media_root):
    page = client_as(world.lan)
    form = page.get(url(world.cultural_houses, "evidence/new/")).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file"' in form and "data-dropzone-zone" in form
    assert "initiatives/js/dropzone.js" in form
    photo = SimpleUploadedFile("khu1.png", image_bytes_for_tests(), content_type="image/png")
    response = page.post(url(world.cultural_houses, "evidence/new/"), {"file": photo, "title": ""})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.content_type) == ("photo", "image/png")


@pytest.mark.parametrize(
    ("upload", "data", "field", "message"),
    [
        (("notes.txt", b"just text"), {}, "file", "Only photos (JPEG, PNG, WebP)"),
        (("fake.png", b"\x89PNG\r\n\x1a\n broken"), {}, "file", "damaged"),
        (("minutes.pdf", b"%PDF-1.4 minutes"), {"kind": "photo"}, "kind", "Only an image"),
        (None, {}, "file", "This field is required."),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client_as, world, media_root, upload, data, field, message
):
    files = {"file": SimpleUploadedFile(*upload)} if upload else {}
    response = client_as(world.lan).post(
        url(world.cultural_houses, "evidence/new/"), {**files, "title": "", "kind": "", **data}
    )
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert not Evidence.objects.exists()
    stored = (
        [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []
    )
    assert stored == []


def test_a_file_over_the_limit_is_refused(client_as, world, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", image_bytes_for_tests() + b"\x00" * (1024 * 1024))
    response = client_as(world.lan).post(
        url(world.cultural_houses, "evidence/new/"), {"file": big, "title": "", "kind": ""}
    )
    assert field_errors(response, "file") == ["The file is larger than 1 MB."]
    assert not Evidence.objects.exists()


def test_evidence_needs_an_officer_in_scope(client_as, world, media_root):
    photo = SimpleUploadedFile("khu1.png", image_bytes_for_tests())
    assert (
        client_as(world.quan)
        .post(url(world.cultural_houses, "evidence/new/"), {"file": photo})
        .status_code
        == 403
    )
    assert client_as(world.hoa).get(url(world.cultural_houses, "evidence/new/")).status_code == 404
    assert not Evidence.objects.exists()


# --- amounts typed as officers type them ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("38.000.000 ₫", 38_000_000),
        ("38.000.000đ", 38_000_000),
        ("38.000.000 đồng", 38_000_000),
        ("38000000", 38_000_000),
        ("38 000 000 VND", 38_000_000),
        ("₫ 38.000.000", 38_000_000),
    ],
    ids=["symbol", "d-suffix", "dong-word", "plain", "spaces-vnd", "symbol-first"],
)
def test_money_is_taken_with_its_sign_in_vietnamese(client_as, world, typed, stored):
    page = client_as(world.lan, language="vi")
    response = page.post(
        url(world.cultural_houses, "contributions/new/"), contribution(amount=typed)
    )
    assert response.status_code == 302
    assert Contribution.objects.get().amount == stored


@pytest.mark.parametrize(
    ("typed", "kind", "message"),
    [
        ("38.000.000,5 ₫", ContributionKind.MONEY, "phần lẻ dưới một đồng"),
        ("abc", ContributionKind.MONEY, "không phải là số"),
        ("₫", ContributionKind.MONEY, "không phải là số"),
        ("-38.000.000 ₫", ContributionKind.MONEY, "không được âm"),
        ("12,5,5", ContributionKind.LAND, "không phải là số"),
    ],
    ids=["fraction-of-dong", "letters", "sign-only", "negative", "two-commas"],
)
def test_bad_amounts_are_refused_in_the_officers_language(client_as, world, typed, kind, message):
    page = client_as(world.lan, language="vi")
    response = page.post(
        url(world.cultural_houses, "contributions/new/"), contribution(amount=typed, kind=kind)
    )
    errors = field_errors(response, "amount")
    assert any(message in error.lower() for error in errors), errors
    assert not Contribution.objects.exists()


def test_a_vietnamese_decimal_comma_is_read_as_a_decimal(client_as, world):
    """'350,0' is three hundred and fifty, not three thousand five hundred."""
    page = client_as(world.lan, language="vi")
    response = page.post(
        url(world.cultural_houses, "contributions/new/"),
        contribution(amount="350,0", kind=ContributionKind.LAND),
    )
    assert response.status_code == 302
    assert Contribution.objects.get().amount == 350


# --- land and labour with decimals ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "kind", "typed", "stored"),
    [
        ("vi", ContributionKind.LAND, "350,5", Decimal("350.5")),
        ("vi", ContributionKind.LAND, "1.200,75", Decimal("1200.75")),
        ("vi", ContributionKind.LABOUR, "0,5", Decimal("0.5")),
        ("en", ContributionKind.LAND, "350.5", Decimal("350.5")),
        ("en", ContributionKind.LABOUR, "1,234.25", Decimal("1234.25")),
        ("ar", ContributionKind.LAND, "٣٥٠٫٥", Decimal("350.5")),
        ("ar", ContributionKind.LABOUR, "٠٫٥", Decimal("0.5")),
        ("ar", ContributionKind.LAND, "350.5", Decimal("350.5")),
    ],
)
def test_land_and_labour_take_decimals_in_each_language(
    client_as, world, language, kind, typed, stored
):
    page = client_as(world.lan, language=language)
    response = page.post(
        url(world.cultural_houses, "contributions/new/"), contribution(amount=typed, kind=kind)
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Contribution.objects.get().amount == stored


@pytest.mark.parametrize(
    ("language", "kind", "typed"),
    [
        ("vi", ContributionKind.LAND, "350,555"),
        ("vi", ContributionKind.LABOUR, "0,125"),
        ("en", ContributionKind.LAND, "350.555"),
        ("ar", ContributionKind.LABOUR, "٠٫١٢٥"),
        ("vi", ContributionKind.MONEY, "38.000.000,5"),
        ("en", ContributionKind.IN_KIND, "16,000,000.5"),
    ],
)
def test_more_decimals_than_the_kind_has_are_refused_in_each_language(
    client_as, world, language, kind, typed
):
    page = client_as(world.lan, language=language)
    response = page.post(
        url(world.cultural_houses, "contributions/new/"),
        contribution(amount=typed, kind=kind, description="x"),
    )
    assert field_errors(response, "amount")
    assert not Contribution.objects.exists()


def test_the_decimal_messages_say_what_the_kind_takes(client_as, world):
    page = client_as(world.lan)
    target = url(world.cultural_houses, "contributions/new/")
    land = page.post(target, contribution(amount="350.555", kind=ContributionKind.LAND))
    assert field_errors(land, "amount") == ["Enter at most two decimals."]
    money = page.post(target, contribution(amount="38,000,000.5"))
    assert field_errors(money, "amount") == [
        "“38,000,000.5” has a fraction of a đồng; amounts are whole đồng."
    ]


def test_the_help_says_land_and_labour_take_two_decimals(client_as, world):
    html = client_as(world.lan).get(url(world.cultural_houses, "contributions/new/"))
    assert "up to two decimals (“350.5” m², half a day “0.5”)" in html.content.decode()


@pytest.fixture
def land_entry(world):
    return contribution_add(
        actor=world.lan,
        initiative=world.cultural_houses,
        date=datetime.date(2024, 5, 1),
        kind=ContributionKind.LAND,
        amount="350.5",
        contributor_type="households",
        contributors=3,
    )


@pytest.mark.parametrize(
    ("language", "typed", "difference"),
    [
        ("vi", "350,75", Decimal("0.25")),
        ("en", "1,200.5", Decimal("850")),
        ("ar", "٣٠٠", Decimal("-50.5")),
    ],
)
def test_a_land_entry_is_corrected_to_a_decimal(
    client_as, world, land_entry, language, typed, difference
):
    page = client_as(world.lan, language=language)
    target = url(world.cultural_houses, f"contributions/{land_entry.pk}/correct/")
    response = page.post(target, {"amount": typed, "reason": "Đo lại", "contributors": ""})
    assert response.status_code == 302, response.context["form"].errors
    assert Contribution.objects.get(corrects=land_entry).amount == difference


def test_the_correction_form_reads_the_amount_as_the_entry_kind(client_as, world, land_entry):
    page = client_as(world.lan)
    target = url(world.cultural_houses, f"contributions/{land_entry.pk}/correct/")
    form = page.get(target).content.decode()
    assert "m², up to two decimals (“350.5”)." in form
    assert "350.5 m²" in form  # what the entry was recorded as, with its unit
    response = page.post(target, {"amount": "350.555", "reason": "x"})
    assert field_errors(response, "amount") == ["Enter at most two decimals."]
    response = page.post(target, {"amount": "10,000,000.5", "reason": "x"})
    assert field_errors(response, "amount") == ["Enter at most 10,000,000."]
    response = page.post(target, {"amount": "350.50", "reason": "x"})
    assert field_errors(response, "amount") == ["The correction changes nothing."]
    assert not Contribution.objects.filter(corrects=land_entry).exists()


def test_a_money_correction_stays_whole_dong(client_as, world, entry):
    page = client_as(world.lan, language="vi")
    target = url(world.cultural_houses, f"contributions/{entry.pk}/correct/")
    response = page.post(target, {"amount": "80.000.000,5 ₫", "reason": "Sửa"})
    errors = field_errors(response, "amount")
    assert any("phần lẻ dưới một đồng" in error for error in errors), errors
    response = page.post(target, {"amount": "80.000.000 ₫", "reason": "Sửa"})
    assert response.status_code == 302
    assert Contribution.objects.get(corrects=entry).amount == -20_000_000
