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
