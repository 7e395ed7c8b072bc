"""The largest and earliest values a person may enter, one set for every door.

The web forms (HTML ``min``/``max`` and their own checks), the API serializers (``max_value``,
so the OpenAPI schema states the limits), the spreadsheet import and the services all read the
constants here; the services are the last line and refuse anything outside them, whatever
door a value came through.

Why these numbers. They are limits of plausibility for one entry recorded by a commune,
ward or provincial officer, not of the database's types, and each is far above any real
figure while far below anything that could break a total:

* **Money and the value of assets, 1,000 billion VND (10¹²) per entry.** The largest single
  donations reported in Vietnam, large companies' gifts to the national relief funds after a
  typhoon, are a few hundred billion đồng; a commune's or ward's contributions are counted in
  millions to a few billions (the largest of the published reports: 350 million for LED screens).
* **Land, 10 million m² (1,000 ha) per entry.** Whole farms given for a new road or a
  resettlement area are a few hectares; a commune covers some tens of km².
* **Labour, 10 million person-days per entry.** Every adult of a large province working for a
  week.
* **Contributors, 20 million per entry.** More than the people of the most populous province
  (Ho Chi Minh City after the 2025 merger, about 14 million).
* **Result values and targets**, per unit: 100% for percentages, 100,000 km (the whole road
  network is about 600,000 km, no initiative builds a sixth of it), 100 million m, 10 billion m²,
  the money limit for VND, the labour limit for person-days, 30 million households (the country
  has about 27 million), 200 million people, one billion of anything counted.

Dates. The movement's data start in 2013; nothing before 1 January 2000 is a real date of it
(a year typed as 0001 or 0024 is). Plans (an initiative's start and end, a round's dates) may
lie a few years ahead, never ``9999-12-31``. What happened (a contribution, a result's period,
an award's decision) cannot be in the future, save a small tolerance: a day for a contribution or
a decision (the officer's clock may be ahead of the server's), a month for a result's period
(a period's figures are often reported in its last weeks).

Totals. Many entries add up: the rollups keep the total of every area node in signed 64-bit
columns (``bigint``), and SQLite turns an overflowing sum into an inexact float where PostgreSQL
refuses it. ``ROLLUP_CEILING`` is half of that range: the statistics refuse an entry that would
carry the national total of a measure past it (see ``danvan.stats.rollups``), so the total of
any scope, any sum the dashboards run, and even two writers passing the check at the same
moment, stay inside the column.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.core.formats import format_date, format_number

MONEY_MAX = 10**12
LAND_MAX = 10_000_000
LABOUR_MAX = 10_000_000
CONTRIBUTORS_MAX = 20_000_000

# Per contribution kind (the codes of ``ContributionKind``; core imports no domain app).
CONTRIBUTION_MAX = {
    "money": MONEY_MAX,
    "in_kind": MONEY_MAX,
    "land": LAND_MAX,
    "labour": LABOUR_MAX,
}
AMOUNT_MAX = max(CONTRIBUTION_MAX.values())

# Decimals an amount of each kind may carry: money and the value of assets are whole đồng (VND
# has no smaller unit); land (350,5 m²) and labour (half a day, 0,5) are measured to two.
CONTRIBUTION_DECIMALS = {
    "money": 0,
    "in_kind": 0,
    "land": 2,
    "labour": 2,
}

# Per result unit (the codes of ``Unit``); a unit not listed has the largest.
RESULT_MAX = {
    "percent": 100,
    "km": 100_000,
    "m": 100_000_000,
    "m2": 10_000_000_000,
    "count": 1_000_000_000,
    "vnd": MONEY_MAX,
    "person_days": LABOUR_MAX,
    "households": 30_000_000,
    "people": 200_000_000,
}
RESULT_ANY_MAX = max(RESULT_MAX.values())

# Half of the signed 64-bit range of the rollup columns (see the module's docstring).
ROLLUP_CEILING = 2**62

EARLIEST_DATE = datetime.date(2000, 1, 1)
PLAN_YEARS_AHEAD = 5
RECORD_DAYS_AHEAD = 1
RESULT_DAYS_AHEAD = 31


def contribution_max(kind: str) -> int:
    """The largest amount of one entry of ``kind`` (the largest of all for an unknown kind)."""
    return CONTRIBUTION_MAX.get(kind, AMOUNT_MAX)


def contribution_decimals(kind: str) -> int:
    """The decimals an amount of ``kind`` may have (none for an unknown kind)."""
    return CONTRIBUTION_DECIMALS.get(kind, 0)


def decimals_of(value: Decimal) -> int:
    """The decimals ``value`` really has: trailing zeros do not count (350,50 has one)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places = -exponent
    for digit in reversed(digits):
        if digit or not places:
            break
        places -= 1
    return places


def contribution_decimals_error(value: Decimal, kind: str):
    """Return the ``ValidationError`` for an amount of ``kind`` with more decimals than it may
    have, or None."""
    if decimals_of(value) <= contribution_decimals(kind):
        return None
    if contribution_decimals(kind) == 0:
        return ValidationError(
            _("Enter whole đồng, without decimals: VND has no smaller unit."), code="whole_dong"
        )
    return ValidationError(_("Enter at most two decimals."), code="max_decimal_places")


def result_max(unit: str) -> int:
    """The largest value or target of a result in ``unit``."""
    return RESULT_MAX.get(unit, RESULT_ANY_MAX)


def today() -> datetime.date:
    return datetime.date.today()


def latest_plan_date(on: datetime.date | None = None) -> datetime.date:
    """The last day a plan may name: 31 December, ``PLAN_YEARS_AHEAD`` years from now."""
    return datetime.date((on or today()).year + PLAN_YEARS_AHEAD, 12, 31)


def latest_record_date(days_ahead: int = RECORD_DAYS_AHEAD) -> datetime.date:
    """The last day something that happened may be dated: today and a small tolerance."""
    return today() + datetime.timedelta(days=days_ahead)


def _reject(field: str, message: str, code: str) -> None:
    raise ValidationError({field: ValidationError(message, code=code)})


def amount_error(value: int | Decimal, *, maximum: int, minimum: int = 0):
    """Return the ``ValidationError`` for ``value`` outside ``minimum``..``maximum`` (the limit
    written in the active language), or None."""
    if value > maximum:
        message = _("Enter at most %(limit)s.") % {"limit": format_number(maximum)}
        return ValidationError(message, code="max_value")
    if value < minimum:
        message = _("Enter at least %(limit)s.") % {"limit": format_number(minimum)}
        return ValidationError(message, code="min_value")
    return None


def check_amount(value: int | Decimal, field: str, *, maximum: int, minimum: int = 0) -> None:
    """Refuse ``value`` outside ``minimum``..``maximum`` on ``field``."""
    error = amount_error(value, maximum=maximum, minimum=minimum)
    if error is not None:
        raise ValidationError({field: error})


def check_date(
    value: datetime.date | None, field: str, *, latest: datetime.date | None = None
) -> None:
    """Refuse a date before ``EARLIEST_DATE`` or after ``latest`` (a plan's horizon by default).

    ``None`` passes (whether a date is required is the caller's rule), and so does what is not
    a date at all (the field's own validation refuses it).
    """
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return  # not a date at all: the field's own validation says so
    if not isinstance(value, datetime.date):
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    latest = latest or latest_plan_date()
    if not EARLIEST_DATE <= value <= latest:
        _reject(
            field,
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {"earliest": format_date(EARLIEST_DATE), "latest": format_date(latest)},
            "date_range",
        )


def check_record_date(value, field: str, *, days_ahead: int = RECORD_DAYS_AHEAD) -> None:
    """Refuse the date of something that happened if it is implausibly old or in the future."""
    check_date(value, field, latest=latest_record_date(days_ahead))


def date_attrs(latest: datetime.date | None = None) -> dict[str, str]:
    """The HTML ``min`` and ``max`` of a date input for the same range."""
    return {
        "min": EARLIEST_DATE.isoformat(),
        "max": (latest or latest_plan_date()).isoformat(),
    }
