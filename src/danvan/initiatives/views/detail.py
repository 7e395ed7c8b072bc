"""``/initiatives/<pk>/``: everything about one initiative, its photos and files, and the
workflow actions the person may take on it."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.accounts.scope import can
from danvan.core.downloads import file_download
from danvan.core.forms import apply_errors
from danvan.core.http import id_or_404, or_404
from danvan.initiatives.catalogues import (
    CONTRIBUTION_UNITS,
    ContributionKind,
    ContributorType,
    EvidenceKind,
    Unit,
)
from danvan.initiatives.forms import TransitionForm
from danvan.initiatives.lifecycle import (
    TRANSITIONS,
    allowed_transitions,
    initiative_can_continue,
    initiative_can_delete,
    initiative_can_edit,
    initiative_can_mark_exemplary,
    initiative_can_replicate,
    initiative_transition,
)
from danvan.initiatives.models import Evidence, Initiative
from danvan.initiatives.selectors import (
    area_label,
    contribution_ledger,
    evidence_of,
    initiative_list,
    initiative_return_reason,
    initiative_visible,
    initiatives_linkable,
    replication_chain,
)
from danvan.initiatives.views.thumbnails import ensure_thumbnail
from danvan.review.selectors import awards_of, evaluations_of, initiative_timeline
from danvan.stats.participants import initiative_participants
from danvan.stats.selectors import initiative_contribution_totals

MONEY_KINDS = frozenset({ContributionKind.MONEY, ContributionKind.IN_KIND})


def contribution_unit_label(kind: str) -> str:
    """The unit an amount of ``kind`` is shown with ("m²"); none for money, shown as money."""
    unit = CONTRIBUTION_UNITS[kind]
    return "" if unit == Unit.VND else Unit(unit).label


def _ledger_rows(initiative: Initiative) -> list[dict]:
    return [
        {
            "entry": entry,
            "is_money": entry.kind in MONEY_KINDS,
            "unit": contribution_unit_label(entry.kind),
            "is_correction": entry.corrects_id is not None,
        }
        for entry in contribution_ledger(initiative=initiative)
    ]


def _counted(counts: dict[str, int]) -> list[dict]:
    """Each kind of contributor with its count: households and people are never one figure."""
    return [
        {"type": kind, "label": ContributorType(kind).label, "count": count}
        for kind, count in counts.items()
    ]


def _total_rows(initiative: Initiative, participants: dict) -> list[dict]:
    totals = initiative_contribution_totals(initiative=initiative)
    return [
        {
            "kind": kind,
            "label": ContributionKind(kind).label,
            "is_money": kind in MONEY_KINDS,
            "unit": contribution_unit_label(kind),
            "by_type": _counted(participants["by_kind"].get(kind, {})),
            **totals[kind],
        }
        for kind in ContributionKind.values
    ]


def progress_percent(value: Decimal, target: Decimal | None) -> Decimal | None:
    """Return how far ``value`` got towards ``target``, in percent to one decimal (None without
    a target). A ratio of one result, not a figure summed over several."""
    if target is None or target <= 0:
        return None
    return (Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _result_rows(initiative: Initiative) -> list[dict]:
    rows = []
    for result in initiative.results.all():
        progress = progress_percent(result.value, result.target)
        rows.append(
            {
                "result": result,
                "is_percent": result.indicator.unit == Unit.PERCENT,
                "unit": result.indicator.get_unit_display(),
                "progress": progress,
                "bar": min(int(progress), 100) if progress is not None else None,
            }
        )
    return rows


def _chain(request, initiative: Initiative) -> dict:
    """The replication chain, showing only the initiatives the person may read or the public
    may."""
    chain = replication_chain(initiative=initiative)
    everyone = [*chain["ancestors"], *chain["descendants"]]
    # A showcased model of another unit is public: its replications name it.
    visible = set(
        initiatives_linkable(actor=request.user)
        .filter(pk__in=[item.pk for item in everyone])
        .values_list("pk", flat=True)
    )
    readable = set(
        initiative_list(actor=request.user).filter(pk__in=visible).values_list("pk", flat=True)
    )
    for item in everyone:
        # One the person may not read opens on the showcase, where the public reads it.
        item.in_scope = item.pk in readable
    return {
        "ancestors": [item for item in chain["ancestors"] if item.pk in visible],
        "descendants": [item for item in chain["descendants"] if item.pk in visible],
        "hidden": sum(1 for item in everyone if item.pk not in visible),
    }


def _may(request, action: str, initiative: Initiative) -> bool:
    return can(
        request.user, action, area=initiative.area, organisation_id=initiative.organisation_id
    )


def detail_context(request, initiative: Initiative, *, action_forms: dict | None = None) -> dict:
    """Return what the detail page shows; ``action_forms`` carries a refused action's form."""
    action_forms = action_forms or {}
    evidence = list(initiative.evidence.all())
    participants = initiative_participants(initiative=initiative)
    transitions = [
        {"transition": t, "form": action_forms.get(t.name) or TransitionForm(prefix=t.name)}
        for t in allowed_transitions(actor=request.user, initiative=initiative)
    ]
    return {
        "initiative": initiative,
        "area_path": area_label(initiative.area),
        "ledger": _ledger_rows(initiative),
        "totals": _total_rows(initiative, participants),
        "taking_part": _counted(participants["taking_part"]),
        "results": _result_rows(initiative),
        "photos": [item for item in evidence if item.content_type.startswith("image/")],
        "documents": [item for item in evidence if not item.content_type.startswith("image/")],
        "chain": _chain(request, initiative),
        "return_reason": initiative_return_reason(initiative=initiative),
        "timeline": initiative_timeline(initiative=initiative),
        "awards": awards_of(initiative=initiative),
        "evaluations": evaluations_of(initiative=initiative),
        "transitions": transitions,
        "can_edit": initiative_can_edit(actor=request.user, initiative=initiative),
        "can_delete": initiative_can_delete(actor=request.user, initiative=initiative),
        "can_continue": initiative_can_continue(actor=request.user, initiative=initiative),
        "can_mark_exemplary": initiative_can_mark_exemplary(
            actor=request.user, initiative=initiative
        ),
        "can_replicate": initiative_can_replicate(actor=request.user, initiative=initiative),
        "can_add_contribution": _may(request, "contribution.add", initiative),
        "can_add_result": _may(request, "result.add", initiative),
        "can_add_evidence": _may(request, "evidence.add", initiative),
        "photo_kind": EvidenceKind.PHOTO,
    }


@login_required
@require_GET
def initiative_detail_page(request, pk):
    initiative = or_404(initiative_visible, actor=request.user, pk=pk, full=True)
    return render(request, "initiatives/detail.html", detail_context(request, initiative))


@login_required
@require_POST
def initiative_action(request, pk, name):
    """Apply one workflow action; a refusal shows on the detail page next to its button."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    if name not in TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST, prefix=name)
    if form.is_valid():
        try:
            initiative_transition(
                actor=request.user,
                initiative=initiative,
                name=name,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(action)s: done. The initiative is now %(status)s.")
                % {
                    "action": TRANSITIONS[name].label,
                    "status": initiative.get_status_display().lower(),
                },
            )
            return redirect("initiatives:detail", pk=initiative.pk)
    fresh = or_404(initiative_visible, actor=request.user, pk=pk, full=True)
    context = detail_context(request, fresh, action_forms={name: form})
    context["failed_action"] = name
    if not any(item["transition"].name == name for item in context["transitions"]):
        # The action is no longer offered (someone else moved the initiative on): say why.
        context["action_error"] = form.non_field_errors() or form.errors.get("reason")
    return render(request, "initiatives/detail.html", context)


def _evidence_or_404(request, pk, evidence_pk) -> Evidence:
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    return or_404(evidence_of, initiative=initiative, pk=id_or_404(evidence_pk))


@login_required
@require_GET
def evidence_thumbnail(request, pk, evidence_pk):
    """Serve a photo's thumbnail to a person who may read its initiative (404 to others)."""
    evidence = _evidence_or_404(request, pk, evidence_pk)
    path = ensure_thumbnail(evidence)
    if path is None:
        raise Http404
    return file_download(
        path, content_type="image/jpeg", inline=True, cache="private, max-age=86400"
    )


@login_required
@require_GET
def evidence_file(request, pk, evidence_pk):
    """Serve an attachment with the type found when it was uploaded; photos open in the page,
    documents download."""
    evidence = _evidence_or_404(request, pk, evidence_pk)
    return file_download(
        evidence.file,
        content_type=evidence.content_type,
        inline=evidence.content_type.startswith("image/"),
    )
