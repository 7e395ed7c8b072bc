"""A periodic report reads boundaries as the dashboard and the statistics API do: nobody chose
a mode, the one that answers the question (restated for a year before the picked current unit
existed); somebody chose, their choice. Every report says which mode, the units it counts on
and, when the year predates the unit, why."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from rest_framework.test import APIClient

from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.reports.models import Report
from danvan.stats import selectors as stats
from danvan.stats.models import AS_WAS, RESTATED
from tests.reports.helpers import built, data_tables, plain

REPORT = {"format": "docx", "language": "en", "year": 2024, "period_kind": "annual"}
CHOSEN_FOR_YOU = "(chosen for you: the way that answers this year for this unit)"


def word_of(report: Report):
    with report.file.open("rb") as handle:
        return WordDocument(io.BytesIO(handle.read()))


def lines_of(report: Report) -> str:
    word = word_of(report)
    return "\n".join(plain(p.text) for p in word.paragraphs)


def key_figures(report: Report) -> list[str]:
    word = word_of(report)
    return [row.cells[1].text for row in data_tables(word)[0].rows[1:]]


def registered(area, mode, year=2024) -> int:
    [row] = stats.initiative_figures(
        area=area, mode=mode, year_from=year, year_to=year, status=REGISTERED_STATUSES
    )
    return row["initiatives"]


def test_a_year_before_the_unit_existed_is_restated_when_nobody_chose(movement):
    ward = movement.world.quang_yen  # today's ward, formed on 1 July 2025
    report = built(movement.world.quan, area=ward, **REPORT)
    assert (report.mode, report.mode_chosen) == (RESTATED, False)
    text = lines_of(report)
    assert f"Boundaries: restated on today's units {CHOSEN_FOR_YOU}" in text
    assert "counted on: Phường Quảng Yên" in text
    assert (
        "Phường Quảng Yên was formed on 01/07/2025; figures of earlier years are those of the "
        "units it was formed from." in text
    )
    # Not an empty report: Yên Giang's models of 2024, carried on by the ward.
    assert registered(ward, RESTATED) > 0
    assert key_figures(report)[1] == str(registered(ward, RESTATED))


def test_a_chosen_mode_is_kept_and_counts_the_same_territory(movement):
    ward = movement.world.quang_yen
    report = built(movement.world.quan, area=ward, mode=AS_WAS, **REPORT)
    assert (report.mode, report.mode_chosen) == (AS_WAS, True)
    text = lines_of(report)
    assert "Boundaries: units as they were at the time — counted on:" in text
    assert "Phường Yên Giang (before 1 July 2025)" in text
    assert "chosen for you" not in text
    assert "was formed on 01/07/2025" in text  # the year still predates the unit
    restated = built(movement.world.quan, area=ward, mode=RESTATED, **REPORT)
    assert restated.mode_chosen and "chosen for you" not in lines_of(restated)
    assert key_figures(report) == key_figures(restated)
    assert registered(ward, AS_WAS) == registered(ward, RESTATED) > 0


def test_a_unit_in_its_own_years_stays_as_it_was(movement):
    report = built(movement.world.quan, area=movement.town, **REPORT)
    assert (report.mode, report.mode_chosen) == (AS_WAS, False)
    text = lines_of(report)
    assert f"Boundaries: units as they were at the time {CHOSEN_FOR_YOU}" in text
    assert "Thị xã Quảng Yên (before 1 July 2025)" in text
    assert "was formed on" not in text and "ended on" not in text


def test_a_nationwide_report_nobody_chose_for_is_as_it_was(movement):
    report = built(movement.central, area=None, **REPORT)
    assert (report.mode, report.mode_chosen) == (AS_WAS, False)


def test_the_api_leaves_the_mode_to_the_question_or_keeps_the_choice(movement):
    client = APIClient()
    client.force_authenticate(movement.world.quan)
    ask = {**REPORT, "kind": "periodic", "area": movement.world.quang_yen.pk}
    left = client.post("/api/v1/reports/", ask, format="json")
    assert left.status_code == 202, left.json()
    assert (left.json()["mode"], left.json()["mode_chosen"]) == (RESTATED, False)
    chose = client.post("/api/v1/reports/", {**ask, "mode": AS_WAS}, format="json")
    assert (chose.json()["mode"], chose.json()["mode_chosen"]) == (AS_WAS, True)
    for bad in ("imagined", "", None, 1):
        answer = client.post("/api/v1/reports/", {**ask, "mode": bad}, format="json")
        assert answer.status_code == 400, (bad, answer.json())
    assert Report.objects.count() == 2


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_form_offers_the_way_that_answers_the_question_first(english, movement):
    english.force_login(movement.world.quan)
    page = english.get("/reports/new/").content.decode()
    [default] = re.findall(r'<input[^>]*name="mode"[^>]*checked[^>]*>', page)
    assert 'value=""' in default
    form = {
        "unit": str(movement.world.quang_yen.pk),
        "mode": "",
        "year": "2024",
        "period_kind": "annual",
        "since": "2013",
        "format": "docx",
        "language": "en",
    }
    assert english.post("/reports/new/", form).status_code == 302
    report = Report.objects.get()
    assert (report.mode, report.mode_chosen) == (RESTATED, False)
    listing = english.get("/reports/").content.decode()
    assert CHOSEN_FOR_YOU in listing
    assert english.post("/reports/new/", {**form, "mode": "as_was"}).status_code == 302
    assert Report.objects.filter(mode=AS_WAS, mode_chosen=True).count() == 1
    answer = english.post("/reports/new/", {**form, "mode": "imagined"})
    assert answer.status_code == 200 and Report.objects.count() == 2


def test_the_command_leaves_the_mode_to_the_question_unless_given(movement, tmp_path):
    ward = movement.world.quang_yen
    for given, wanted in ((None, (RESTATED, False)), (AS_WAS, (AS_WAS, True))):
        arguments = ["--area-code", ward.code, "--year", "2024", "--period", "annual"]
        arguments += ["--language", "en", "--output", str(tmp_path / "bao-cao.docx")]
        call_command("build_report", *arguments, *(["--mode", given] if given else []))
        report = Report.objects.latest("pk")
        assert (report.mode, report.mode_chosen) == wanted
        text = "\n".join(p.text for p in WordDocument(str(tmp_path / "bao-cao.docx")).paragraphs)
        assert ("chosen for you" in text) == (given is None)
    with pytest.raises(CommandError):
        call_command("build_report", "--mode", "imagined", "--year", "2024", "--output", "x")
