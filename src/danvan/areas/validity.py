"""Whether a record may be placed on a unit: the one rule of every door (forms, API, import).

Facts are stored against the unit of their day. A record of 2024 sits on the legacy ward of
2024; a record of 2026 sits on one of today's units, never on a ward dissolved on 1 July 2025
(its figures would reach no current unit's dashboard), nor on a village under such a ward. A
unit is in force from its ``valid_from`` to its ``valid_to`` *and* only while every unit above
it is: a village keeps no end date of its own when its ward is dissolved.

When the unit has ended, the refusal names the units that carry it on, so the person knows
what to choose instead.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext as _

from danvan.areas.models import Area
from danvan.areas.selectors import area_current_successors, area_default_successor
from danvan.core.formats import format_date
from danvan.core.validation import reject

MAX_NAMED = 5
_spans: ContextVar[dict | None] = ContextVar("danvan_area_spans", default=None)


@contextmanager
def spans_remembered() -> Iterator[None]:
    """Within the block, read each unit's chain of units above it once: a large import places
    thousands of rows on the same few units, and one query per row would cost more than the
    rows' own checks. For work that changes no unit meanwhile (an import's check and apply)."""
    token = _spans.set({})
    try:
        yield
    finally:
        _spans.reset(token)


def area_span(*, area: Area) -> tuple[datetime.date | None, datetime.date | None, Area | None]:
    """Return the first and last day ``area`` can hold records (None: unbounded), and the unit
    whose end bounds the last day (the unit itself or a unit above it; None when it has not
    ended)."""
    remembered = _spans.get()
    key = (area.pk, area.path, area.valid_from, area.valid_to)
    if remembered is not None and key in remembered:
        return remembered[key]
    span = _area_span(area)
    if remembered is not None:
        remembered[key] = span
    return span


def _area_span(area: Area) -> tuple[datetime.date | None, datetime.date | None, Area | None]:
    ids = [int(part) for part in area.path.split(".") if part.isdigit()] or [area.pk]
    chain = {unit.pk: unit for unit in Area.objects.filter(pk__in=ids)}
    chain[area.pk] = area
    first: datetime.date | None = None
    last: datetime.date | None = None
    ended: Area | None = None
    for unit in chain.values():
        if unit.valid_from is not None and (first is None or unit.valid_from > first):
            first = unit.valid_from
        # The nearest unit wins a tie, so the message names the unit the person picked.
        if unit.valid_to is not None and (
            last is None
            or unit.valid_to < last
            or (unit.valid_to == last and unit.depth > ended.depth)
        ):
            last, ended = unit.valid_to, unit
    return first, last, ended


def area_successor_names(*, area: Area) -> str:
    """Name today's units that carry ``area`` on, the default one first ("A or B")."""
    names = [successor.area.name for successor in area_current_successors(area=area)]
    if len(names) > MAX_NAMED:
        names = [*names[:MAX_NAMED], "…"]
    return _(" or ").join(names)


def area_end_message(*, area: Area, ended: Area) -> str:
    """The sentence saying ``area`` (or the unit above it, ``ended``) has ended, and what to
    choose instead."""
    successors = area_successor_names(area=ended)
    values = {
        "area": area.name,
        "ended": ended.name,
        "day": format_date(ended.valid_to + datetime.timedelta(days=1)),
        "successors": successors,
    }
    if ended.pk == area.pk:
        if successors:
            return _("%(area)s ended on %(day)s; choose %(successors)s.") % values
        return _("%(area)s ended on %(day)s; choose a unit in force on the record's dates.") % (
            values
        )
    if successors:
        return (
            _(
                "%(area)s lies in %(ended)s, which ended on %(day)s; choose %(successors)s "
                "or a unit under it."
            )
            % values
        )
    return (
        _(
            "%(area)s lies in %(ended)s, which ended on %(day)s; choose a unit in force on "
            "the record's dates."
        )
        % values
    )


def area_require_in_force(
    *,
    area: Area,
    last_day: datetime.date,
    first_day: datetime.date | None = None,
    field: str = "area",
) -> None:
    """Refuse ``area`` for a record whose days run from ``first_day`` to ``last_day`` unless the
    unit (and every unit above it) was in force on at least one of them. Without ``first_day``
    the record is of one day, ``last_day`` (an organisation's seat: the day it last works).

    A record of a year before the 2025 reorganisation may, and should, sit on the legacy unit
    of its year; a record of today must sit on one of today's units. The ``ValidationError``
    names ``field`` and, for a unit that ended, the units to choose instead.
    """
    start, end, ended = area_span(area=area)
    if end is not None and (first_day or last_day) > end:
        reject(field, area_end_message(area=area, ended=ended), code="ended")
    if start is not None and last_day < start:
        reject(
            field,
            _(
                "%(area)s came into force on %(day)s, after this record's dates; choose the unit "
                "of its day."
            )
            % {"area": area.name, "day": format_date(start)},
            code="not_yet",
        )


def area_in_force_on(*, area: Area, day: datetime.date) -> Area:
    """Return ``area`` if it is in force on ``day``, else the current unit that carries it on
    by default (a village under a dissolved ward: the ward's default successor), or ``area``
    itself when nothing carries it on (the caller's check then refuses it by name)."""
    _, end, ended = area_span(area=area)
    if end is None or day <= end:
        return area
    return area_default_successor(area=ended) or area
