"""Criteria sets: written by a commission for its province (and round), copied from last year,
edited until the first evaluation uses them.

A set that has scored an initiative is frozen: changing a weight or a maximum afterwards would
make the totals already given disagree with the set they claim to come from. The commission
copies it instead and edits the copy.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import require, require_related
from danvan.areas.models import Area
from danvan.core.validation import clean_and_save, parse_decimal, reject
from danvan.review.models import CriteriaSet, Criterion, GradeThreshold, RegistrationRound

MAX_CRITERIA = 50
MAX_THRESHOLDS = 20


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion as a form or a request gives it."""

    name: str
    weight: object
    max_score: object


@dataclass(frozen=True)
class ThresholdSpec:
    """One grade threshold: the lowest total (out of 100) that earns ``grade``."""

    min_total: object
    grade: str


def criteria_set_in_use(criteria_set: CriteriaSet) -> bool:
    """Whether an evaluation has scored with ``criteria_set`` (it can then no longer change)."""
    return criteria_set.pk is not None and criteria_set.evaluation_set.exists()


def _require_manage(actor, area: Area | None) -> None:
    """A province's set is managed by the reviewers and administrators of that province; a
    national set (no area) by those of the whole country."""
    require(actor, "round.manage", area=area)


def _check_round(area: Area | None, registration_round: RegistrationRound | None) -> None:
    if registration_round is None:
        return
    if area is None and registration_round.area_id is not None:
        reject("area", _("A set for a province's round belongs to that province."))
    require_related("round", area=area, related=registration_round.area)


def _clean_criteria(criteria: Sequence[CriterionSpec]) -> list[Criterion]:
    if not criteria:
        reject("criteria", _("Add at least one criterion."), code="required")
    if len(criteria) > MAX_CRITERIA:
        reject("criteria", _("A set has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    rows, names = [], set()
    for index, spec in enumerate(criteria):
        name = (spec.name or "").strip()
        if not name:
            reject(f"criteria.{index}.name", _("Name the criterion."), code="required")
        if name.casefold() in names:
            reject(f"criteria.{index}.name", _("Two criteria have the same name."))
        names.add(name.casefold())
        weight = parse_decimal(spec.weight, f"criteria.{index}.weight")
        max_score = parse_decimal(spec.max_score, f"criteria.{index}.max_score")
        if weight < 0:
            reject(f"criteria.{index}.weight", _("A weight cannot be negative."))
        if max_score < 1:
            reject(f"criteria.{index}.max_score", _("The maximum score is at least 1."))
        rows.append(Criterion(name=name, weight=weight, max_score=max_score, order=index))
    if sum((row.weight for row in rows), Decimal(0)) == 0:
        reject("criteria", _("Give at least one criterion a weight above zero."))
    return rows


def _clean_thresholds(thresholds: Sequence[ThresholdSpec]) -> list[GradeThreshold]:
    if len(thresholds) > MAX_THRESHOLDS:
        reject(
            "thresholds",
            _("A set has at most %(count)s grades.") % {"count": MAX_THRESHOLDS},
        )
    rows, totals = [], set()
    for index, spec in enumerate(thresholds):
        grade = (spec.grade or "").strip()
        if not grade:
            reject(f"thresholds.{index}.grade", _("Name the grade."), code="required")
        minimum = parse_decimal(spec.min_total, f"thresholds.{index}.min_total")
        if not 0 <= minimum <= 100:
            reject(f"thresholds.{index}.min_total", _("The lowest total is between 0 and 100."))
        if minimum in totals:
            reject(f"thresholds.{index}.min_total", _("Two grades start at the same total."))
        totals.add(minimum)
        rows.append(GradeThreshold(grade=grade, min_total=minimum))
    return rows


def _write_rows(criteria_set: CriteriaSet, criteria, thresholds) -> None:
    for row in criteria:
        row.criteria_set = criteria_set
        clean_and_save(row)
    for row in thresholds:
        row.criteria_set = criteria_set
        clean_and_save(row)


@transaction.atomic
def criteria_set_create(
    *,
    actor,
    name: str,
    area: Area | None,
    round: RegistrationRound | None = None,
    criteria: Sequence[CriterionSpec],
    thresholds: Sequence[ThresholdSpec] = (),
) -> CriteriaSet:
    """Write a new criteria set for a province (``area``) and optionally one of its rounds."""
    _require_manage(actor, area)
    _check_round(area, round)
    name = (name or "").strip()
    if not name:
        reject("name", _("Name the criteria set."), code="required")
    rows = _clean_criteria(criteria)
    grades = _clean_thresholds(thresholds)
    criteria_set = clean_and_save(CriteriaSet(name=name, area=area, round=round))
    _write_rows(criteria_set, rows, grades)
    return criteria_set


@transaction.atomic
def criteria_set_update(
    *,
    actor,
    criteria_set: CriteriaSet,
    name: str,
    round: RegistrationRound | None,
    criteria: Sequence[CriterionSpec],
    thresholds: Sequence[ThresholdSpec] = (),
) -> CriteriaSet:
    """Replace the name, round, criteria and grades of a set no evaluation has used yet."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _require_manage(actor, locked.area)
    if criteria_set_in_use(locked):
        reject(
            "criteria_set",
            _(
                "This criteria set has already been used to evaluate initiatives and can no "
                "longer change. Copy it and edit the copy."
            ),
        )
    _check_round(locked.area, round)
    name = (name or "").strip()
    if not name:
        reject("name", _("Name the criteria set."), code="required")
    rows = _clean_criteria(criteria)
    grades = _clean_thresholds(thresholds)
    locked.name, locked.round = name, round
    clean_and_save(locked)
    locked.criteria.all().delete()
    locked.thresholds.all().delete()
    _write_rows(locked, rows, grades)
    return locked


@transaction.atomic
def criteria_set_copy(
    *,
    actor,
    source: CriteriaSet,
    round: RegistrationRound | None,
    name: str = "",
) -> CriteriaSet:
    """Copy ``source`` (commonly last year's set) into a new, editable set for ``round``."""
    name = (name or "").strip() or (
        _("%(name)s (%(year)s)") % {"name": source.name, "year": round.year}
        if round is not None
        else _("Copy of %(name)s") % {"name": source.name}
    )
    return criteria_set_create(
        actor=actor,
        name=name,
        area=source.area,
        round=round,
        criteria=specs_of(source),
        thresholds=thresholds_of(source),
    )


def specs_of(criteria_set: CriteriaSet) -> list[CriterionSpec]:
    """The criteria of a set, as the services take them (to copy or to prefill a form)."""
    return [
        CriterionSpec(name=c.name, weight=c.weight, max_score=c.max_score)
        for c in criteria_set.criteria.all()
    ]


def thresholds_of(criteria_set: CriteriaSet) -> list[ThresholdSpec]:
    return [
        ThresholdSpec(min_total=t.min_total, grade=t.grade)
        for t in criteria_set.thresholds.order_by("-min_total")
    ]


def criteria_set_allowed(*, criteria_set: CriteriaSet, allowed: Iterable[CriteriaSet]) -> None:
    """Refuse scoring with a set that is not one of those the initiative may be scored by."""
    if criteria_set.pk not in {candidate.pk for candidate in allowed}:
        reject(
            "criteria_set",
            _(
                "This criteria set is not one of this initiative's round or province: "
                "choose one of the sets offered."
            ),
        )
