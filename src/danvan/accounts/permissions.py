"""Who may write where, asked before a request body is read.

A viewer who POSTs an invalid contribution must learn that they may not write there (403), not
which of their values were wrong (400): the order tells a caller what they are allowed to probe.
Each viewset names, per action, the permission of ``danvan.accounts.scope`` it needs
(``write_permissions``) and the record it acts on (``write_target``); this class asks the
permission layer before the handler runs. It repeats no rule: the service still checks
everything, with the body, as the last line.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from danvan.accounts.scope import can, holds


def _seat(target) -> dict:
    """Return where ``target`` sits, as ``can`` takes it."""
    if target is None:
        return {}
    initiative = getattr(target, "initiative", None)
    if initiative is not None:  # an award, an entry of a ledger: its initiative decides
        target = initiative
    if hasattr(target, "seat_area"):  # an organisation, managed where it sits
        return {"area": target.seat_area}
    return {"area": target.area, "organisation_id": target.organisation_id}


class WriteScope(BasePermission):
    """Refuse a write (403) unless the caller holds its permission for the target."""

    message = _("You do not have permission to do this here.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        needed = getattr(view, "write_permissions", {}).get(getattr(view, "action", None))
        if not needed:
            return True
        actions = (needed,) if isinstance(needed, str) else tuple(needed)
        target = view.write_target() if hasattr(view, "write_target") else None
        if target is None:
            return any(holds(request.user, action) for action in actions)
        seat = _seat(target)
        return any(can(request.user, action, **seat) for action in actions)
