"""Pages of the review app: the reviewer's queue, the evaluation form and the awards."""

from danvan.review.views.actions import continue_, exemplary, replication
from danvan.review.views.awards import (
    award_commend_view,
    award_decision,
    award_detail,
    award_index,
    award_new,
    award_nominate_view,
    award_recognise_view,
)
from danvan.review.views.criteria import criteria_copy, criteria_edit, criteria_index, criteria_new
from danvan.review.views.documents import award_documents
from danvan.review.views.evaluation import evaluate, evaluate_many
from danvan.review.views.queue import bulk, queue, register, return_

__all__ = [
    "award_commend_view",
    "award_decision",
    "award_detail",
    "award_documents",
    "award_index",
    "award_new",
    "award_nominate_view",
    "award_recognise_view",
    "bulk",
    "continue_",
    "criteria_copy",
    "criteria_edit",
    "criteria_index",
    "criteria_new",
    "evaluate",
    "evaluate_many",
    "exemplary",
    "queue",
    "register",
    "replication",
    "return_",
]
