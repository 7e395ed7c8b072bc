"""The permission layer, as the apps below it reach it.

``danvan.accounts.scope`` decides who may do what, where. It reads the administrative tree, so
the areas and organisations apps (which it stands on) cannot import it; they ask here, and the
accounts app registers its scope module when Django starts (``AccountsConfig.ready``). The
rules stay in one place; this module only forwards. A missing policy refuses everything.
"""

from django.core.exceptions import ImproperlyConfigured

_policy = None


def register(policy) -> None:
    """Make ``policy`` (the accounts app's ``scope`` module) answer every question here."""
    global _policy
    _policy = policy


def _the_policy():
    if _policy is None:
        raise ImproperlyConfigured("danvan.accounts is not installed: nobody may act.")
    return _policy


def require(user, action: str, *, area=None, organisation_id: int | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action`` there."""
    _the_policy().require(user, action, area=area, organisation_id=organisation_id)


def scope_q(user, action: str = "initiative.view", **fields):
    """Return a filter for the rows ``user`` may act on with ``action``."""
    return _the_policy().scope_q(user, action, **fields)
