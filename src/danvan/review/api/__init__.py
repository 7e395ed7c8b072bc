"""REST API of review: workflow actions on initiatives, evaluation, awards and catalogues."""

from danvan.review.api.recognition import (
    AwardFormViewSet,
    AwardTitleViewSet,
    AwardViewSet,
    CriteriaSetViewSet,
    EvaluationViewSet,
    InitiativeAwardViewSet,
    RoundViewSet,
)
from danvan.review.api.workflow import InitiativeWorkflowViewSet

__all__ = [
    "AwardFormViewSet",
    "AwardTitleViewSet",
    "AwardViewSet",
    "CriteriaSetViewSet",
    "EvaluationViewSet",
    "InitiativeAwardViewSet",
    "InitiativeWorkflowViewSet",
    "RoundViewSet",
]
