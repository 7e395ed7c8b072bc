"""``{% reviewer_actions initiative %}``: the commission's actions on an initiative's page.

Each button shows exactly when the lifecycle (or the review rules) would allow its action now,
asked through the same checks the actions run, so a button never leads to a refusal and an
action allowed is never hidden (proposing an award stays offered after an evaluation).
"""

from django import template
from django.db.models import Q

from danvan.accounts.scope import provinces_of
from danvan.initiatives.lifecycle import (
    initiative_can_continue,
    initiative_can_mark_exemplary,
    initiative_can_replicate,
    initiative_can_review,
)
from danvan.review.models import RegistrationRound

register = template.Library()


@register.inclusion_tag("review/_reviewer_actions.html", takes_context=True)
def reviewer_actions(context, initiative):
    user = context["request"].user
    can_continue = initiative_can_continue(actor=user, initiative=initiative)
    rounds = []
    if can_continue:
        area = initiative.area
        provinces = provinces_of(area) | {int(area.path.split(".")[0]) if area.path else area.pk}
        rounds = list(
            RegistrationRound.objects.filter(year__gt=initiative.year)
            .filter(Q(area__isnull=True) | Q(area_id__in=provinces))
            .select_related("area")
            .order_by("year", "area__name")
        )
    actions = {
        "initiative": initiative,
        "can_evaluate": initiative_can_review(
            actor=user, initiative=initiative, action="initiative.evaluate"
        ),
        "can_award": initiative_can_review(
            actor=user, initiative=initiative, action="initiative.award"
        ),
        "can_mark_exemplary": initiative_can_mark_exemplary(actor=user, initiative=initiative),
        "can_replicate": initiative_can_replicate(actor=user, initiative=initiative),
        "can_continue": can_continue,
        "rounds": rounds,
        "csrf_token": context.get("csrf_token"),
    }
    actions["any"] = any(
        actions[name]
        for name in (
            "can_evaluate",
            "can_award",
            "can_mark_exemplary",
            "can_replicate",
            "can_continue",
        )
    )
    return actions
