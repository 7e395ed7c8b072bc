"""Every change of an initiative's state, in one place: the workflow's transitions, carrying a
model into a new year, the exemplary mark, the replication link and restoring an old version.
``rules`` says what may be done; ``actions`` does it.

Each action has an ``initiative_can_<action>`` check that answers, without raising, whether a
person may take it now. Pages and the API call the checks to decide which buttons and links
to show; the actions call the same checks before they change anything,
so what is shown and what is allowed cannot drift apart. ``initiative_create`` and
``initiative_update`` leave the exemplary mark and the replication rule to this module too.

Other apps learn of a step through the ``transitioned`` signal (notifications connect to it),
so the lifecycle needs no app above it.
"""

from danvan.initiatives.lifecycle.actions import (
    initiative_complete,
    initiative_continue,
    initiative_discontinue,
    initiative_mark_exemplary,
    initiative_register,
    initiative_restore,
    initiative_return,
    initiative_set_replication,
    initiative_start,
    initiative_submit,
    initiative_transition,
)
from danvan.initiatives.lifecycle.rules import (
    ARCHIVE_STATUSES,
    ARCHIVE_TRANSITION,
    CONTINUABLE,
    REVIEWABLE,
    TRANSITIONS,
    Transition,
    allowed_transitions,
    initiative_can_continue,
    initiative_can_delete,
    initiative_can_edit,
    initiative_can_mark_exemplary,
    initiative_can_replicate,
    initiative_can_restore,
    initiative_can_review,
    initiative_can_transition,
    initiative_check_archive,
    initiative_check_exemplary,
    initiative_check_replication,
    initiative_check_source,
    transitioned,
)

__all__ = [
    "ARCHIVE_STATUSES",
    "ARCHIVE_TRANSITION",
    "CONTINUABLE",
    "REVIEWABLE",
    "TRANSITIONS",
    "Transition",
    "allowed_transitions",
    "initiative_can_continue",
    "initiative_can_delete",
    "initiative_can_edit",
    "initiative_can_mark_exemplary",
    "initiative_can_replicate",
    "initiative_can_restore",
    "initiative_can_review",
    "initiative_can_transition",
    "initiative_check_archive",
    "initiative_check_exemplary",
    "initiative_check_replication",
    "initiative_check_source",
    "initiative_complete",
    "initiative_continue",
    "initiative_discontinue",
    "initiative_mark_exemplary",
    "initiative_register",
    "initiative_restore",
    "initiative_return",
    "initiative_set_replication",
    "initiative_start",
    "initiative_submit",
    "initiative_transition",
    "transitioned",
]
