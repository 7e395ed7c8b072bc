"""REST API of initiatives: the list and detail, and the ledgers under each initiative."""

from danvan.initiatives.api.ledgers import (
    ContributionViewSet,
    EvidenceViewSet,
    IndicatorViewSet,
    ResultViewSet,
)
from danvan.initiatives.api.views import InitiativeViewSet

__all__ = [
    "ContributionViewSet",
    "EvidenceViewSet",
    "IndicatorViewSet",
    "InitiativeViewSet",
    "ResultViewSet",
]
