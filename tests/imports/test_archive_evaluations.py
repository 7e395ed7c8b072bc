"""An archive's evaluations: the grades a commission gave, on the workbook's third sheet, land
as evaluations from the archive (no scores), are counted in the grades per level under the day
they were given, show on the model's page, go with a rollback, and change nothing the second
time; a bad cell is named by the sheet's own header and cell."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from danvan.imports.kinds.evaluations import COLUMNS, SHEET
from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.initiatives.models import Initiative
from danvan.review.models import Evaluation
from danvan.stats.recognition import grade_figures
from tests.imports import test_archive_import as sheets
from tests.imports.conftest import issues_of

pytestmark = pytest.mark.django_db

archivist = sheets.archivist
award_title = sheets.award_title

KEYS = [
    "evaluated_model",
    "evaluated_model_organisation",
    "evaluated_model_year",
    "evaluation_level",
    "evaluation_date",
    "grade",
    "total_points",
]


def grade_headers(language: str = "vi") -> list[str]:
    by_key = {column.key: column for column in COLUMNS}
    return [by_key[key].header(language) for key in KEYS]


def grades(world) -> list[list]:
    org = world.wu_thien_loc.code
    return [
        # A model the first sheet registers, by its title; graded by the district.
        [sheets.ROADS, org, 2016, "district", "15/12/2016", "Xuất sắc", 92],
        # The same model a year earlier, by the commune, without points.
        [sheets.ROADS, org, 2015, "commune", "10/12/2015", "Tốt", ""],
        # A model already there, by its code.
        [world.thien_loc_roads.code, "", "", "district", "20/11/2024", "Khá", "71,5"],
    ]


def archive_with_grades(world, rows: list[list], *, language: str = "vi") -> bytes:
    """The archive's models, its awards and, on a third sheet named in ``language``, its
    grades."""
    first = openpyxl.load_workbook(io.BytesIO(sheets.archive(world))).active
    book = openpyxl.Workbook()
    book.active.title = "Dữ liệu"
    for row in first.iter_rows(values_only=True):
        book.active.append(list(row))
    awards = book.create_sheet("Khen thưởng")
    for row in [sheets.award_headers(), *sheets.the_awards(world)]:
        awards.append(row)
    with translation.override(language):
        evaluations = book.create_sheet(str(SHEET))
    for row in [grade_headers(language), *rows]:
        evaluations.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_archives_grades_land_as_evaluations_from_the_archive(
    world, archivist, upload, apply, award_title
):
    content = archive_with_grades(world, grades(world))
    checked = upload(archivist, "initiatives", content)
    assert checked.status == BatchStatus.VALIDATED, issues_of(checked)
    assert checked.creates == 5 + 4 + 3
    assert not Evaluation.objects.exists()
    batch = apply(archivist, checked)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)

    roads_2016 = Initiative.objects.get(title_folded="duong hoa nong thon moi", year=2016)
    graded = Evaluation.objects.get(initiative=roads_2016)
    assert graded.archived and graded.criteria_set is None and graded.reviewer is None
    assert (graded.level, graded.grade, graded.total) == ("district", "Xuất sắc", Decimal(92))
    assert graded.created_at.date() == datetime.date(2016, 12, 15)
    assert not graded.scores.exists()
    earlier = Evaluation.objects.get(initiative__year=2015)
    assert (earlier.level, earlier.grade, earlier.total) == ("commune", "Tốt", None)
    assert Evaluation.objects.get(initiative=world.thien_loc_roads).total == Decimal("71.5")
    # Audited with the import, as its models and awards.
    assert set(Evaluation.history.values_list("history_change_reason", flat=True)) == {
        f"import #{batch.pk}"
    }
    # Counted in the grades per level.
    figures = grade_figures(area=world.ha_tinh)
    assert {(row["level"], row["grade"], row["initiatives"]) for row in figures} == {
        ("commune", "Tốt", 1),
        ("district", "Xuất sắc", 1),
        ("district", "Khá", 1),
    }

    # The same file again changes nothing.
    again = apply(archivist, upload(archivist, "initiatives", content))
    assert again.status == BatchStatus.APPLIED, issues_of(again)
    assert (again.creates, again.updates) == (0, 0)
    assert (Evaluation.objects.count(), Evaluation.history.count()) == (3, 3)

    # The rollback takes them away with the rest, each with its history row.
    batch_rollback(actor=world.root, batch=batch)
    assert not Evaluation.objects.exists()
    cause = f"rollback of import #{batch.pk}"
    assert Evaluation.history.filter(history_change_reason=cause, history_type="-").count() == 3


def test_a_later_evaluation_at_the_level_takes_over_from_the_archived_grade(
    world, archivist, upload, apply, award_title
):
    """The grades per level read a model's latest evaluation there: an archived grade stands
    at the day it was given, so one scored today is later, and an older archived one is not."""
    from tests.factories_review import CriteriaSetFactory, CriterionFactory

    criteria_set = CriteriaSetFactory(name="Tiêu chí Hà Tĩnh", area=world.ha_tinh)
    criterion = CriterionFactory(criteria_set=criteria_set, weight=1, max_score=10)
    from danvan.review.services import evaluation_create

    evaluation_create(
        actor=world.hoa,
        initiative=world.thien_loc_roads,
        criteria_set=criteria_set,
        scores={criterion.pk: 5},
        level="district",
    )
    rows = [[world.thien_loc_roads.code, "", "", "district", "20/11/2024", "Khá", ""]]
    batch = apply(archivist, upload(archivist, "initiatives", archive_with_grades(world, rows)))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    figures = grade_figures(area=world.ha_tinh)
    assert [row for row in figures if row["grade"] == "Khá"] == []
    assert sum(row["initiatives"] for row in figures if row["level"] == "district") == 1


def test_the_models_page_shows_the_archived_evaluation(
    world, archivist, upload, apply, award_title, client
):
    rows = [[world.thien_loc_roads.code, "", "", "district", "20/11/2024", "Khá", ""]]
    batch = apply(archivist, upload(archivist, "initiatives", archive_with_grades(world, rows)))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    client.force_login(world.hoa)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("initiatives:detail", args=[world.thien_loc_roads.pk]))
    text = page.content.decode()
    assert 'class="evaluation-archived"' in text
    assert "from the archive" in text and "Khá" in text
    assert "evaluation from the archive" in text  # its line in the timeline


@pytest.mark.parametrize(
    "position, value, column, words",
    [
        (3, "cấp thế giới", "evaluation_level", "not in the list"),
        (4, "", "evaluation_date", "required"),
        (4, "31/02/2016", "evaluation_date", ""),
        (5, "", "grade", "required"),
        (6, "150", "total_points", "between 0 and 100"),
        (0, "Không có mô hình này", "evaluated_model", "has no model titled"),
        (2, "", "evaluated_model", "give its organisation and year"),
    ],
    ids=["level", "no-date", "bad-date", "no-grade", "points", "model", "no-year"],
)
def test_bad_grade_cells_are_named_and_nothing_is_written(
    world, archivist, upload, award_title, position, value, column, words
):
    rows = grades(world)
    rows[1][position] = value
    batch = upload(archivist, "initiatives", archive_with_grades(world, rows))
    assert batch.status == BatchStatus.FAILED
    found = [issue for issue in batch.issues.all() if issue.column == column]
    assert found and all(issue.row == 3 for issue in found), issues_of(batch)
    assert words in found[0].message
    letter = "ABCDEFG"[KEYS.index(column)]
    assert found[0].cell == f"{letter}3"
    assert not Evaluation.objects.exists()


def test_a_grade_of_a_draft_is_refused_on_its_model_cell(world, archivist, upload, award_title):
    """The evaluation service's rule: only a registered, running or completed model."""
    from danvan.initiatives.catalogues import Status

    Initiative.objects.filter(pk=world.thien_loc_roads.pk).update(status=Status.DRAFT)
    batch = upload(archivist, "initiatives", archive_with_grades(world, grades(world)))
    assert batch.status == BatchStatus.FAILED
    (issue,) = [issue for issue in batch.issues.all() if issue.row == 4]
    assert (issue.column, issue.cell) == ("evaluated_model", "A4")
    assert "Only a registered, running or completed" in issue.message


def test_a_grade_problem_names_the_sheets_header_in_the_readers_language(
    world, archivist, upload, award_title
):
    from danvan.imports.selectors import issue_place

    rows = grades(world)
    rows[0][6] = "150"
    batch = upload(archivist, "initiatives", archive_with_grades(world, rows, language="ar"))
    issue = batch.issues.get(column="total_points")
    (points,) = [column for column in COLUMNS if column.key == "total_points"]
    for language in ("vi", "en", "ar"):
        place = issue_place(issue, kind=batch.kind, language=language)
        assert place.startswith(points.header(language)) and place.endswith("G2"), place


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_the_template_has_the_evaluations_sheet_and_its_guide(world, language, tmp_path):
    from danvan.imports.reading import open_sheet
    from danvan.imports.workbooks import workbook

    content = workbook("initiatives", language=language)
    book = openpyxl.load_workbook(io.BytesIO(content))
    with translation.override(language):
        name = str(SHEET)
        guide_title = str(translation.gettext("The evaluations sheet"))
    assert book.sheetnames[2] == name
    assert [cell.value for cell in book[name][1]] == [c.header(language) for c in COLUMNS]
    guide = {cell.value for sheet in book.worksheets for row in sheet for cell in row}
    assert guide_title in guide
    assert {column.header(language) for column in COLUMNS} <= guide
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    table = open_sheet(path, COLUMNS, SHEET)
    assert table is not None and set(table.positions) == set(KEYS)
