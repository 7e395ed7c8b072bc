"""Indicators of the national catalogue and the results measured against them."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import (
    require_anywhere,
    require_on_initiative,
)
from danvan.core import upkeep
from danvan.core.history import attribute_to
from danvan.core.limits import (
    RESULT_DAYS_AHEAD,
    check_amount,
    check_record_date,
    result_max,
)
from danvan.core.validation import (
    clean_and_save,
    parse_decimal,
    reject,
)
from danvan.initiatives.checks import validate_unsaved
from danvan.initiatives.models import (
    Indicator,
    Initiative,
    Result,
)


@transaction.atomic
def indicator_create(
    *, actor, code: str, name_vi: str, name_en: str, name_ar: str, unit: str, aggregation: str
) -> Indicator:
    """Add an indicator to the national catalogue (any administrator may)."""
    require_anywhere(actor, "catalogue.manage")
    indicator = Indicator(
        code=(code or "").strip(),
        name_vi=(name_vi or "").strip(),
        name_en=(name_en or "").strip(),
        name_ar=(name_ar or "").strip(),
        unit=unit,
        aggregation=aggregation,
    )
    return clean_and_save(indicator)


def result_build(
    *,
    actor,
    initiative: Initiative,
    indicator: Indicator,
    value,
    period_end: datetime.date,
    period_start: datetime.date | None = None,
    target=None,
    note: str = "",
) -> Result:
    """Return a validated, unsaved result: the rules of ``result_add``, shared with the bulk
    import."""
    require_on_initiative(actor, "result.add", initiative)
    number = parse_decimal(value, "value")
    goal = parse_decimal(target, "target", required=False)
    if number < 0:
        reject("value", _("A result cannot be negative."))
    if goal is not None and goal < 0:
        reject("target", _("A target cannot be negative."))
    if indicator.unit == "percent":
        if number > 100:
            reject("value", _("A percentage cannot be above 100."))
        if goal is not None and goal > 100:
            reject("target", _("A percentage cannot be above 100."))
    check_amount(number, "value", maximum=result_max(indicator.unit))
    if goal is not None:
        check_amount(goal, "target", maximum=result_max(indicator.unit))
    check_record_date(period_start, "period_start", days_ahead=RESULT_DAYS_AHEAD)
    check_record_date(period_end, "period_end", days_ahead=RESULT_DAYS_AHEAD)
    result = Result(
        initiative=initiative,
        indicator=indicator,
        value=number,
        target=goal,
        period_start=period_start,
        period_end=period_end,
        note=(note or "").strip(),
    )
    attribute_to(result, actor)
    validate_unsaved(result)
    return result


@transaction.atomic
def result_add(
    *,
    actor,
    initiative: Initiative,
    indicator: Indicator,
    value,
    period_end: datetime.date,
    period_start: datetime.date | None = None,
    target=None,
    note: str = "",
) -> Result:
    """Record a measured outcome over a period. Percentages must lie between 0 and 100."""
    result = result_build(
        actor=actor,
        initiative=initiative,
        indicator=indicator,
        value=value,
        period_end=period_end,
        period_start=period_start,
        target=target,
        note=note,
    )
    clean_and_save(result)
    upkeep.result_recorded(result)
    return result


@transaction.atomic
def result_delete(*, actor, result: Result) -> None:
    """Remove a result recorded by mistake (its history keeps it)."""
    require_on_initiative(actor, "result.add", result.initiative)
    attribute_to(result, actor)
    gone = upkeep.result_removing(result)
    result.delete()
    upkeep.result_removed(gone)
