"""Pages of the review app: the reviewer's queue, the evaluation form and the awards."""

from danvan.review.views.awards import (
    award_commend_view,
    award_decision,
    award_detail,
    award_index,
    award_new,
    award_nominate_view,
    award_recognise_view,
)
from danvan.review.views.evaluation import evaluate
from danvan.review.views.queue import queue, register, return_

__all__ = [
    "award_commend_view",
    "award_decision",
    "award_detail",
    "award_index",
    "award_new",
    "award_nominate_view",
    "award_recognise_view",
    "evaluate",
    "queue",
    "register",
    "return_",
]
