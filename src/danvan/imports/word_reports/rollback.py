"""Undo an applied Word-report import: its results, its ledger entries, the models it added.

Everything the apply wrote carries the batch's cause on its history rows. Results are removed
through ``result_delete``; ledger entries on initiatives that existed before are cancelled by a
correction to zero (the ledger is append-only); the initiatives the report added go with their
entries, the statistics moved by the rollups' capture and settle. It is refused, naming the
initiatives, when any of them changed or gained anything since, or when an entry was corrected:
rolling back would otherwise erase someone's later work.
"""

from django.utils.translation import gettext as _

from danvan.accounts.scope import SYSTEM, require_on_initiative
from danvan.core.history import attribute_to
from danvan.core.validation import reject
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.initiatives.services import contribution_correct, result_delete
from danvan.stats import rollups


def _created(model, reason: str) -> set[int]:
    return set(
        model.history.filter(history_change_reason=reason, history_type="+").values_list(
            "id", flat=True
        )
    )


def rollback_word_report(actor, reason: str) -> None:
    """Undo the import whose history rows carry ``reason``, inside the caller's transaction."""
    initiative_ids = _created(Initiative, reason)
    contribution_ids = _created(Contribution, reason)
    result_ids = _created(Result, reason)
    initiatives = list(
        Initiative.objects.select_related("area", "organisation").filter(pk__in=initiative_ids)
    )
    contributions = list(
        Contribution.objects.select_related("initiative__area").filter(pk__in=contribution_ids)
    )
    results = list(Result.objects.select_related("initiative__area").filter(pk__in=result_ids))
    for initiative in initiatives:
        require_on_initiative(actor, "history.restore", initiative)
    for entry in [*contributions, *results]:
        require_on_initiative(actor, "history.restore", entry.initiative)
    blocked = set()
    own_rows = dict(
        Initiative.history.filter(history_change_reason=reason, history_type="+").values_list(
            "id", "history_id"
        )
    )
    later = Initiative.history.filter(id__in=initiative_ids).values_list("id", "history_id")
    blocked |= {pk for pk, history_id in later if history_id > own_rows.get(pk, 0)}
    for initiative in initiatives:
        other_entries = initiative.contributions.exclude(pk__in=contribution_ids).exists()
        other_results = initiative.results.exclude(pk__in=result_ids).exists()
        if (
            other_entries
            or other_results
            or initiative.evidence.exists()
            or initiative.status_changes.exists()
        ):
            blocked.add(initiative.pk)
    corrected = {entry.initiative.code for entry in contributions if entry.corrections.exists()}
    if blocked or corrected:
        codes = {i.code for i in initiatives if i.pk in blocked} | corrected
        reject(
            "status",
            _(
                "These initiatives changed after the import, so it cannot be rolled back "
                "without losing that work: %(codes)s."
            )
            % {"codes": ", ".join(sorted(codes))},
        )
    for result in results:
        result_delete(actor=SYSTEM, result=result)
    for entry in contributions:
        if entry.initiative_id in initiative_ids or (entry.amount == 0 and not entry.contributors):
            continue  # goes with its initiative, or there is nothing to cancel
        contribution_correct(
            actor=SYSTEM, entry=entry, amount=0, contributors=0, reason=f"rollback of {reason}"
        )
    if initiatives:
        before = rollups.capture([initiative.pk for initiative in initiatives])
        Contribution.objects.filter(initiative_id__in=initiative_ids).delete()
        for initiative in initiatives:
            attribute_to(initiative, actor)
            initiative.tags.clear()
            initiative.co_organisations.clear()
            initiative.delete()
        rollups.settle(before)
