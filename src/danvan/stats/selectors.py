"""Every figure danvan shows is computed here, so a number is the same on every page."""

from django.db.models import Count, Q, QuerySet, Sum

from danvan.initiatives.catalogues import ContributionKind
from danvan.initiatives.models import Initiative


def initiative_contribution_totals(*, initiative: Initiative) -> dict[str, dict[str, int]]:
    """Return, per contribution kind, the corrected amount and contributors, and how many
    entries were recorded (corrections adjust an entry; they are not entries of their own)."""
    totals = {
        kind: {"amount": 0, "contributors": 0, "entries": 0} for kind in ContributionKind.values
    }
    rows = (
        initiative.contributions.values("kind")
        .annotate(
            amount=Sum("amount"),
            contributors=Sum("contributors"),
            entries=Count("id", filter=Q(corrects__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        totals[row["kind"]] = {
            "amount": row["amount"] or 0,
            "contributors": row["contributors"] or 0,
            "entries": row["entries"],
        }
    return totals


def built_and_replicated(*, initiatives: QuerySet[Initiative]) -> dict[str, int]:
    """Count ``initiatives`` built where they are and replicated from elsewhere ("built and
    replicated" in the reports), in one query."""
    counts = initiatives.aggregate(
        built=Count("id", filter=Q(replicated_from__isnull=True)),
        replicated=Count("id", filter=Q(replicated_from__isnull=False)),
    )
    return {"built": counts["built"], "replicated": counts["replicated"]}
