"""The units a person may read the figures of, as the dashboard and the report form offer them.

The same list on every page that asks for a unit, built from the same grants that
``danvan.accounts.scope.can_see_unit`` checks, so what is offered is what is allowed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import grants_for, is_superadmin
from danvan.areas.models import Area, CodeScheme
from danvan.stats.models import AS_WAS, RESTATED

MODES = {AS_WAS: gettext_lazy("As it was"), RESTATED: gettext_lazy("Restated on current units")}


@dataclass
class UnitChoice:
    """One unit in the dashboard's selector; ``area`` None is the whole country."""

    area: Area | None
    label: str
    depth: int = 0

    @property
    def value(self) -> str:
        return "" if self.area is None else str(self.area.pk)


def unit_choices(user) -> list[UnitChoice]:
    """Return the units ``user`` may pick: the country for nationwide people, each assigned
    unit and the units one level below it, and the seat of an organisation they are bound to."""
    choices: list[UnitChoice] = []
    seen: set[int | None] = set()

    def add(area: Area | None, depth: int, label: str | None = None) -> None:
        key = None if area is None else area.pk
        if key in seen:
            return
        seen.add(key)
        choices.append(UnitChoice(area, label or str(area), depth))

    def add_with_children(area: Area | None) -> None:
        if area is None:
            add(None, 0, _("Whole country"))
            children = Area.objects.filter(scheme=CodeScheme.CURRENT, parent=None)
        else:
            add(area, 0)
            children = Area.objects.filter(parent=area)
        for child in children.current().order_by("name") if area is None else children:
            add(child, 1)

    grants = grants_for(user, "figures.view")
    if is_superadmin(user) or any(grant.everywhere for grant in grants):
        add_with_children(None)
    for grant in grants:
        if grant.area is not None:
            add_with_children(grant.area)
        elif grant.organisation_seat is not None:
            add(grant.organisation_seat, 0)
    return choices
