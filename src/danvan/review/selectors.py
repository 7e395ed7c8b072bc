"""Reads for reviewers: the workflow trail, evaluations, awards and the audit timeline."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.models import Role
from danvan.accounts.scope import is_superadmin, person_of, role_grants, scope_q
from danvan.areas.models import Area, AreaLevel
from danvan.areas.selectors import area_covering_ids, area_historical_predecessors
from danvan.core.history_words import NameCache, change_in_words
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle.rules import REVIEWABLE
from danvan.initiatives.models import Contribution, Evidence, Initiative, Result, StatusChange
from danvan.initiatives.selectors import initiative_list
from danvan.review.models import (
    Award,
    AwardStage,
    CriteriaSet,
    Evaluation,
    RecognitionLevel,
    RegistrationRound,
)

_HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
_SKIPPED_FIELDS = {"version", "updated_at", "created_at", "title_folded", "status"}


@dataclass
class TimelineEntry:
    """One event in an initiative's life, for the timeline on its page."""

    at: datetime.datetime
    actor: str
    kind: str
    subject: str
    summary: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    history_id: int | None = None
    # The event as one sentence ("Lê Thị Mai đã trả lại: thiếu biên bản"), for workflow steps.
    sentence: str = ""


# A workflow step as people say it, by the lifecycle's name for the step.
_STEPS_DONE = {
    "submit": gettext_lazy("%(actor)s submitted it"),
    "register": gettext_lazy("%(actor)s registered it"),
    "return": gettext_lazy("%(actor)s returned it"),
    "start": gettext_lazy("%(actor)s started it"),
    "complete": gettext_lazy("%(actor)s marked it completed"),
    "discontinue": gettext_lazy("%(actor)s discontinued it"),
}


def _step_in_words(change: StatusChange) -> str:
    actor = _who(change.actor)
    phrase = _STEPS_DONE.get(change.transition)
    if phrase is None:
        done = _("%(actor)s set the status to %(status)s") % {
            "actor": actor,
            "status": change.get_to_status_display(),
        }
    else:
        done = phrase % {"actor": actor}
    if change.reason:
        return _("%(done)s: %(reason)s") % {"done": done, "reason": change.reason}
    return done


def _who(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _changes(record, model, names: NameCache) -> list[tuple[str, str, str]]:
    """What a history row changed, in words (labels, names, dates), never raw values."""
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    return [
        change_in_words(model, change.field, change.old, change.new, names)
        for change in delta.changes
        if change.field not in _SKIPPED_FIELDS
    ]


def _history_entries(records, model, subject: str) -> list[TimelineEntry]:
    entries = []
    names = NameCache()
    for record in records:
        entries.append(
            TimelineEntry(
                at=record.history_date,
                actor=_who(record.history_user),
                kind=_HISTORY_TYPES.get(record.history_type, "changed"),
                subject=subject,
                summary=record.history_change_reason or "",
                changes=_changes(record, model, names) if record.history_type == "~" else [],
                history_id=record.history_id,
            )
        )
    return entries


def initiative_timeline(*, initiative: Initiative) -> list[TimelineEntry]:
    """Return who changed what and when, newest first: facts, ledger, results, evidence,
    workflow steps with their reasons, evaluations and awards."""
    history = initiative.history.select_related("history_user").order_by("history_date")
    entries = [
        entry
        for entry in _history_entries(history, Initiative, str(Initiative._meta.verbose_name))
        # A workflow step shows once, as a transition with its reason, not again as an edit.
        if entry.kind != "changed" or entry.changes
    ]
    related = [
        (Contribution, Contribution.history),
        (Result, Result.history),
        (Evidence, Evidence.history),
        (Evaluation, Evaluation.history),
        (Award, Award.history),
    ]
    for model, manager in related:
        records = (
            manager.filter(initiative_id=initiative.pk)
            .select_related("history_user")
            .order_by("history_date")
        )
        if model is Evaluation:
            # A grade brought in from a commission's archive says so.
            archived = [record for record in records if record.archived]
            records = [record for record in records if not record.archived]
            entries += _history_entries(archived, model, _("evaluation from the archive"))
        entries += _history_entries(records, model, str(model._meta.verbose_name))
    for change in StatusChange.objects.filter(initiative=initiative).select_related("actor"):
        entries.append(
            TimelineEntry(
                at=change.at,
                actor=_who(change.actor),
                kind="transition",
                subject=change.get_to_status_display(),
                summary=change.reason,
                sentence=_step_in_words(change),
                changes=[
                    (
                        str(_("status")),
                        change.get_from_status_display(),
                        change.get_to_status_display(),
                    )
                ],
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def rounds_open_on(*, day: datetime.date) -> QuerySet[RegistrationRound]:
    """Return the rounds accepting registrations on ``day``."""
    return RegistrationRound.objects.filter(opens_on__lte=day, closes_on__gte=day)


def award_list(*, actor) -> QuerySet[Award]:
    """Return the awards of the initiatives ``actor`` may read, newest first."""
    return (
        Award.objects.filter(initiative__in=initiative_list(actor=actor).values("pk"))
        .select_related("initiative", "initiative__organisation", "title", "form")
        .order_by("-created_at", "-id")
    )


def awards_of(*, initiative: Initiative) -> QuerySet[Award]:
    return initiative.awards.select_related("title", "form", "initiative__organisation").order_by(
        "created_at"
    )


def evaluations_of(*, initiative: Initiative) -> QuerySet[Evaluation]:
    return initiative.evaluations.select_related("criteria_set", "reviewer").prefetch_related(
        "scores__criterion"
    )


# --- The reviewer's queue -------------------------------------------------------------------

# The recognition level a reviewer decides at, from the level of the unit they review.
_LEVEL_OF_AREA = {
    AreaLevel.PROVINCE: RecognitionLevel.PROVINCE,
    AreaLevel.DISTRICT: RecognitionLevel.DISTRICT,
    AreaLevel.COMMUNE: RecognitionLevel.COMMUNE,
    AreaLevel.LOCAL: RecognitionLevel.COMMUNE,
}


def current_round_year(*, today: datetime.date | None = None) -> int:
    """Return the year of the newest registration round that has opened by ``today``.

    Rounds open once a year; the newest one that has opened is the one reviewers work on. With
    no round at all, the calendar year stands in.
    """
    today = today or timezone.localdate()
    year = (
        RegistrationRound.objects.filter(opens_on__lte=today)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or today.year


def queue_submissions(*, actor) -> QuerySet[Initiative]:
    """Return the submissions waiting for ``actor`` to register or return, oldest first."""
    return (
        Initiative.objects.filter(scope_q(actor, "initiative.register"), status=Status.SUBMITTED)
        .select_related("organisation", "area")
        .order_by("updated_at", "code")
    )


def queue_evaluations_due(*, actor, year: int | None) -> QuerySet[Initiative]:
    """Return the initiatives ``actor`` should still evaluate in the round of ``year``.

    Due means: in the actor's evaluation scope, registered, running or completed (the states
    that can be evaluated), registered for ``year`` (any year when None), and not yet
    evaluated by this reviewer — another reviewer's evaluation does not take it off this one's
    list.
    """
    evaluated = Evaluation.objects.filter(initiative=OuterRef("pk"), reviewer=person_of(actor))
    years = {} if year is None else {"year": year}
    return (
        Initiative.objects.filter(
            scope_q(actor, "initiative.evaluate"), status__in=REVIEWABLE, **years
        )
        .filter(~Exists(evaluated))
        .select_related("organisation", "area")
        .order_by("code")
    )


def _reviewer_grants(actor) -> list:
    """``actor``'s reviewer assignments, from those read once per person object."""
    if getattr(actor, "pk", None) is None:
        return []
    return [grant for grant in role_grants(actor) if grant.role == Role.REVIEWER]


def reviewer_levels(*, actor) -> set[str]:
    """Return the recognition levels ``actor`` decides at: the level of each unit they review.

    A nationwide reviewer decides at central level; a super administrator at every level.
    """
    if is_superadmin(actor):
        return set(RecognitionLevel.values)
    levels: set[str] = set()
    for grant in _reviewer_grants(actor):
        area = grant.area or grant.organisation_seat
        if area is None:
            levels.add(RecognitionLevel.CENTRAL)
        else:
            levels.add(_LEVEL_OF_AREA.get(area.level, RecognitionLevel.COMMUNE))
    return levels


def _holds(unit: Area, area: Area) -> bool:
    """Whether ``unit``'s territory holds ``area``: its subtree, or one of the units it took
    over (a reviewer of today's province scores a model of a commune of 2024)."""
    for root in (unit, *area_historical_predecessors(area=unit)):
        if area.pk == root.pk or area.path.startswith(root.subtree_prefix):
            return True
    return False


def reviewer_level_for(*, actor, area: Area | None) -> str:
    """Return the level ``actor`` evaluates ``area``'s initiatives at: that of the most local
    unit they review which holds ``area`` (a district reviewer scoring a commune's model scores
    it at district level). Blank when no unit of theirs holds it (a super administrator)."""
    if area is None:
        return ""
    found: tuple[int, str] | None = None
    for grant in _reviewer_grants(actor):
        unit = grant.area or grant.organisation_seat
        if unit is None:
            candidate = (-1, RecognitionLevel.CENTRAL.value)
        elif _holds(unit, area):
            candidate = (unit.depth, _LEVEL_OF_AREA.get(unit.level, RecognitionLevel.COMMUNE))
        else:
            continue
        if found is None or candidate[0] > found[0]:
            found = candidate
    return str(found[1]) if found else ""


def queue_nominations(*, actor) -> QuerySet[Award]:
    """Return the award proposals waiting for a decision at ``actor``'s level, oldest first.

    A proposal is an award at stage "proposed": made at this level, or arrived by nomination
    from the level below (``nominated_from`` is then set). Recognised awards were decided.
    """
    condition = scope_q(
        actor,
        "initiative.award",
        area_field="initiative__area",
        organisation_field="initiative__organisation",
    )
    return (
        Award.objects.filter(
            condition, stage=AwardStage.PROPOSED, level__in=reviewer_levels(actor=actor)
        )
        .select_related("initiative", "initiative__area", "title", "form")
        .prefetch_related("nominated_from")
        .order_by("created_at", "id")
    )


DECIDED_STAGES = (AwardStage.RECOGNISED, AwardStage.NOMINATED, AwardStage.COMMENDED)


def awards_for_documents(
    *, actor, level: str, year: int | None = None, decision_number: str = ""
) -> QuerySet[Award]:
    """Return the recognised awards at ``level`` that ``actor`` may decide on (the reviewer's
    award scope), for the decision and its certificates: of the initiatives of ``year`` and
    of one decision when given, the collectives' and the individuals' alike."""
    condition = scope_q(
        actor,
        "initiative.award",
        area_field="initiative__area",
        organisation_field="initiative__organisation",
    )
    awards = Award.objects.filter(condition, level=level, stage__in=DECIDED_STAGES)
    if year is not None:
        awards = awards.filter(initiative__year=year)
    if decision_number:
        awards = awards.filter(decision_number=decision_number)
    return awards.select_related(
        "initiative", "initiative__organisation__seat_area", "title", "form"
    ).order_by("initiative__code", "id")


def criteria_sets_for(*, initiative: Initiative) -> list[CriteriaSet]:
    """Return the criteria sets that may score ``initiative``, the most specific first.

    The set of the initiative's own round comes first, then its province's sets for a round of
    its year, its province's sets without a round, the national ones; last, the sets of earlier
    rounds, newest first, so a province that has not yet written this year's criteria can
    still evaluate with last year's. A province's set written under the legacy list applies to
    the units that carry it on today. When the initiative's round has a set of its own, only
    that round's sets are returned. ``evaluation_create`` accepts exactly these sets.
    """
    covering = area_covering_ids(area=initiative.area)
    for ancestor in Area.objects.filter(pk__in=covering):
        covering |= set(area_historical_predecessors(area=ancestor).values_list("pk", flat=True))
    candidates = (
        CriteriaSet.objects.filter(Q(area__isnull=True) | Q(area_id__in=covering))
        .select_related("round")
        .prefetch_related("criteria")
        .order_by("name", "id")
    )

    def rank(criteria_set: CriteriaSet) -> tuple[int, int]:
        if initiative.round_id and criteria_set.round_id == initiative.round_id:
            return (0, 0)
        if criteria_set.round_id and criteria_set.round.area_id not in (None, *covering):
            return (9, 0)  # the set of another province's round
        national = criteria_set.area_id is None
        if criteria_set.round_id is None:
            return (4 if national else 2, 0)
        year = criteria_set.round.year
        if year == initiative.year:
            return (3 if national else 1, 0)
        if year < initiative.year:
            return (5, initiative.year - year)
        return (9, 0)  # a later round's criteria did not exist when it was registered

    ranked = [item for item in sorted(candidates, key=rank) if rank(item)[0] < 9]
    own_round = [criteria_set for criteria_set in ranked if rank(criteria_set)[0] == 0]
    # When the initiative's own round has its set, that set is the round's rule: the others
    # (last year's, the province's general one) are no longer offered nor accepted.
    return own_round or ranked
