"""Summary (rollup) tables: the figures of every area node, kept in step with each write.

A dashboard reads one row set keyed by an area node instead of scanning the ledgers. Each fact
is counted once under every node above it (0 = the whole country, then every unit in its path),
in two boundary modes:

* ``as_was`` — the unit the fact was recorded on and that unit's ancestors;
* ``restated`` — the fact's unit carried to today's unit (a split unit to its default
  successor), then that unit's ancestors.

``area_id`` is a plain integer, not a foreign key: 0 stands for the country, and a rollup row
must never block deleting or reloading an area. Rows are only ever incremented or decremented
(``INSERT … ON CONFLICT … DO UPDATE SET x = x + excluded.x``), which is why every key is unique.
"""

import operator
from collections.abc import Iterable
from functools import reduce

from django.db import models
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Status

AS_WAS = "as_was"
RESTATED = "restated"
MODES = (AS_WAS, RESTATED)
NATIONAL = 0
# The ``year`` of a registering-units row that counts every year.
ALL_YEARS = 0
# The ``c_month`` of a ``ContributionDetailRollup`` row that holds its whole year.
WHOLE_YEAR = 0


class Mode(models.TextChoices):
    AS_WAS = AS_WAS, _("as was")
    RESTATED = RESTATED, _("restated on current units")


class AreaNode(models.Model):
    """Which rollup nodes a fact recorded on ``area_id`` is counted under, per mode.

    A cache of the tree walk and the succession lookup, filled when a unit first carries a
    fact and refilled by ``rebuild_rollups(reset_nodes=True)`` after the tree's history changes.
    It lets the per-write upsert and the full rebuild join instead of walking the tree.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    node_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area_id", "mode", "node_id"], name="areanode_key")
        ]
        indexes = [models.Index(fields=["mode", "node_id"], name="areanode_by_node")]

    def __str__(self) -> str:
        return f"{self.area_id} → {self.node_id} ({self.mode})"


class InitiativeRollup(models.Model):
    """Initiatives and everything their ledgers hold, per area node and dimension combination.

    One row set answers the dashboards: counts and all-time contribution totals side by side,
    so a national figure by field reads a few thousand rows whatever the size of the ledgers.
    Being exemplary is a count, not a key, which halves the rows. Money and in-kind value are
    whole VND; land (m²) and labour (person-days) have two decimals.

    ``households`` and ``people`` (individuals and benefactors) are those taking part, never
    added together: per initiative, the largest count of that kind of contributor among the
    kinds of contribution (those who gave land mostly gave labour too; see
    ``danvan.stats.participants``), summed over initiatives. The dated tables hold the same
    figure by the day it grew, so a cut-off reads it as it stood on that day.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    registration_kind = models.CharField(max_length=16)
    replicated = models.BooleanField()
    org_kind = models.CharField(max_length=32)
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "year",
                    "field",
                    "status",
                    "registration_kind",
                    "replicated",
                    "org_kind",
                ],
                name="initiativerollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year}"


class SummaryRollup(models.Model):
    """``InitiativeRollup`` without the organisation kind, the registration kind and the
    replication as keys: per area node, year, field and status, with how many initiatives
    were replicated and continued as counts.

    Most questions (the dashboard's totals, by field, by year, by unit; a national breakdown
    by province and field) never group or filter by the three dropped keys, and here a
    province holds a few hundred rows instead of thousands. Built and new are the
    initiatives minus the replicated and the continued ones.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    replicated = models.BigIntegerField(default=0)
    continued = models.BigIntegerField(default=0)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "field", "status"], name="summaryrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year}"


class SummaryAllYearsRollup(models.Model):
    """``SummaryRollup`` with every registration year added up: per area node, field and
    status.

    A breakdown by unit over all years (a province's communes on the dashboard with no year
    chosen; a cut-off's all-time totals by province, less what is dated after it) added up
    every year's rows of each unit: 36,000 summary rows for a province's 166 communes at
    national scale. Here each unit holds one row per field and status. Read only when no
    registration year is asked or grouped by.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    replicated = models.BigIntegerField(default=0)
    continued = models.BigIntegerField(default=0)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "field", "status"], name="summaryallyearsrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.field} {self.status}"


class NationalTotal(models.Model):
    """The country's ledger totals, one row per boundary mode: the national rows of
    ``SummaryRollup`` added up.

    Every save checks that it does not carry a national total past what the rollup columns
    hold (``danvan.stats.rollups``). Adding up the summary's national rows for that (some
    seven hundred, updated by every save) took 2–3 ms a save at national scale; one row per
    mode read by its key takes a fraction of that."""

    mode = models.CharField(max_length=8, choices=Mode.choices)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mode"], name="nationaltotal_key")]

    def __str__(self) -> str:
        return f"{self.mode} national totals"


class ContributionRollup(models.Model):
    """Contributions per area node, the initiatives' year, field and status, and the month
    of the entry.

    The month lets a round's cut-off (30 November) be applied without reading the ledger; the
    few initiative dimensions keep the table small enough for a national cut-off query to read
    a few thousand rows. A row of ``c_month`` 0 (``WHOLE_YEAR``) holds the entry's whole
    year, as the tables by kind and by every dimension have them: a period's whole years are
    read by their year rows, and only the months of a year it starts or ends inside of by
    month (a province's communes to 15 November 2024, two years on, read the months since
    then as one month and two years).
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    c_year = models.PositiveSmallIntegerField()
    c_month = models.PositiveSmallIntegerField()
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "field", "status", "c_year", "c_month"],
                name="contributionrollup_key",
            )
        ]
        indexes = [
            # The months of a period across every registration year: a cut-off's "after"
            # (the months since it) or a period's months, by unit. The key reaches the dated
            # columns only after the year, field and status, so each unit's every row was read
            # to find a few months' (a province's communes restated to 30 November: 86 → 41 ms
            # at national scale).
            models.Index(
                fields=["mode", "area_id", "c_year", "c_month"], name="contributionrollup_dated"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year}"


class ResultRollup(models.Model):
    """Results of one indicator per area node and year of the period's end.

    Values are stored scaled by 10⁴ as integers (results have four decimals), so sums are exact
    on SQLite too. ``latest_*`` is the result with the latest ``period_end`` (ties: the latest
    recorded). ``maximum`` and ``latest`` cannot be decremented; removing the row that holds
    them recomputes them from the results under that node.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    indicator_id = models.BigIntegerField()
    total_e4 = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    max_e4 = models.BigIntegerField(null=True)
    latest_end = models.DateField(null=True)
    latest_id = models.BigIntegerField(null=True)
    latest_e4 = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "indicator_id"], name="resultrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year}"


class ContributionDayRollup(models.Model):
    """Contributions per area node, the initiatives' year, field and status, and the day of
    the entry.

    The monthly table answers a period of whole months; a cut-off inside a month (15
    November) reads the whole months before it there and the few days of the last month here,
    so any day is answered from the rollups. The key starts with the node and the date, so the
    days of one month under one node are one index range.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    c_year = models.PositiveSmallIntegerField()
    c_month = models.PositiveSmallIntegerField()
    c_day = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "c_year",
                    "c_month",
                    "c_day",
                    "year",
                    "field",
                    "status",
                ],
                name="contributiondayrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.c_year}-{self.c_month}-{self.c_day}"


class ContributionDetailRollup(models.Model):
    """``ContributionRollup`` keyed also by the initiatives' registration kind, replication and
    organisation kind: contributions per area node, month of the entry (``c_month`` 0: its
    whole year), year, field, status and those three.

    Read only for a dated question grouped or filtered by one of the three (the dashboard's
    kind of organisation with a period, the API's groupings): up to twenty times the rows of
    ``ContributionRollup`` at the upper nodes, so the other dated questions keep the smaller
    table. The same figures are kept per year too, so a cut-off reads the whole years before
    it in a year's rows and only its own year by month (the national rows up to 30 November
    2024: some ten thousand, not seventy). The key starts with the node and the date, so the
    months of one year under one node are one index range, and the year rows have their own
    index.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    c_year = models.PositiveSmallIntegerField()
    c_month = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    registration_kind = models.CharField(max_length=16)
    replicated = models.BooleanField()
    org_kind = models.CharField(max_length=32)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "c_year",
                    "c_month",
                    "year",
                    "field",
                    "status",
                    "registration_kind",
                    "replicated",
                    "org_kind",
                ],
                name="contributiondetailrollup_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["mode", "area_id", "c_year"],
                condition=models.Q(c_month=WHOLE_YEAR),
                name="contributiondetail_years",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.c_year}-{self.c_month} {self.org_kind}"


class ContributionDetailDayRollup(models.Model):
    """``ContributionDayRollup`` keyed also by the initiatives' registration kind, replication
    and organisation kind: the days of a month a period starts or ends inside of, for the
    questions ``ContributionDetailRollup`` answers by month. The key starts with the node and
    the date, as the day table's does.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    c_year = models.PositiveSmallIntegerField()
    c_month = models.PositiveSmallIntegerField()
    c_day = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    registration_kind = models.CharField(max_length=16)
    replicated = models.BooleanField()
    org_kind = models.CharField(max_length=32)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "c_year",
                    "c_month",
                    "c_day",
                    "year",
                    "field",
                    "status",
                    "registration_kind",
                    "replicated",
                    "org_kind",
                ],
                name="contributiondetaildayrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.c_year}-{self.c_month}-{self.c_day}"


class KindRollup(models.Model):
    """``SummaryRollup`` keyed by the kind of organisation instead of the field: initiatives
    and what they mobilised per area node, year, status and kind of organisation, with how
    many were replicated and continued as counts.

    A question by kind of organisation that neither filters nor groups by field, registration
    kind or replication (the dashboard's chart by kind, the API's breakdowns by unit × kind)
    reads a few hundred rows a province here, where ``InitiativeRollup`` holds thousands: the
    country by province × kind read some 260,000 rows there.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    org_kind = models.CharField(max_length=32)
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    replicated = models.BigIntegerField(default=0)
    continued = models.BigIntegerField(default=0)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "status", "org_kind"], name="kindrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.org_kind}"


class ContributionKindRollup(models.Model):
    """``ContributionDetailRollup`` without the field, the registration kind and the
    replication: contributions per area node, month of the entry (``c_month`` 0: its whole
    year), the initiatives' year, status and kind of organisation.

    The dated questions by kind of organisation that ``KindRollup`` answers undated read
    here, a quarter of the detail table's rows. The key starts with the node and the date, as
    the detail table's does, and the year rows have their own index. The days of a month such
    a period starts or ends inside of are read from ``ContributionDetailDayRollup``: a day
    holds few entries, so a table of days by kind would keep two thirds of its rows (29 of 44
    million at full scale) for a few days' reading.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    c_year = models.PositiveSmallIntegerField()
    c_month = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    org_kind = models.CharField(max_length=32)
    money = models.BigIntegerField(default=0)
    land = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    labour = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    in_kind = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "c_year", "c_month", "year", "status", "org_kind"],
                name="contributionkindrollup_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["mode", "area_id", "c_year"],
                condition=models.Q(c_month=WHOLE_YEAR),
                name="contributionkind_years",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.c_year}-{self.c_month} {self.org_kind}"


def registering_column(field: str, status: str) -> str:
    """The ``RegisteringRollup`` column counting initiatives of ``field`` in ``status``."""
    return f"n_{field}_{status}"


REGISTERING_COLUMNS = tuple(
    registering_column(field, status) for field in Field.values for status in Status.values
)


def registering_among(columns: Iterable[str]) -> GreaterThan:
    """The condition of a ``RegisteringRollup`` row whose initiatives of ``columns`` (fields
    and statuses) are more than none.

    It is always written the same way for the same columns, in the table's order whatever the
    order asked, with the zero written into the statement (SQLite does not match a bound
    parameter with an index's constant): PostgreSQL and SQLite use a partial index only for a
    query whose condition is the index's own, and the indexes below are written with this.
    """
    asked = set(columns)
    unknown = sorted(asked - set(REGISTERING_COLUMNS))
    if not asked or unknown:
        raise ValueError(f"not columns of the registering units: {unknown or 'none asked'}")
    ordered = [name for name in REGISTERING_COLUMNS if name in asked]
    return GreaterThan(reduce(operator.add, (F(name) for name in ordered)), RawSQL("0", ()))


# The registering units counted with no field or status chosen: of the registered statuses on
# the dashboard and in the reports, of every status in the stats API.
REGISTERED_COLUMNS = tuple(
    registering_column(field, status) for field in Field.values for status in REGISTERED_STATUSES
)


class RegisteringRollup(models.Model):
    """How many initiatives of each field and status one organisation registered under an
    area node, in a year (``year`` 0: over all years).

    A count of distinct registering units does not add up across the other rollups' rows, and
    over all years it would read every initiative of the territory. Here each organisation is
    one row per node and year, so "how many units registered" counts the rows whose
    initiatives in the asked fields and statuses are more than none: one row per unit of the
    territory, never the initiatives. The columns are ``n_<field>_<status>``, one per field and
    status of the catalogues (``registering_column``).
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    organisation_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "organisation_id"],
                name="registeringrollup_key",
            )
        ]
        # The rows that count with no field or status chosen (the dashboard's and the
        # reports' registered statuses, the stats API's every status). A row whose counts
        # fell to zero stays in the table, so a count tests a sum of its columns; these
        # indexes hold only the rows that pass, and the count reads their entries instead of
        # the columns of every row.
        indexes = [
            models.Index(
                fields=["mode", "area_id", "year", "organisation_id"],
                condition=models.Q(registering_among(REGISTERING_COLUMNS)),
                name="registeringrollup_held",
            ),
            models.Index(
                fields=["mode", "area_id", "year", "organisation_id"],
                condition=models.Q(registering_among(REGISTERED_COLUMNS)),
                name="registeringrollup_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.organisation_id}"


class ChainRollup(models.Model):
    """Registrations per area node, year, field and status, keyed also by their predecessor
    (``Initiative.continued_from``) as seen from the node: the rows that count models, not
    registrations, for "since 2013 … N models" (``selectors.cumulative_since``).

    A model continued from year to year is registered every year and is one model, counted
    under its first registration in scope: a registration counts when it is in scope and its
    predecessor is not. The predecessor can be in scope only if its unit is under the node
    too, so its year, field and status are kept only then (``prev_year`` 0 otherwise). The
    breakdown by unit reads a child node's rows with its parent as the scope, so a
    predecessor under the parent but not under the child is kept too, with ``prev_up``. Then
    "models in the years, fields and statuses asked" adds up: the rows in scope whose
    predecessor's year, field and status are not all in scope.

    ``exemplary_chained`` counts the exemplary registrations whose predecessor is exemplary
    too (an exemplary model counts under its first exemplary registration in scope), so being
    exemplary is a count here, not a key, as in the other tables.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    prev_year = models.PositiveSmallIntegerField()
    prev_field = models.CharField(max_length=32)
    prev_status = models.CharField(max_length=16)
    prev_up = models.BooleanField()
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    replicated = models.BigIntegerField(default=0)
    continued = models.BigIntegerField(default=0)
    exemplary_chained = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "year",
                    "field",
                    "status",
                    "prev_year",
                    "prev_field",
                    "prev_status",
                    "prev_up",
                ],
                name="chainrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} ← {self.prev_year}"


class ChainDetailRollup(models.Model):
    """``ChainRollup`` with the registration kind, the replication and the organisation kind
    of the registration in the key: models since a year grouped or filtered by those, which
    the API's ``cumulative`` accepts ("since 2013 … N models by kind of organisation").

    Being replicated or continued is a key here, so the counts of replicated and continued
    models are the rows' ``initiatives`` under those keys (the field names would clash with
    the key). Read only for those groupings: a row of ``ChainRollup`` is here split by up to
    every combination of the three keys.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    registration_kind = models.CharField(max_length=16)
    replicated = models.BooleanField()
    org_kind = models.CharField(max_length=32)
    prev_year = models.PositiveSmallIntegerField()
    prev_field = models.CharField(max_length=32)
    prev_status = models.CharField(max_length=16)
    prev_up = models.BooleanField()
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    exemplary_chained = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "year",
                    "field",
                    "status",
                    "registration_kind",
                    "replicated",
                    "org_kind",
                    "prev_year",
                    "prev_field",
                    "prev_status",
                    "prev_up",
                ],
                name="chaindetailrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.org_kind} ← {self.prev_year}"


class ChainKindRollup(models.Model):
    """``ChainDetailRollup`` without the field and the predecessor's field: models since a
    year by registration kind, replication or kind of organisation when no field is chosen
    (the API's ``cumulative`` by ``org_kind``, "since 2013 … N models by kind of
    organisation").

    With no field asked, a predecessor's field never decides whether it is in scope, so the
    rows that differ only in the two fields add up to one. The country's detail rows hold
    every registration year × field × status × the predecessor's year, field and status ×
    the three kinds; these hold a field's share of them. A field asked reads the detail rows.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    registration_kind = models.CharField(max_length=16)
    replicated = models.BooleanField()
    org_kind = models.CharField(max_length=32)
    prev_year = models.PositiveSmallIntegerField()
    prev_status = models.CharField(max_length=16)
    prev_up = models.BooleanField()
    initiatives = models.BigIntegerField(default=0)
    exemplary = models.BigIntegerField(default=0)
    exemplary_chained = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "mode",
                    "area_id",
                    "year",
                    "status",
                    "registration_kind",
                    "replicated",
                    "org_kind",
                    "prev_year",
                    "prev_status",
                    "prev_up",
                ],
                name="chainkindrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.org_kind} ← {self.prev_year}"


for _column in REGISTERING_COLUMNS:
    RegisteringRollup.add_to_class(_column, models.IntegerField(default=0))


# --- recognition: awards, evaluation grades, the collectives recognised ---------------------

# The ``level`` of an ``AwardRollup`` row that counts every level ("at some level").
ANY_LEVEL = ""
# The stages of an award, each a bit of an ``AwardRollup`` row's ``stages``.
AWARD_STAGES = ("proposed", "recognised", "nominated", "commended")
AWARD_MEASURES = (
    "initiatives",
    "proposed",
    "recognised",
    "nominated",
    "commended",
    "individuals_proposed",
    "individuals",
    *(f"awards_{stage}" for stage in AWARD_STAGES),
    *(f"held_{stage}" for stage in AWARD_STAGES),
)


class AwardRollup(models.Model):
    """Awards and the models holding them, per area node, year, field, kind of organisation
    and recognition level (``danvan.stats.recognition``).

    A level's row counts each model with an award there once: ``initiatives`` (any award),
    ``proposed`` (one to its collective, at any stage), ``recognised`` (to its collective, past
    its decision), ``nominated`` and ``commended`` (to its collective, at that stage),
    ``held_<stage>`` (any award at that stage); and awards as awards: ``awards_<stage>``, and
    those to persons (``individuals_proposed``, ``individuals`` once decided). A model is in one
    row of a level, so its counts add up across nodes, years, fields and kinds.

    The rows of level ``ANY_LEVEL`` count each model once whatever its levels ("5 models were
    recognised" when two of them were recognised at two levels), the persons honoured once per
    person and model, and are keyed also by ``stages``: a bit per stage its awards are at
    (``AWARD_STAGES``: 1 proposed, 2 recognised, 4 nominated, 8 commended), so "the models
    with an award at one of these stages" adds up too. A level's rows have ``stages`` 0.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    org_kind = models.CharField(max_length=32)
    level = models.CharField(max_length=16)
    stages = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "field", "org_kind", "level", "stages"],
                name="awardrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.level or 'any level'}"


for _column in AWARD_MEASURES:
    AwardRollup.add_to_class(_column, models.BigIntegerField(default=0))


class GradeRollup(models.Model):
    """Models per area node, year, field, level and the grade of their latest evaluation at
    that level ("1.530 mô hình được đánh giá hiệu quả"); ``level`` blank for evaluations
    recorded before levels were kept. A model is in one row per level it was evaluated at."""

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=32)
    level = models.CharField(max_length=16)
    grade = models.CharField(max_length=100)
    initiatives = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "field", "level", "grade"],
                name="graderollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.level} {self.grade}"


# The level or field of a collectives column that counts every level or every field.
EVERY = "any"


def collective_column(level: str, field: str) -> str:
    """The collectives' column of a recognition level (or ``EVERY``) and field (or ``EVERY``)."""
    return f"n_{level}_{field}"


class CollectiveRollup(models.Model):
    """One organisation's models recognised (an award to its collective past its decision)
    under an area node, in a year (``year`` 0: over all years): per level and field, how many
    (``collective_column``; ``EVERY`` level: recognised at some level, ``EVERY`` field: of any
    field).

    "Collectives recognised" is a distinct count of organisations, which does not add up
    across years, fields or levels. A row says which of them an organisation holds; its
    columns turning from none to some, or back, move ``CollectiveCountRollup``'s.
    """

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    organisation_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year", "organisation_id"],
                name="collectiverollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year} {self.organisation_id}"


class CollectiveCountRollup(models.Model):
    """Per area node and year (0: over all years), how many organisations hold a
    ``CollectiveRollup`` row whose column is more than none, column by column: the collectives
    recognised at each level (or at some level), of each field (or of any), read in one row
    whatever the number of organisations."""

    mode = models.CharField(max_length=8, choices=Mode.choices)
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mode", "area_id", "year"], name="collectivecountrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.area_id} {self.year}"


def _recognition_levels() -> tuple[str, ...]:
    from danvan.review.models import LEVEL_ORDER

    return tuple(str(level) for level in LEVEL_ORDER)


RECOGNITION_LEVELS = _recognition_levels()
COLLECTIVE_COLUMNS = tuple(
    collective_column(level, field)
    for level in (*RECOGNITION_LEVELS, EVERY)
    for field in (*Field.values, EVERY)
)
for _column in COLLECTIVE_COLUMNS:
    CollectiveRollup.add_to_class(_column, models.IntegerField(default=0))
    CollectiveCountRollup.add_to_class(_column, models.IntegerField(default=0))


class PendingEntry(models.Model):
    """A ledger entry saved but not yet added to the rollups (``DANVAN_STATS_UPKEEP=deferred``).

    Eight officers saving at once all add to the same national and provincial rollup rows,
    and a save that upserts them inside its own transaction holds those rows until it
    commits: the others wait in line. With the upkeep deferred, a save appends one row here
    (a table no other save's row is shared in) and the rollups are brought up to date right
    after it commits, many saves' entries in one statement (``danvan.stats.rollups.fold``).
    Every writer that moves an initiative's figures first takes its pending entries in, so
    the rollups stay exact; a row lives here for the few milliseconds until the fold."""

    contribution = models.ForeignKey(
        "initiatives.Contribution",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    # What the entry adds to the national totals, copied so that the check on the next save
    # adds up the pending entries without reading the ledger's rows.
    kind = models.CharField(max_length=16, default="")
    contributor_type = models.CharField(max_length=32, default="")
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    contributors = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"entry {self.contribution_id} of initiative {self.initiative_id}, pending"
