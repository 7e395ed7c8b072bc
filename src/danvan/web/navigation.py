"""What the top bar shows a person: the pages their roles open, and their scope in short.

The menu only hides links a person could not use; every page still checks permission itself.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.models import Role
from danvan.accounts.scope import holds, is_superadmin, role_grants


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    action: str | None  # the scope action that opens the page; None: every signed-in person


NAV_ITEMS = (
    NavItem("/", gettext_lazy("Dashboard"), None),
    NavItem("/initiatives/", gettext_lazy("Initiatives"), "initiative.view"),
    NavItem("/review/", gettext_lazy("Review"), "initiative.register"),
    NavItem("/areas/", gettext_lazy("Areas"), "initiative.view"),
    NavItem("/organisations/", gettext_lazy("Organisations"), "initiative.view"),
    NavItem("/people/", gettext_lazy("People"), "user.manage"),
    NavItem("/reports/", gettext_lazy("Reports"), "initiative.view"),
    NavItem("/imports/", gettext_lazy("Imports"), "initiative.create"),
)


def nav_items_for(user) -> list[NavItem]:
    """Return the main pages ``user``'s roles open, in menu order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAV_ITEMS if item.action is None or holds(user, item.action)]


def scope_labels(user) -> list[str]:
    """Return one short line per role assignment: "Reviewer · Tỉnh Hà Tĩnh"."""
    if not getattr(user, "is_authenticated", False):
        return []
    labels = []
    for grant in role_grants(user):  # the assignments the page's scopes read already
        if grant.role == Role.SUPERADMIN:
            where = _("everywhere")
        elif grant.nationwide:
            where = _("nationwide")
        else:
            where = " / ".join(str(part) for part in (grant.area, grant.organisation) if part)
        labels.append(f"{Role(grant.role).label} · {where}")
    if not labels and is_superadmin(user):
        labels.append(_("Super administrator"))
    return labels
