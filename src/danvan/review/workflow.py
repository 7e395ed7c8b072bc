"""The registration workflow as data: which action moves an initiative from which states.

Each action is also a permission in ``danvan.accounts.scope.ACTIONS`` (``initiative.<name>``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from danvan.initiatives.catalogues import Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    needs_reason: bool = False

    @property
    def permission(self) -> str:
        return f"initiative.{self.name}"


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit", _("Submit"), frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED
        ),
        Transition("register", _("Register"), frozenset({Status.SUBMITTED}), Status.REGISTERED),
        Transition(
            "return",
            _("Return for changes"),
            frozenset({Status.SUBMITTED}),
            Status.RETURNED,
            needs_reason=True,
        ),
        Transition("start", _("Start"), frozenset({Status.REGISTERED}), Status.IN_PROGRESS),
        Transition(
            "complete", _("Mark completed"), frozenset({Status.IN_PROGRESS}), Status.COMPLETED
        ),
        Transition(
            "discontinue",
            _("Discontinue"),
            frozenset({Status.REGISTERED, Status.IN_PROGRESS}),
            Status.DISCONTINUED,
            needs_reason=True,
        ),
    ]
}

# An initiative in one of these states can be carried into the next year's round.
CONTINUABLE = frozenset({Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED})
