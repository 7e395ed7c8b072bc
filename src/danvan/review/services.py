"""Rounds, evaluation and recognition: the commission's judgement of registered initiatives.

Every function checks the actor's permission first, runs in one transaction, and leaves a
trail (the models' history) that the timeline shows. The initiative's own states (the workflow,
continuing, exemplary, replication) belong to ``danvan.initiatives.lifecycle``.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.accounts.models import RoleAssignment
from danvan.accounts.scope import (
    person_of,
    provinces_of,
    require,
    require_on_initiative,
    require_related,
)
from danvan.areas.models import Area
from danvan.core import upkeep
from danvan.core.history import attribute_to
from danvan.core.limits import check_date, check_record_date
from danvan.core.validation import clean_and_save, parse_decimal, reject
from danvan.initiatives.files import sniff_evidence
from danvan.initiatives.lifecycle import REVIEWABLE
from danvan.initiatives.models import Initiative
from danvan.notifications.services import notify_initiative_officers
from danvan.review.criteria import criteria_set_allowed
from danvan.review.models import (
    LEVEL_ORDER,
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    CriteriaSet,
    Evaluation,
    EvaluationScore,
    RecipientKind,
    RecipientRole,
    RegistrationRound,
)
from danvan.review.selectors import criteria_sets_for, reviewer_level_for


def _require_reviewable(initiative: Initiative) -> None:
    if initiative.status not in REVIEWABLE:
        reject(
            "status",
            _("Only a registered, running or completed initiative can be evaluated or honoured."),
        )


@transaction.atomic
def round_create(
    *,
    actor,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    cutoff_on: datetime.date,
    area: Area | None = None,
    theme: str = "",
) -> RegistrationRound:
    """Open a registration round for a province (or the country when ``area`` is None)."""
    require(actor, "round.manage", area=area)
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on), ("cutoff_on", cutoff_on)):
        check_date(day, name)
    registration_round = RegistrationRound(
        year=year,
        area=area,
        opens_on=opens_on,
        closes_on=closes_on,
        cutoff_on=cutoff_on,
        theme=(theme or "").strip(),
    )
    return clean_and_save(registration_round)


def _grade(criteria_set: CriteriaSet, total: Decimal) -> str:
    for threshold in criteria_set.thresholds.order_by("-min_total"):
        if total >= threshold.min_total:
            return threshold.grade
    return ""


@transaction.atomic
def evaluation_create(
    *,
    actor,
    initiative: Initiative,
    criteria_set: CriteriaSet,
    scores: Mapping[int, object],
    comment: str = "",
    level: str | None = None,
    quiet: bool = False,
) -> Evaluation:
    """Score ``initiative`` against every criterion of ``criteria_set``.

    ``scores`` maps criterion ids to scores between 0 and the criterion's maximum. The total is
    the weighted share of the maximum, out of 100; the grade comes from the set's thresholds.
    ``level`` is the commission's level; by default that of the most local unit the reviewer
    reviews holding the initiative, so the grades can be counted per level. ``quiet``: the
    officers are not told.
    """
    require_on_initiative(actor, "initiative.evaluate", initiative)
    require_related("criteria_set", area=initiative.area, related=criteria_set.area)
    _require_reviewable(initiative)
    # The page offers exactly these sets; the API is held to the same list.
    criteria_set_allowed(
        criteria_set=criteria_set, allowed=criteria_sets_for(initiative=initiative)
    )
    criteria = list(criteria_set.criteria.all())
    if not criteria:
        reject("criteria_set", _("This criteria set has no criteria."))
    missing = [c for c in criteria if c.pk not in scores]
    if missing:
        reject(
            f"scores.{missing[0].pk}",
            _("Score every criterion: “%(name)s” is missing.") % {"name": missing[0].name},
        )
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        reject("scores", _("A score was given for a criterion outside this set."))
    weighted, weights = Decimal(0), Decimal(0)
    values = {}
    for criterion in criteria:
        value = parse_decimal(scores[criterion.pk], f"scores.{criterion.pk}")
        if value < 0 or value > criterion.max_score:
            reject(
                f"scores.{criterion.pk}",
                _("The score for “%(name)s” must be between 0 and %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score},
            )
        values[criterion.pk] = value
        weighted += value / criterion.max_score * criterion.weight
        weights += criterion.weight
    if weights == 0:
        reject("criteria_set", _("The criteria of this set have no weight."))
    total = (weighted / weights * 100).quantize(Decimal("0.01"))
    if level is None:
        level = reviewer_level_for(actor=actor, area=initiative.area)
    elif level not in LEVEL_ORDER:
        reject("level", _("Choose a recognition level."))
    evaluation = Evaluation(
        initiative=initiative,
        level=level,
        criteria_set=criteria_set,
        reviewer=person_of(actor),
        total=total,
        grade=_grade(criteria_set, total),
        comment=(comment or "").strip(),
    )
    before = upkeep.recognition_capture([initiative.pk])
    clean_and_save(evaluation)
    EvaluationScore.objects.bulk_create(
        EvaluationScore(evaluation=evaluation, criterion_id=pk, score=value)
        for pk, value in values.items()
    )
    upkeep.recognition_settle(before)
    notify_initiative_officers(
        initiative=initiative,
        kind="evaluated",
        message=lambda: (
            _("%(code)s was evaluated: %(total)s points %(grade)s")
            % {
                "code": initiative.code,
                "total": number_format(total, 2),
                "grade": evaluation.grade,
            }
        ),
        actor=actor,
        quiet=quiet,
    )
    return evaluation


def _require_local_account(user, area: Area | None) -> None:
    """Refuse to link an award to an account that is not active or works in no unit of the
    initiative's province: a write in one province never borrows another's people."""
    if not getattr(user, "is_active", False):
        reject("recipient_user", _("Link an active account, or none."))
    if area is None:
        return
    provinces = provinces_of(area)
    assignments = RoleAssignment.objects.filter(user=user).select_related(
        "area", "organisation__seat_area"
    )
    for assignment in assignments:
        seat = assignment.area or (
            assignment.organisation.seat_area if assignment.organisation else None
        )
        if seat is not None and provinces & provinces_of(seat):
            return
    reject(
        "recipient_user",
        _("Link only the account of a person working in this initiative's province."),
    )


def _recipient(
    *,
    kind: str,
    name: str,
    role: str,
    detail: str,
    user,
    area: Area | None,
) -> dict:
    """Check who an award goes to and return the award's recipient fields.

    The collective is the initiative's own organisation, so an award to it names no person; an
    award to a person needs the person's name and what they are (a resident, a household head,
    an officer…); an account is linked only when the person has one.
    """
    name, detail = (name or "").strip(), (detail or "").strip()
    if kind not in RecipientKind.values:
        reject("recipient_kind", _("Choose who receives the award: the collective or a person."))
    if kind == RecipientKind.COLLECTIVE:
        for field, value in (
            ("recipient_name", name),
            ("recipient_role", role),
            ("recipient_detail", detail),
            ("recipient_user", user),
        ):
            if value:
                reject(
                    field,
                    _(
                        "An award to the collective goes to the initiative's organisation: "
                        "name no person."
                    ),
                )
        return {
            "recipient_kind": kind,
            "recipient_name": "",
            "recipient_role": "",
            "recipient_detail": "",
            "recipient_user": None,
        }
    if not name:
        reject("recipient_name", _("Give the full name of the person awarded."), code="required")
    if not role:
        reject("recipient_role", _("Say what the person awarded is."), code="required")
    if role not in RecipientRole.values:
        reject("recipient_role", _("Choose the role of the person awarded."))
    if user is not None:
        _require_local_account(user, area)
    return {
        "recipient_kind": kind,
        "recipient_name": " ".join(name.split()),
        "recipient_role": role,
        "recipient_detail": detail,
        "recipient_user": user,
    }


@transaction.atomic
def award_propose(
    *,
    actor,
    initiative: Initiative,
    title: AwardTitle,
    level: str,
    form: AwardForm | None = None,
    recipient_kind: str = RecipientKind.COLLECTIVE,
    recipient_name: str = "",
    recipient_role: str = "",
    recipient_detail: str = "",
    recipient_user=None,
) -> Award:
    """Propose ``initiative`` for recognition at ``level``, for its collective (the default)
    or for one person who made it work."""
    require_on_initiative(actor, "initiative.award", initiative)
    _require_reviewable(initiative)
    if level not in LEVEL_ORDER:
        reject("level", _("Choose a recognition level."))
    recipient = _recipient(
        kind=recipient_kind,
        name=recipient_name,
        role=recipient_role,
        detail=recipient_detail,
        user=recipient_user,
        area=initiative.area,
    )
    award = Award(
        initiative=initiative,
        title=title,
        form=form,
        level=level,
        stage=AwardStage.PROPOSED,
        created_by=person_of(actor),
        **recipient,
    )
    before = upkeep.recognition_capture([initiative.pk])
    clean_and_save(award)
    upkeep.recognition_settle(before)
    return award


def notify_recognised(*, award: Award, actor, quiet: bool = False) -> None:
    """Tell the officers of the award's initiative that it was recognised, unless ``quiet``."""
    notify_initiative_officers(
        initiative=award.initiative,
        kind="awarded",
        message=lambda: (
            _("%(code)s was recognised: %(title)s")
            % {
                "code": award.initiative.code,
                "title": award.title.name,
            }
        ),
        actor=actor,
        quiet=quiet,
    )


def _apply_decision(award: Award, number: str, day, issuing_body: str) -> None:
    """Check and set the decision (number, date, issuing body) an award step rests on."""
    for field, value in {"decision_number": number, "issuing_body": issuing_body}.items():
        if not (value or "").strip():
            reject(field, _("This field is required."), code="required")
    if day is None or not str(day).strip():
        reject("decision_date", _("This field is required."), code="required")
    if not isinstance(day, datetime.date):
        reject("decision_date", _("Enter a valid date."))
    check_record_date(day, "decision_date")
    award.decision_number = number.strip()
    award.decision_date = day
    award.issuing_body = issuing_body.strip()


@transaction.atomic
def award_recognise(
    *,
    actor,
    award: Award,
    decision_number: str,
    decision_date: datetime.date,
    issuing_body: str,
    form: AwardForm | None = None,
    decision_file: UploadedFile | None = None,
    quiet: bool = False,
) -> Award:
    """Record the decision that recognises a proposed award; the initiative's officers are
    told unless ``quiet``."""
    require_on_initiative(actor, "initiative.award", award.initiative)
    if award.stage != AwardStage.PROPOSED:
        reject("stage", _("Only a proposed award can be recognised."))
    _apply_decision(award, decision_number, decision_date, issuing_body)
    award.stage = AwardStage.RECOGNISED
    attribute_to(award, actor)
    if form is not None:
        award.form = form
    if decision_file is not None:
        sniff_evidence(decision_file)
        award.decision_file.save(decision_file.name, decision_file, save=False)
    before = upkeep.recognition_capture([award.initiative_id])
    clean_and_save(award)
    upkeep.recognition_settle(before)
    notify_recognised(award=award, actor=actor, quiet=quiet)
    return award


def nomination_of(award: Award, *, person) -> Award:
    """The unsaved proposal at the next level that nominating ``award`` makes (the same
    collective or person goes up); refused unless the award is recognised below central."""
    if award.stage != AwardStage.RECOGNISED:
        reject("stage", _("Only a recognised award can be nominated to the next level."))
    index = LEVEL_ORDER.index(award.level)
    if index + 1 >= len(LEVEL_ORDER):
        reject("level", _("There is no level above central."))
    return Award(
        initiative=award.initiative,
        title=award.title,
        level=LEVEL_ORDER[index + 1],
        stage=AwardStage.PROPOSED,
        created_by=person,
        recipient_kind=award.recipient_kind,
        recipient_name=award.recipient_name,
        recipient_role=award.recipient_role,
        recipient_detail=award.recipient_detail,
        recipient_user=award.recipient_user,
    )


@transaction.atomic
def award_nominate(*, actor, award: Award) -> Award:
    """Nominate a recognised award's initiative to the next level; returns the new proposal."""
    require_on_initiative(actor, "initiative.award", award.initiative)
    nomination = nomination_of(award, person=person_of(actor))
    before = upkeep.recognition_capture([award.initiative_id])
    clean_and_save(nomination)
    award.stage = AwardStage.NOMINATED
    award.nominated_to = nomination
    clean_and_save(award)
    upkeep.recognition_settle(before)
    return nomination


@transaction.atomic
def award_commend(
    *,
    actor,
    award: Award,
    decision_number: str,
    decision_date: datetime.date,
    issuing_body: str,
    quiet: bool = False,
) -> Award:
    """Record the commendation decision that closes an award's path.

    A proposal can be commended directly; a recognised award takes the commendation's decision
    (the recognition's decision stays in the award's history).
    """
    require_on_initiative(actor, "initiative.award", award.initiative)
    if award.stage not in {AwardStage.RECOGNISED, AwardStage.PROPOSED}:
        reject("stage", _("This award has already been nominated or commended."))
    if award.stage == AwardStage.PROPOSED:
        award_recognise(
            actor=actor,
            award=award,
            decision_number=decision_number,
            decision_date=decision_date,
            issuing_body=issuing_body,
            quiet=quiet,
        )
    else:
        _apply_decision(award, decision_number, decision_date, issuing_body)
    # After the recognition above, which moved the figures itself.
    before = upkeep.recognition_capture([award.initiative_id])
    attribute_to(award, actor)
    award.stage = AwardStage.COMMENDED
    clean_and_save(award)
    upkeep.recognition_settle(before)
    return award
