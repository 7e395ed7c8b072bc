"""Reads of reports: people see the reports they asked for; super administrators see all."""

from django.db.models import QuerySet

from danvan.accounts.scope import is_superadmin
from danvan.reports.models import Report


def report_list(*, actor) -> QuerySet[Report]:
    """Return the reports ``actor`` asked for, newest first (every report for superadmins)."""
    queryset = Report.objects.select_related("area", "requested_by")
    if is_superadmin(actor):
        return queryset
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        return queryset.none()
    return queryset.filter(requested_by=actor)


def report_detail(*, actor, pk: int) -> Report:
    """Return one report of ``actor``; ``Report.DoesNotExist`` for anyone else's."""
    return report_list(actor=actor).get(pk=pk)
