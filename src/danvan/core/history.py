"""History rows are evidence: once written, they are never changed.

django-simple-history writes a row per change; this guard refuses any later update or deletion
of such a row through the ORM, so neither the admin nor a bug can rewrite the trail. Restoring
an earlier version writes a new change instead.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords


class ImmutableHistoricalQuerySet(HistoricalQuerySet):
    """Refuses the bulk ``update()`` and ``delete()`` that bypass the per-row guards."""

    def update(self, **kwargs):
        raise PermissionDenied(_("History rows cannot be changed."))

    def delete(self):
        raise PermissionDenied(_("History rows cannot be deleted."))


def AuditedHistory(**kwargs) -> HistoricalRecords:
    """Return django-simple-history's field with immutable history rows."""
    return HistoricalRecords(historical_queryset=ImmutableHistoricalQuerySet, **kwargs)


def attribute_to(instance, actor) -> None:
    """Record ``actor`` as the author of the next history row of ``instance``.

    Inside a web request the history middleware knows the user; services set it explicitly so
    that changes made by the API, imports and commands are attributed too.
    """
    if getattr(actor, "pk", None) and not getattr(actor, "is_system", False):
        instance._history_user = actor  # the same test as accounts.scope.person_of


def _is_history_model(model) -> bool:
    return hasattr(model, "instance_type") and any(
        field.name == "history_id" for field in model._meta.fields
    )


def _refuse_update(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding:
        return
    raise PermissionDenied(_("History rows cannot be changed."))


def _refuse_delete(sender, instance, **kwargs):
    raise PermissionDenied(_("History rows cannot be deleted."))


def protect_history() -> None:
    """Connect the guards to every historical model."""
    for model in apps.get_models():
        if _is_history_model(model):
            pre_save.connect(_refuse_update, sender=model, dispatch_uid=f"history-save-{model}")
            pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"history-delete-{model}")
