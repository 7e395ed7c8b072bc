"""Reads for reviewers: the workflow trail, evaluations, awards and the audit timeline."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danvan.initiatives.models import Contribution, Evidence, Initiative, Result
from danvan.initiatives.selectors import initiative_list
from danvan.review.models import Award, Evaluation, RegistrationRound, StatusChange

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


def _who(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _changes(record, model) -> list[tuple[str, str, str]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    changes = []
    for change in delta.changes:
        if change.field in _SKIPPED_FIELDS:
            continue
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except Exception:
            label = change.field
        changes.append((label, "" if change.old is None else str(change.old), str(change.new)))
    return changes


def _history_entries(records, model, subject: str) -> list[TimelineEntry]:
    entries = []
    for record in records:
        entries.append(
            TimelineEntry(
                at=record.history_date,
                actor=_who(record.history_user),
                kind=_HISTORY_TYPES.get(record.history_type, "changed"),
                subject=subject,
                summary=record.history_change_reason or "",
                changes=_changes(record, model) if record.history_type == "~" else [],
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
        entries += _history_entries(records, model, str(model._meta.verbose_name))
    for change in StatusChange.objects.filter(initiative=initiative).select_related("actor"):
        entries.append(
            TimelineEntry(
                at=change.at,
                actor=_who(change.actor),
                kind="transition",
                subject=change.get_to_status_display(),
                summary=change.reason,
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
        .select_related("initiative", "title", "form")
        .order_by("-created_at", "-id")
    )


def awards_of(*, initiative: Initiative) -> QuerySet[Award]:
    return initiative.awards.select_related("title", "form").order_by("created_at")


def evaluations_of(*, initiative: Initiative) -> QuerySet[Evaluation]:
    return initiative.evaluations.select_related("criteria_set", "reviewer").prefetch_related(
        "scores__criterion"
    )
