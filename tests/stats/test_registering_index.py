"""The counts of registering units with no field or status chosen read the partial indexes
of the rows that count: of the registered statuses (``registeringrollup_registered``: the
dashboard and the reports) and of every status (``registeringrollup_held``: the stats API).

Both engines use a partial index only for a query whose condition implies the index's; the
selector and the indexes write that condition with one function (``registering_among``), so
a change to either that parted them would leave those counts reading every row of the table
again, a sum of its columns each, with nothing failing but the speed.
"""

import pytest
from django.db import OperationalError, connection

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Status
from danvan.initiatives.services import initiative_create, initiative_delete
from danvan.stats import filtered
from danvan.stats.models import REGISTERED_COLUMNS, RegisteringRollup, registering_among
from danvan.stats.selectors import registering_units

pytestmark = pytest.mark.django_db

HELD = "registeringrollup_held"
REGISTERED = "registeringrollup_registered"


def create(org, area, year=2024):
    return initiative_create(
        actor=SYSTEM,
        title="Nhà văn hóa",
        field=Field.ECONOMY,
        organisation=org,
        area=area,
        year=year,
    )


def statement_of(count) -> tuple[str, list]:
    """The one statement (and its parameters) ``count()`` runs on the registering units."""
    seen = []

    def record(execute, sql, params, many, context):
        if "stats_registeringrollup" in sql:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        count()
    assert len(seen) == 1
    return seen[0]


def counted(**scope) -> tuple[str, list]:
    """The statement (and its parameters) ``registering_units(**scope)`` runs."""
    return statement_of(lambda: registering_units(**scope))


def plan(index: str, sql: str, params) -> str:
    """The plan of a statement; on SQLite with the index forced on it, which the engine
    refuses ("no query solution") when the condition does not imply the index's; on
    PostgreSQL with sequential scans off, so any index that can answer is shown."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            forced = sql.replace(
                '"stats_registeringrollup" WHERE',
                f'"stats_registeringrollup" INDEXED BY {index} WHERE',
                1,
            )
            assert forced != sql
            cursor.execute(f"EXPLAIN QUERY PLAN {forced}", params)
            return " ".join(str(row) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("index", "scope"),
    [
        (HELD, {}),
        (HELD, {"year_from": 2024, "year_to": 2024}),
        (HELD, {"status": list(reversed(Status.values))}),
        (REGISTERED, {"status": REGISTERED_STATUSES}),
        (REGISTERED, {"status": list(REGISTERED_STATUSES), "year_from": 2024, "year_to": 2024}),
    ],
    ids=["all years", "one year", "every status named", "registered", "registered, one year"],
)
def test_the_counts_with_no_field_or_status_chosen_can_read_a_partial_index(
    units, orgs, index, scope
):
    create(orgs[0], units["yen_giang"])
    assert index in plan(index, *counted(**scope))


def test_the_dashboards_count_reads_the_registered_index(units, orgs):
    create(orgs[0], units["yen_giang"])
    sql, params = statement_of(
        lambda: filtered.registering_units(area=None, year_from=2024, year_to=2024)
    )
    assert REGISTERED in plan(REGISTERED, sql, params)


@pytest.mark.parametrize("index", [HELD, REGISTERED])
def test_a_narrower_count_cannot(units, orgs, index):
    create(orgs[0], units["yen_giang"])
    sql, params = counted(status=[Status.DRAFT])
    if connection.vendor == "sqlite":
        with pytest.raises(OperationalError, match="no query solution"):
            plan(index, sql, params)
    else:
        assert index not in plan(index, sql, params)


def test_an_organisation_whose_initiatives_are_gone_is_not_counted(units, orgs):
    kept = create(orgs[0], units["yen_giang"])
    gone = create(orgs[1], units["lien_hoa"])
    assert registering_units() == 2
    initiative_delete(actor=SYSTEM, initiative=gone)
    # Its rows stay, at zero: the index leaves them out, and so does the count.
    assert RegisteringRollup.objects.filter(organisation_id=orgs[1].pk).exists()
    assert registering_units() == 1
    assert registering_units(year_from=2024, year_to=2024) == 1
    assert registering_units(status=Status.values) == 1
    assert registering_units(status=[kept.status]) == 1
    assert registering_units(status=[Status.SUBMITTED]) == 0


@pytest.mark.parametrize("columns", [[], ["n_economy_registered", "n_bogus_draft"]])
def test_a_condition_of_no_column_or_an_unknown_one_is_refused(columns):
    with pytest.raises(ValueError, match="not columns of the registering units"):
        registering_among(columns)


def test_the_condition_is_the_same_whatever_the_order_asked():
    backwards = registering_among(reversed(REGISTERED_COLUMNS))
    assert backwards == registering_among(REGISTERED_COLUMNS)
