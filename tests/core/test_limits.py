# ruff: noqa: F811 (the shared fixtures are imported by name)
"""One set of entry limits for every door (service, web form, API, spreadsheet import), and
rollup totals that cannot overflow on SQLite or PostgreSQL.

Each bad value answers an error naming its field (or row) and changes nothing: the ledgers, the
results and the rollup totals are checked before and after.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core import limits
from danvan.imports.models import BatchStatus
from danvan.initiatives.bulk import contributions_bulk_add
from danvan.initiatives.catalogues import Aggregation, ContributionKind, ContributorType, Unit
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    initiative_update,
    result_add,
)
from danvan.review.services import round_create
from danvan.stats.models import (
    NATIONAL,
    InitiativeRollup,
    NationalTotal,
    ResultRollup,
    SummaryRollup,
)
from danvan.stats.rollups_base import DECIMAL_CEILING
from tests.api.conftest import api, error_of  # noqa: F401
from tests.factories import IndicatorFactory
from tests.imports.conftest import apply, headers, issues_of, media_root, upload, xlsx_bytes  # noqa: F401
from tests.people import world  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
MAY = datetime.date(2024, 5, 1)
BIGINT_MAX = 2**63 - 1


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def state() -> tuple:
    """What a refused entry must leave as it was: the ledgers and the national rollups."""
    national = InitiativeRollup.objects.filter(area_id=NATIONAL, mode="as_was")
    return (
        Contribution.objects.count(),
        Result.objects.count(),
        national.aggregate(
            money=Sum("money"), land=Sum("land"), households=Sum("households"), people=Sum("people")
        ),
        ResultRollup.objects.filter(area_id=NATIONAL, mode="as_was").aggregate(
            total=Sum("total_e4")
        ),
    )


def add(world, **changes) -> Contribution:
    values = {
        "actor": world.lan,
        "initiative": world.cultural_houses,
        "date": MAY,
        "kind": ContributionKind.MONEY,
        "amount": 180_000_000,
        "contributor_type": ContributorType.HOUSEHOLDS,
        "contributors": 16,
    }
    return contribution_add(**{**values, **changes})


def refused(call, field: str, words: str = "") -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    messages = caught.value.message_dict[field]
    assert words in " ".join(messages), messages


@pytest.fixture
def km(db):
    return IndicatorFactory(code="canal_km", unit=Unit.KM, aggregation=Aggregation.SUM)


# --- the service: the last line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"amount": 2**63 - 1}, "amount", "Enter at most 1,000,000,000,000."),
        ({"amount": limits.MONEY_MAX + 1}, "amount", "at most 1,000,000,000,000"),
        ({"kind": ContributionKind.IN_KIND, "description": "xe", "amount": 10**13}, "amount", ""),
        ({"kind": ContributionKind.LAND, "amount": limits.LAND_MAX + 1}, "amount", "10,000,000"),
        ({"kind": ContributionKind.LABOUR, "amount": 10**9}, "amount", "at most 10,000,000"),
        ({"contributors": 2**31}, "contributors", "at most 20,000,000"),
        ({"date": datetime.date(1, 1, 1)}, "date", "from Jan 1, 2000 to"),
        ({"date": datetime.date(1999, 12, 31)}, "date", "Jan 1, 2000"),
        ({"date": datetime.date(9999, 12, 31)}, "date", ""),
        ({"date": TODAY + datetime.timedelta(days=2)}, "date", ""),
    ],
)
def test_the_service_refuses_implausible_contributions(world, changes, field, words):
    before = state()
    refused(lambda: add(world, **changes), field, words)
    assert state() == before


def test_the_limits_themselves_are_accepted(world):
    add(world, amount=limits.MONEY_MAX, contributors=limits.CONTRIBUTORS_MAX)
    add(world, kind=ContributionKind.LAND, amount=limits.LAND_MAX, date=limits.EARLIEST_DATE)
    add(world, kind=ContributionKind.LABOUR, amount=limits.LABOUR_MAX, date=TODAY)
    assert Contribution.objects.count() == 3


def test_a_correction_is_held_to_the_same_limits(world):
    entry = add(world, kind=ContributionKind.LAND, amount=1_200)
    before = state()
    refused(
        lambda: contribution_correct(
            actor=world.lan, entry=entry, amount=limits.LAND_MAX + 1, reason="x"
        ),
        "amount",
        "10,000,000",
    )
    refused(
        lambda: contribution_correct(
            actor=world.lan, entry=entry, amount=1_300, reason="x", date=datetime.date(1, 1, 1)
        ),
        "date",
    )
    refused(
        lambda: contribution_correct(
            actor=world.lan, entry=entry, amount=1_300, contributors=10**9, reason="x"
        ),
        "contributors",
    )
    assert state() == before


def test_the_message_names_the_limit_in_the_language(world):
    with translation.override("vi"):
        refused(lambda: add(world, amount=10**15), "amount", "1.000.000.000.000")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": Decimal("100001")}, "value"),
        ({"value": Decimal("99999999999999")}, "value"),
        ({"target": Decimal("200000")}, "target"),
        ({"period_end": datetime.date(9999, 12, 31)}, "period_end"),
        ({"period_end": TODAY + datetime.timedelta(days=40)}, "period_end"),
        ({"period_start": datetime.date(1, 1, 1)}, "period_start"),
    ],
)
def test_the_service_refuses_implausible_results(world, km, changes, field):
    values = {"value": Decimal("7.1"), "period_end": datetime.date(2024, 9, 30), **changes}
    before = state()
    refused(
        lambda: result_add(
            actor=world.lan, initiative=world.cultural_houses, indicator=km, **values
        ),
        field,
    )
    assert state() == before


def test_initiative_dates_are_plausible(world):
    initiative = world.cultural_houses
    for field, day in [
        ("start_date", datetime.date(1, 1, 1)),
        ("end_date", datetime.date(9999, 12, 31)),
        ("end_date", datetime.date(TODAY.year + limits.PLAN_YEARS_AHEAD + 1, 1, 1)),
    ]:
        refused(
            lambda f=field, d=day: initiative_update(
                actor=world.lan, initiative=initiative, **{f: d}
            ),
            field,
        )
    assert Initiative.objects.get(pk=initiative.pk).end_date == initiative.end_date
    planned = datetime.date(TODAY.year + 2, 12, 31)
    initiative_update(actor=world.lan, initiative=initiative, end_date=planned)
    assert Initiative.objects.get(pk=initiative.pk).end_date == planned


def test_round_dates_are_plausible(world):
    refused(
        lambda: round_create(
            actor=world.tuan,
            year=2026,
            area=world.quang_ninh,
            opens_on=datetime.date(1, 1, 1),
            closes_on=datetime.date(2026, 11, 30),
            cutoff_on=datetime.date(9999, 12, 31),
        ),
        "opens_on",
    )


# --- the rollups cannot overflow ------------------------------------------------------------


def _seed_national_bucket(initiative: Initiative, **measures) -> None:
    """Stand for years of entries: the national row the next entry of ``initiative`` adds to."""
    dims = {
        "year": initiative.year,
        "field": initiative.field,
        "status": initiative.status,
        "registration_kind": initiative.registration_kind,
        "replicated": initiative.replicated_from_id is not None,
        "org_kind": initiative.organisation.kind,
    }
    summary = {name: dims[name] for name in ("year", "field", "status")}
    for mode in ("as_was", "restated"):
        InitiativeRollup.objects.update_or_create(
            mode=mode, area_id=NATIONAL, **dims, defaults=measures
        )
        SummaryRollup.objects.update_or_create(
            mode=mode, area_id=NATIONAL, **summary, defaults=measures
        )
        # The country's totals, which the check on each save reads: the summary's added up.
        sums = SummaryRollup.objects.filter(mode=mode, area_id=NATIONAL).aggregate(
            **{name: Sum(name) for name in measures}
        )
        NationalTotal.objects.update_or_create(mode=mode, defaults=sums)


def test_an_entry_that_would_overflow_the_national_total_is_refused(world):
    # Before: on PostgreSQL the upsert failed with "bigint out of range" (a 500, and every later
    # write to the bucket too); on SQLite the national total silently became a float.
    _seed_national_bucket(world.cultural_houses, money=BIGINT_MAX - 100)
    before = state()
    refused(lambda: add(world, amount=1_000), "amount", "national total")
    assert state() == before


def test_two_entries_may_fill_the_headroom_but_not_pass_it(world):
    # Land and labour carry decimals: their ceiling keeps them exact to the hundredth on SQLite.
    _seed_national_bucket(world.cultural_houses, land=DECIMAL_CEILING - 3_000)
    add(world, kind=ContributionKind.LAND, amount=2_000)
    before = state()
    refused(lambda: add(world, kind=ContributionKind.LAND, amount=1_001), "amount")
    assert state() == before
    add(world, kind=ContributionKind.LAND, amount=1_000)
    total = InitiativeRollup.objects.filter(area_id=NATIONAL, mode="as_was").aggregate(
        s=Sum("land")
    )["s"]
    assert total == DECIMAL_CEILING


def test_a_batch_names_its_first_row_too_many_and_writes_nothing(world):
    _seed_national_bucket(world.cultural_houses, money=limits.ROLLUP_CEILING - 10**12)
    row = {
        "initiative": world.cultural_houses,
        "date": MAY,
        "kind": ContributionKind.MONEY,
        "amount": 6 * 10**11,
        "contributor_type": ContributorType.HOUSEHOLDS,
    }
    before = state()
    outcome = contributions_bulk_add(actor=world.lan, rows=[row, row, row], reason="import")
    assert sorted(outcome.errors) == [1, 2]
    assert "national total" in outcome.errors[1].message_dict["amount"][0]
    assert state() == before


def test_a_result_that_would_overflow_its_indicator_total_is_refused(world, km):
    ResultRollup.objects.create(
        mode="as_was", area_id=NATIONAL, year=2024, indicator_id=km.pk, total_e4=BIGINT_MAX - 10
    )
    before = state()
    refused(
        lambda: result_add(
            actor=world.lan,
            initiative=world.cultural_houses,
            indicator=km,
            value=Decimal("1"),
            period_end=datetime.date(2024, 9, 30),
        ),
        "value",
        "national total",
    )
    assert state() == before


# --- the web form -----------------------------------------------------------------------------


@pytest.fixture
def page(client, settings, world):
    client.force_login(world.lan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_post(page, world, rest: str, data: dict):
    response = page.post(f"/initiatives/{world.cultural_houses.pk}/{rest}", data)
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "9,223,372,036,854,775,807"}, "amount"),
        ({"amount": "1,000,000,000,001"}, "amount"),
        ({"kind": "land", "amount": "10,000,001"}, "amount"),
        ({"contributors": "20,000,001"}, "contributors"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date"),
    ],
)
def test_the_contribution_form_refuses_what_the_service_refuses(page, world, changes, field):
    data = {
        "date": "2024-05-01",
        "kind": "money",
        "amount": "180,000,000",
        "contributor_type": "households",
        "contributors": "16",
        "description": "",
        **changes,
    }
    before = state()
    errors = form_post(page, world, "contributions/new/", data)
    assert field in errors, errors
    assert state() == before


def test_the_forms_carry_the_date_limits(page, world):
    html = page.get(f"/initiatives/{world.cultural_houses.pk}/contributions/new/").content.decode()
    assert 'min="2000-01-01"' in html
    assert f'max="{limits.latest_record_date().isoformat()}"' in html
    html = page.get(f"/initiatives/{world.cultural_houses.pk}/edit/").content.decode()
    assert f'max="{limits.latest_plan_date().isoformat()}"' in html


def test_the_result_form_refuses_a_value_too_large(page, world, km):
    data = {
        "indicator": km.pk,
        "value": "100,001",
        "target": "",
        "period_start": "",
        "period_end": "2024-09-30",
        "note": "",
    }
    before = state()
    assert "value" in form_post(page, world, "results/new/", data)
    data |= {"value": "7.1", "period_end": "9999-12-31"}
    assert "period_end" in form_post(page, world, "results/new/", data)
    assert state() == before


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 2**63 - 1}, "amount"),
        ({"kind": "land", "amount": limits.LAND_MAX + 1}, "amount"),
        ({"contributors": limits.CONTRIBUTORS_MAX + 1}, "contributors"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date"),
    ],
)
def test_the_api_refuses_what_the_service_refuses(world, api, changes, field):
    payload = {
        "date": "2024-05-01",
        "kind": "money",
        "amount": 180_000_000,
        "contributor_type": "households",
        "contributors": 16,
        **changes,
    }
    before = state()
    target = f"/api/v1/initiatives/{world.cultural_houses.pk}/contributions/"
    error = error_of(api(world.lan).post(target, payload, format="json"), 400)
    assert field in error["fields"], error
    assert state() == before


def test_the_schema_states_the_limits():
    from danvan.initiatives.api.serializers import (
        ContributionInputSerializer,
        ResultInputSerializer,
    )

    amount = ContributionInputSerializer().fields["amount"]
    assert amount.max_value == limits.AMOUNT_MAX
    assert ResultInputSerializer().fields["value"].max_value == limits.RESULT_ANY_MAX


# --- the spreadsheet import -------------------------------------------------------------------


def test_the_import_names_the_rows_out_of_range(world, upload, apply):
    code = world.cultural_houses.code
    content = xlsx_bytes(
        [
            headers("contributions"),
            [code, "15/03/2024", "money", "180.000.000", "households", 10, ""],
            [code, "15/03/2024", "money", "9.223.372.036.854.775.807", "households", 10, ""],
            [code, "15/03/2024", "land", "10.000.001", "households", 10, ""],
            [code, "01/01/0001", "money", "5", "households", 10, ""],
            [code, "31/12/9999", "money", "5", "households", 10, ""],
            [code, "15/03/2024", "money", "5", "households", "30.000.000", ""],
        ]
    )
    before = state()
    batch = upload(world.lan, "contributions", content)
    found = {(row, column) for row, column, _s, _m in issues_of(batch)}
    assert {(3, "amount"), (4, "amount"), (5, "date"), (6, "date"), (7, "contributors")} <= found
    assert batch.status == BatchStatus.FAILED
    assert state() == before


def test_the_check_on_each_save_reads_the_national_rows_by_their_key(world):
    # Before: it summed the national rows of the largest rollup without naming the mode, the
    # first column of its key, and PostgreSQL read the whole table on every save (half a
    # second at national scale).
    with CaptureQueriesContext(connection) as queries:
        add(world, amount=1_000)
    # Now from one row per mode (NationalTotal), not the summary's seven hundred.
    read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert any("stats_nationaltotal" in sql for sql in read), "the national totals are read"
    assert not any("stats_summaryrollup" in sql and "SUM(" in sql for sql in read), read
