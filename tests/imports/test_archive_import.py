"""A commission's archive in the initiatives import: past years' models in the state they ended
up in, continued from an earlier year, exemplary and replicated; the same file imported again
changes nothing, and a dry run warns about likely duplicates."""

import pytest
from django.utils import translation

from danvan.accounts.models import Role
from danvan.imports.models import BatchStatus
from danvan.initiatives.catalogues import RegistrationKind, Status
from danvan.initiatives.lifecycle import ARCHIVE_TRANSITION
from danvan.initiatives.models import Initiative, StatusChange
from tests.factories_review import RoleAssignmentFactory
from tests.imports.conftest import headers, issues_of, xlsx_bytes
from tests.people import person

pytestmark = pytest.mark.django_db

KEYS = [
    "title",
    "field",
    "organisation",
    "year",
    "area",
    "status",
    "registration_kind",
    "continues",
    "exemplary",
    "replicated_from",
]
ROADS = "Đường hoa nông thôn mới"
SAVINGS = "Tổ tiết kiệm phụ nữ"


@pytest.fixture
def archivist(world):
    """Vân keeps the archive of Hà Tĩnh's commission: she registers models there (officer)
    and accepts them (reviewer)."""
    van = person("van", Role.OFFICER, area=world.ha_tinh, member_of=world.commission_ht)
    RoleAssignmentFactory(user=van, role=Role.REVIEWER, area=world.ha_tinh)
    return van


def completed_in_vietnamese() -> str:
    """The state as a Vietnamese archive writes it: by its name, not its code."""
    with translation.override("vi"):
        return str(Status.COMPLETED.label)


def archive(world, *, language="vi"):
    org = world.wu_thien_loc.code
    commission = world.commission_ht.code
    return xlsx_bytes(
        [
            headers("initiatives", language, KEYS),
            [
                ROADS,
                "economy",
                org,
                2015,
                "Xã Thiên Lộc",
                completed_in_vietnamese(),
                "",
                "",
                "có",
                "",
            ],
            # Continued by its title, from the row above, and a year later again.
            [ROADS, "economy", org, 2016, "Xã Thiên Lộc", "completed", "continued", ROADS, "", ""],
            [
                ROADS.upper(),
                "economy",
                org,
                2017,
                "Xã Thiên Lộc",
                "in_progress",
                "",
                "duong hoa nong thon moi",
                "",
                "",
            ],
            [SAVINGS, "economy", org, 2016, "Xã Thiên Lộc", "discontinued", "new", "", "không", ""],
            # The commission's own model, replicating the savings group by its title.
            [
                "Đường hoa khu dân cư",
                "economy",
                commission,
                2017,
                "Tỉnh Hà Tĩnh",
                "registered",
                "",
                "",
                "",
                SAVINGS,
            ],
        ]
    )


def test_an_archive_lands_with_its_states_links_and_marks(world, archivist, upload, apply):
    batch = upload(archivist, "initiatives", archive(world))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert batch.creates == 5
    batch = apply(archivist, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)

    roads = {i.year: i for i in Initiative.objects.filter(title_folded="duong hoa nong thon moi")}
    assert {year: i.status for year, i in roads.items()} == {
        2015: Status.COMPLETED,
        2016: Status.COMPLETED,
        2017: Status.IN_PROGRESS,
    }
    assert roads[2015].exemplary and not roads[2016].exemplary
    assert roads[2016].continued_from == roads[2015]
    assert roads[2016].registration_kind == RegistrationKind.CONTINUED
    # The title, in capitals, finds the latest earlier year.
    assert roads[2017].continued_from == roads[2016]
    savings = Initiative.objects.get(title=SAVINGS)
    assert savings.status == Status.DISCONTINUED
    assert savings.registration_kind == RegistrationKind.NEW
    copy = Initiative.objects.get(title="Đường hoa khu dân cư")
    assert copy.replicated_from == savings and copy.status == Status.REGISTERED

    # One step each, named for the archive, with the import's reason and its person.
    steps = StatusChange.objects.filter(initiative__in=[*roads.values(), savings, copy])
    assert steps.count() == 5
    assert set(steps.values_list("transition", "from_status", "reason", "actor")) >= {
        (ARCHIVE_TRANSITION, Status.DRAFT, f"import #{batch.pk}", archivist.pk)
    }


def test_the_same_archive_again_changes_nothing(world, archivist, upload, apply):
    apply(archivist, upload(archivist, "initiatives", archive(world)))
    models, history = Initiative.objects.count(), Initiative.history.count()
    steps = StatusChange.objects.count()
    checked = upload(archivist, "initiatives", archive(world))
    assert checked.status == BatchStatus.VALIDATED, issues_of(checked)
    again = apply(archivist, checked)
    assert again.status == BatchStatus.APPLIED, issues_of(again)
    assert (again.creates, again.updates, again.unchanged) == (0, 0, 5)
    assert (Initiative.objects.count(), Initiative.history.count()) == (models, history)
    assert StatusChange.objects.count() == steps


def test_a_dry_run_warns_about_a_likely_duplicate(world, archivist, upload, apply):
    apply(archivist, upload(archivist, "initiatives", archive(world)))
    content = xlsx_bytes(
        [
            headers("initiatives", "vi", KEYS),
            [SAVINGS, "economy", world.wu_thien_loc.code, 2018, "Xã Thiên Lộc", "", "", "", "", ""],
        ]
    )
    batch = upload(archivist, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED
    (issue,) = issues_of(batch)
    assert issue[:3] == (2, "continues", "warning")
    assert "2016" in issue[3]


@pytest.mark.parametrize(
    "changes, column, words",
    [
        ({"status": "submitted"}, "status", "not in the list"),
        ({"registration_kind": "continued", "continues": ""}, "continues", "Name the model"),
        ({"registration_kind": "new", "continues": ROADS}, "registration_kind", "continues none"),
        ({"continues": "Không có mô hình này"}, "continues", "No earlier model"),
        ({"replicated_from": "Không có mô hình này"}, "replicated_from", "No model has"),
        ({"exemplary": "có lẽ"}, "exemplary", "not yes or no"),
    ],
    ids=[
        "draft-state",
        "continued-unnamed",
        "new-but-continues",
        "unknown-earlier",
        "unknown-source",
        "not-yes-no",
    ],
)
def test_bad_archive_cells_are_named_and_nothing_is_written(
    world, archivist, upload, changes, column, words
):
    row = dict(
        zip(
            KEYS,
            [
                ROADS,
                "economy",
                world.wu_thien_loc.code,
                2016,
                "Xã Thiên Lộc",
                "completed",
                "",
                "",
                "",
                "",
            ],
            strict=True,
        )
    )
    row.update(changes)
    before = Initiative.objects.count()
    batch = upload(
        archivist,
        "initiatives",
        xlsx_bytes([headers("initiatives", "vi", KEYS), [row[k] for k in KEYS]]),
    )
    assert batch.status == BatchStatus.FAILED
    assert any(issue[1] == column and words in issue[3] for issue in issues_of(batch)), issues_of(
        batch
    )
    assert Initiative.objects.count() == before


def test_a_state_needs_a_past_year_and_a_reviewer(world, archivist, upload):
    from django.utils import timezone

    this_year = timezone.localdate().year
    row = [
        ROADS,
        "economy",
        world.wu_thien_loc.code,
        this_year,
        "Xã Can Lộc",
        "completed",
        "",
        "",
        "",
        "",
    ]
    batch = upload(archivist, "initiatives", xlsx_bytes([headers("initiatives", "vi", KEYS), row]))
    assert any("only for a past year" in issue[3] for issue in issues_of(batch)), issues_of(batch)
    # An officer alone registers drafts, never a state.
    row[3] = 2016
    row[4] = "Xã Thiên Lộc"
    batch = upload(world.nga, "initiatives", xlsx_bytes([headers("initiatives", "vi", KEYS), row]))
    assert batch.status == BatchStatus.FAILED
    assert any("permission" in issue[3] for issue in issues_of(batch)), issues_of(batch)


def test_a_header_only_file_says_there_is_nothing_to_import(world, archivist, upload):
    batch = upload(archivist, "initiatives", xlsx_bytes([headers("initiatives", "vi", KEYS)]))
    assert batch.status == BatchStatus.FAILED
    assert [issue[3] for issue in issues_of(batch)] == [
        "Nothing to import: the sheet has its header row and no rows under it."
    ]


def test_a_problem_names_the_sheets_header_and_cell_in_the_readers_language(
    world, archivist, upload
):
    """Uploaded by a Vietnamese speaker, read by an English and by an Arabic one: each sees the
    column's header in their own language and the cell (the exemplary column is the 9th, I)."""
    from rest_framework.test import APIClient

    from danvan.imports.kinds import InitiativeImporter
    from danvan.imports.selectors import issue_place

    row = [ROADS, "economy", world.wu_thien_loc.code, 2016, "Xã Thiên Lộc", "", "", "", "có lẽ", ""]
    batch = upload(
        archivist,
        "initiatives",
        xlsx_bytes([headers("initiatives", "vi", KEYS), row]),
        language="vi",
    )
    issue = batch.issues.get(column="exemplary")
    assert (issue.row, issue.cell) == (2, "I2")
    (exemplary,) = [c for c in InitiativeImporter.columns if c.key == "exemplary"]
    for language in ("en", "ar", "vi"):
        place = issue_place(issue, kind=batch.kind, language=language)
        assert place.startswith(exemplary.header(language)) and place.endswith("I2"), place
    assert issue_place(issue, kind=batch.kind, language="en") == "Exemplary, cell I2"

    api = APIClient()
    api.force_authenticate(archivist)
    found = api.get(f"/api/v1/imports/{batch.pk}/issues/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "results"
    ]
    assert {(i["column"], i["cell"], i["place"]) for i in found} == {
        ("exemplary", "I2", "Exemplary, cell I2")
    }
    # A problem of the whole file has no cell; a column the file lacks has its header alone.
    issue.cell, issue.column = "", "start_date"
    assert issue_place(issue, kind=batch.kind, language="en") == "Start date"


# --- the awards sheet --------------------------------------------------------------------------

AWARD_KEYS = [
    "model",
    "model_organisation",
    "model_year",
    "level",
    "stage",
    "award_title",
    "decision_number",
    "decision_date",
    "issuing_body",
    "recipient_kind",
    "recipient_name",
    "recipient_role",
]


def award_headers(language: str = "vi") -> list[str]:
    from danvan.imports.kinds.awards import COLUMNS

    by_key = {column.key: column for column in COLUMNS}
    return [by_key[key].header(language) for key in AWARD_KEYS]


def two_sheets(first: list[list], awards: list[list], *, awards_sheet: str = "Awards") -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in first:
        book.active.append(row)
    sheet = book.create_sheet(awards_sheet)
    for row in awards:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def archive_with_awards(world, awards_rows: list[list]) -> bytes:
    import openpyxl

    first = openpyxl.load_workbook(__import__("io").BytesIO(archive(world))).active
    rows = [list(row) for row in first.iter_rows(values_only=True)]
    return two_sheets(rows, [award_headers(), *awards_rows])


def the_awards(world) -> list[list]:
    org = world.wu_thien_loc.code
    return [
        # Recognised by the district, then by the province: a nomination chain.
        [ROADS, org, 2016, "district", "recognised", "exemplary_model", "12/QĐ-UBND",
         "20/12/2016", "UBND huyện Can Lộc", "", "", ""],
        [ROADS, org, 2016, "province", "recognised", "exemplary_model", "345/QĐ-UBND",
         "15/03/2017", "UBND tỉnh Hà Tĩnh", "", "", ""],
        # Recognised by the commune and proposed to the district: a proposal stays.
        [ROADS, org, 2015, "commune", "nominated", "exemplary_model", "7/QĐ-UBND",
         "10/12/2015", "UBND xã Thiên Lộc", "", "", ""],
        # A person who made it work, by name and role.
        [ROADS, org, 2017, "commune", "recognised", "exemplary_model", "8/QĐ-UBND",
         "11/12/2017", "UBND xã Thiên Lộc", "individual", "Nguyễn Thị Hoa", "household_head"],
    ]  # fmt: skip


@pytest.fixture
def award_title(db):
    from tests.factories_review import AwardTitleFactory

    return AwardTitleFactory()


def test_an_archives_awards_land_through_the_review_steps(
    world, archivist, upload, apply, award_title
):
    from danvan.review.models import Award, AwardStage

    content = archive_with_awards(world, the_awards(world))
    # The dry run takes awards of models the first sheet of the same file registers.
    batch = upload(archivist, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert batch.creates == 5 + 4
    assert not Award.objects.exists()
    batch = apply(archivist, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)

    roads = {i.year: i for i in Initiative.objects.filter(title_folded="duong hoa nong thon moi")}
    district = Award.objects.get(initiative=roads[2016], level="district")
    province = Award.objects.get(initiative=roads[2016], level="province")
    assert district.stage == AwardStage.NOMINATED and district.nominated_to == province
    assert (district.decision_number, district.issuing_body) == ("12/QĐ-UBND", "UBND huyện Can Lộc")
    assert province.stage == AwardStage.RECOGNISED
    assert (province.decision_number, str(province.decision_date)) == ("345/QĐ-UBND", "2017-03-15")
    commune = Award.objects.get(initiative=roads[2015], level="commune")
    assert commune.stage == AwardStage.NOMINATED
    assert commune.nominated_to.level == "district"
    assert commune.nominated_to.stage == AwardStage.PROPOSED
    person_award = Award.objects.get(initiative=roads[2017])
    assert (person_award.recipient_kind, person_award.recipient_name) == (
        "individual",
        "Nguyễn Thị Hoa",
    )
    assert person_award.recipient_role == "household_head"
    # Through the services: each award's history carries the import's reason.
    assert set(Award.history.values_list("history_change_reason", flat=True)) == {
        f"import #{batch.pk}"
    }

    # The same file again changes nothing.
    awards, history = Award.objects.count(), Award.history.count()
    again = apply(archivist, upload(archivist, "initiatives", content))
    assert again.status == BatchStatus.APPLIED, issues_of(again)
    assert (again.creates, again.updates) == (0, 0)
    assert (Award.objects.count(), Award.history.count()) == (awards, history)


@pytest.mark.parametrize(
    "position, value, column, words",
    [
        (3, "cấp thế giới", "level", "not in the list"),
        (0, "Không có mô hình này", "model", "has no model titled"),
        (5, "Huân chương không có", "award_title", "not in the list"),
        (7, "31/02/2016", "decision_date", ""),
        (6, "", "decision_number", "required"),
        (10, "", "recipient_name", "for an award to a person"),
    ],
    ids=["level", "model", "title", "date", "no-decision", "person-unnamed"],
)
def test_bad_award_cells_are_named_and_nothing_is_written(
    world, archivist, upload, award_title, position, value, column, words
):
    from danvan.review.models import Award

    rows = the_awards(world)
    rows[3][position] = value
    batch = upload(archivist, "initiatives", archive_with_awards(world, rows))
    assert batch.status == BatchStatus.FAILED
    found = [i for i in batch.issues.all() if i.column == column]
    assert found and all(i.row == 5 for i in found), issues_of(batch)
    assert words in found[0].message
    letter = "ABCDEFGHIJKL"[AWARD_KEYS.index(column)]
    assert found[0].cell == f"{letter}5"
    assert not Award.objects.exists() and not Initiative.objects.filter(title=ROADS).exists()


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_the_initiatives_template_has_the_awards_sheet_in_the_readers_language(
    world, language, award_title, tmp_path
):
    """The template's second data sheet is named and headed in the reader's language, with
    the award titles in its drop-down; the reader finds it by that name."""
    import io

    import openpyxl

    from danvan.imports.kinds.awards import COLUMNS, SHEET
    from danvan.imports.reading import open_sheet
    from danvan.imports.workbooks import workbook

    content = workbook("initiatives", language=language)
    book = openpyxl.load_workbook(io.BytesIO(content))
    with translation.override(language):
        name = str(SHEET)
    assert book.sheetnames[1] == name
    assert [cell.value for cell in book[name][1]] == [c.header(language) for c in COLUMNS]
    with translation.override(language):
        title = award_title.name
    listed = {cell.value for sheet in book.worksheets[2:] for row in sheet for cell in row}
    assert title in listed
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    table = open_sheet(path, COLUMNS, SHEET)
    assert table is not None and set(table.positions) == {c.key for c in COLUMNS}
    assert list(table.rows) == []
