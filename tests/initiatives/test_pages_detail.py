"""The initiative detail page: facts, ledger with totals, results, evidence and thumbnails,
replication, history, recognition, and the workflow actions each person may take."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from danvan.core.formats import format_money, format_number
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    Status,
    Unit,
)
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import StatusChange
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    evidence_add,
    result_add,
)
from danvan.review.models import RecognitionLevel
from danvan.review.services import award_propose
from tests.factories import IndicatorFactory
from tests.factories_review import AwardTitleFactory

pytest_plugins = ["tests.people"]  # the shared cast: the `world` fixture


@pytest.fixture
def client_as(client, settings):
    def sign_in(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


def url(initiative, rest: str = "") -> str:
    return f"/initiatives/{initiative.pk}/{rest}"


@pytest.fixture
def recorded(world, media_root):
    """The digital-transformation model of Yên Giang with a ledger, results and evidence."""
    digital = world.digital
    money = contribution_add(
        actor=world.root,
        initiative=digital,
        date=datetime.date(2024, 3, 1),
        kind=ContributionKind.MONEY,
        amount=180_000_000,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=40,
    )
    contribution_correct(
        actor=world.root, entry=money, amount=200_000_000, reason="Thiếu một khoản"
    )
    contribution_add(
        actor=world.root,
        initiative=digital,
        date=datetime.date(2024, 4, 1),
        kind=ContributionKind.LAND,
        amount=1200,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=5,
    )
    sim = IndicatorFactory(
        code="p_sim_4g",
        name_en="Residents on 4G",
        unit=Unit.PERCENT,
        aggregation=Aggregation.AVERAGE,
    )
    road = IndicatorFactory(code="p_road_m", name_en="Concrete alleys", unit=Unit.M)
    result_add(
        actor=world.root,
        initiative=digital,
        indicator=sim,
        value="96",
        target="100",
        period_end=datetime.date(2024, 12, 31),
    )
    result_add(
        actor=world.root,
        initiative=digital,
        indicator=road,
        value="326",
        target="200",
        period_end=datetime.date(2024, 12, 31),
    )
    photo = evidence_add(
        actor=world.root,
        initiative=digital,
        upload=SimpleUploadedFile("san.png", image_bytes_for_tests(size=(1200, 900))),
        title="Sân nhà văn hóa",
    )
    minutes = evidence_add(
        actor=world.root,
        initiative=digital,
        upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n% minutes\n"),
        title="Biên bản họp dân",
    )
    return {"photo": photo, "minutes": minutes, "money": money}


def test_detail_shows_facts_ledger_totals_results_and_evidence(client_as, world, recorded):
    response = client_as(world.quan).get(url(world.digital))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.digital.title in html
    assert "UBND phường Yên Giang" in html
    # The area with the units above it.
    assert "Phường Yên Giang – " in response.context["area_path"]
    # Totals come corrected from the statistics: 180 million corrected to 200 million.
    money = next(row for row in response.context["totals"] if row["kind"] == "money")
    assert (money["amount"], money["entries"]) == (200_000_000, 1)
    assert "$200,000,000" in html or "200,000,000" in html
    # The correction is shown as one, with the difference.
    corrections = [row for row in response.context["ledger"] if row["is_correction"]]
    assert len(corrections) == 1
    assert corrections[0]["entry"].amount == 20_000_000
    assert f"Correction of entry #{recorded['money'].pk}" in html
    # Results with their progress; the percentage indicator is shown as a percentage.
    progress = {row["result"].indicator.code: row for row in response.context["results"]}
    assert progress["p_sim_4g"]["progress"] == 96
    assert progress["p_road_m"]["progress"] == 163  # beyond the target…
    assert progress["p_road_m"]["bar"] == 100  # …the bar stops full
    assert "96%" in html
    assert "progress-w-96" in html
    # Photos as thumbnails, documents as links.
    assert url(world.digital, f"evidence/{recorded['photo'].pk}/thumbnail/") in html
    assert url(world.digital, f"evidence/{recorded['minutes'].pk}/file/") in html
    assert "Biên bản họp dân" in html


def test_detail_in_vietnamese_formats_money_the_vietnamese_way(client, world, recorded):
    client.force_login(world.quan)
    client.cookies["django_language"] = "vi"
    html = client.get(url(world.digital)).content.decode()
    assert "200.000.000\xa0₫" in html


def test_detail_of_an_initiative_out_of_scope_is_not_found(client_as, world):
    assert client_as(world.hoa).get(url(world.digital)).status_code == 404
    assert client_as(world.lan).get(url(world.digital)).status_code == 404
    assert client_as(world.quan).get("/initiatives/999999999/").status_code == 404
    assert client_as(world.quan).get("/initiatives/99999999999999999999999/").status_code == 404
    assert client_as(world.quan).get("/initiatives/abc/").status_code == 404


def test_replication_chain_hides_what_the_reader_cannot_see(client_as, world):
    world.railings.replicated_from = world.digital
    world.railings.save()
    world.thien_loc_roads.replicated_from = world.digital
    world.thien_loc_roads.save()
    response = client_as(world.quan).get(url(world.digital))
    chain = response.context["chain"]
    assert chain["descendants"] == [world.railings]
    assert chain["hidden"] == 1
    html = response.content.decode()
    assert world.railings.title in html
    assert world.thien_loc_roads.title not in html
    assert "1 more outside your scope" in html


def test_history_and_awards_are_shown(client_as, world):
    award_propose(
        actor=world.minh,
        initiative=world.digital,
        title=AwardTitleFactory(name_en="Certificate of merit"),
        level=RecognitionLevel.PROVINCE,
    )
    response = client_as(world.quan).get(url(world.digital))
    assert len(response.context["awards"]) == 1
    assert "Certificate of merit" in response.content.decode()
    assert response.context["timeline"]


def transitions(response) -> list[str]:
    return [item["transition"].name for item in response.context["transitions"]]


def test_workflow_buttons_match_the_allowed_transitions(client_as, world):
    draft = world.cultural_houses
    assert transitions(client_as(world.lan).get(url(draft))) == ["submit"]
    assert transitions(client_as(world.minh).get(url(draft))) == []
    assert transitions(client_as(world.quan).get(url(draft))) == []
    draft.status = Status.SUBMITTED
    draft.save()
    assert transitions(client_as(world.lan).get(url(draft))) == []
    response = client_as(world.minh).get(url(draft))
    assert transitions(response) == ["register", "return"]
    html = response.content.decode()
    assert f'action="{url(draft, "actions/register/")}"' in html
    assert 'name="return-reason"' in html  # returning needs a reason
    running = world.thien_loc_roads
    assert transitions(client_as(world.hoa).get(url(running))) == ["complete", "discontinue"]
    assert transitions(client_as(world.nga).get(url(running))) == ["complete", "discontinue"]


def test_a_workflow_button_applies_its_transition(client_as, world):
    draft = world.cultural_houses
    response = client_as(world.lan).post(url(draft, "actions/submit/"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    # The officer may not register it: a friendly refusal, nothing changed.
    response = client_as(world.lan).post(url(draft, "actions/register/"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    # A return needs a reason; without one the error shows by the button.
    response = client_as(world.minh).post(url(draft, "actions/return/"), {"return-reason": " "})
    assert response.status_code == 200
    assert "Give a reason." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    response = client_as(world.minh).post(
        url(draft, "actions/return/"), {"return-reason": "Thiếu số liệu"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED
    assert StatusChange.objects.get(initiative=draft, transition="return").reason == "Thiếu số liệu"


def test_a_stale_workflow_button_says_why_instead_of_failing(client_as, world):
    draft = world.cultural_houses
    draft.status = Status.SUBMITTED
    draft.save()
    page = client_as(world.minh)
    assert page.post(url(draft, "actions/register/")).status_code == 302
    # The same button pressed again (another tab): the state no longer allows it.
    response = page.post(url(draft, "actions/register/"))
    assert response.status_code == 200
    assert "is not possible while the initiative is registered" in response.content.decode()
    assert StatusChange.objects.filter(initiative=draft).count() == 1


def test_workflow_actions_outside_scope_or_unknown_are_not_found(client_as, world):
    assert (
        client_as(world.hoa).post(url(world.cultural_houses, "actions/submit/")).status_code == 404
    )
    assert client_as(world.lan).post(url(world.cultural_houses, "actions/fly/")).status_code == 404
    assert (
        client_as(world.lan).get(url(world.cultural_houses, "actions/submit/")).status_code == 405
    )
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.status == Status.DRAFT


def test_thumbnails_are_drawn_once_and_served_only_in_scope(client_as, world, recorded, media_root):
    photo = recorded["photo"]
    thumbnail = url(world.digital, f"evidence/{photo.pk}/thumbnail/")
    response = client_as(world.quan).get(thumbnail)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(image.size) == 480  # from 1200 × 900
    cached = list((media_root / "thumbnails").iterdir())
    assert len(cached) == 1
    before = cached[0].stat().st_mtime_ns
    assert client_as(world.minh).get(thumbnail).status_code == 200
    assert cached[0].stat().st_mtime_ns == before  # served from the cache
    # Not to people outside the initiative's scope, nor signed-out visitors.
    assert client_as(world.hoa).get(thumbnail).status_code == 404
    assert client_as(world.lan).get(thumbnail).status_code == 404
    client_as(world.hoa).logout()
    assert client_as(world.hoa).get(thumbnail).status_code == 404
    # A document has no thumbnail; evidence of another initiative is not found under this one.
    minutes = url(world.digital, f"evidence/{recorded['minutes'].pk}/thumbnail/")
    assert client_as(world.quan).get(minutes).status_code == 404
    other = url(world.railings, f"evidence/{photo.pk}/thumbnail/")
    assert client_as(world.quan).get(other).status_code == 404


def test_thumbnail_needs_a_sign_in(client, world, recorded):
    thumbnail = url(world.digital, f"evidence/{recorded['photo'].pk}/thumbnail/")
    response = client.get(thumbnail)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_evidence_files_are_served_in_scope_with_their_type(client_as, world, recorded):
    minutes = url(world.digital, f"evidence/{recorded['minutes'].pk}/file/")
    response = client_as(world.quan).get(minutes)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_as(world.hoa).get(minutes).status_code == 404


def test_an_officer_sees_the_write_links_a_viewer_does_not(client_as, world):
    officer = client_as(world.thu).get(url(world.digital)).context
    assert officer["can_add_contribution"] and officer["can_add_evidence"]
    assert not officer["can_edit"]  # completed: a record now
    viewer = client_as(world.quan).get(url(world.digital)).context
    assert not (viewer["can_add_contribution"] or viewer["can_add_result"] or viewer["can_edit"])
    draft = client_as(world.lan).get(url(world.cultural_houses)).context
    assert draft["can_edit"]


@pytest.fixture
def measured(world):
    """Land given to two decimals, half a labour day and a whole amount of money."""
    digital = world.digital
    values = [
        (ContributionKind.LAND, "350.5"),
        (ContributionKind.LABOUR, "0.5"),
        (ContributionKind.MONEY, 38_000_000),
    ]
    entries = {
        kind: contribution_add(
            actor=world.root,
            initiative=digital,
            date=datetime.date(2024, 3, 1),
            kind=kind,
            amount=amount,
            contributor_type=ContributorType.HOUSEHOLDS,
        )
        for kind, amount in values
    }
    contribution_correct(
        actor=world.root, entry=entries[ContributionKind.LAND], amount="350.25", reason="Đo lại"
    )
    return entries


def ledger_amounts(html: str) -> list[str]:
    cells = re.findall(r'<td class="text-end text-nowrap">(.*?)</td>', html)
    return [" ".join(cell.split()) for cell in cells]


@pytest.mark.parametrize(
    ("language", "land", "labour", "money", "correction"),
    [
        ("vi", "350,5 m²", "0,5 ngày công", "38.000.000 ₫", "-0,25 m²"),
        ("en", "350.5 m²", "0.5 person-days", "₫38,000,000", "-0.25 m²"),
    ],
)
def test_the_ledger_shows_decimals_in_the_reader_language(
    client, world, measured, language, land, labour, money, correction
):
    client.force_login(world.quan)
    client.cookies["django_language"] = language
    html = client.get(url(world.digital)).content.decode()
    amounts = ledger_amounts(html)
    assert amounts == [land, labour, money, correction], amounts  # never "350,50" nor ",00"
    total = re.search(r'data-total="land">(.*?)</div>', html).group(1)
    assert " ".join(total.split()) == land.replace("5 m²", "25 m²")  # corrected to 350.25


def test_the_ledger_in_arabic_writes_numbers_as_arabic_pages_do(client, world, measured):
    client.force_login(world.quan)
    client.cookies["django_language"] = "ar"
    html = client.get(url(world.digital)).content.decode()
    amounts = ledger_amounts(html)
    shown = [amount.split(" ")[0] for amount in amounts]
    expected = [format_number(Decimal(value), "ar") for value in ("350.5", "0.5", "-0.25")]
    assert [shown[0], shown[1], shown[3]] == expected, amounts
    assert amounts[2] == " ".join(format_money(38_000_000, "ar").split())


def test_the_correction_form_shows_the_entry_with_its_unit(client, world, measured):
    client.force_login(world.root)
    client.cookies["django_language"] = "vi"
    entry = measured[ContributionKind.LAND]
    response = client.get(url(world.digital, f"contributions/{entry.pk}/correct/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>350,5 m²</strong>" in html
