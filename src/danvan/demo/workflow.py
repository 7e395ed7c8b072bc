"""Walking the demo's initiatives through the review workflow, as the people in charge would.

A published model reached its state (completed, running…) through the workflow: an officer
submitted it, a reviewer registered it, someone started and completed it. The demo replays those
steps through ``initiative_transition``, so every published model has the status trail
(``StatusChange`` rows, with reasons for a return or a discontinuation), the history and the
notifications a real one would have. Each step is taken by the first demo person whose role and
scope allow it (``Cast``); where no demo person covers the place, the system acts.

The generated background (tens of thousands of rows written in bulk) keeps statuses written
directly, without a trail: replaying it would take minutes for nothing a visitor looks at.
"""

from danvan.accounts.models import User
from danvan.accounts.scope import SYSTEM, can
from danvan.areas.models import Area
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import initiative_transition
from danvan.initiatives.models import Initiative

# The actions that take a fresh registration to each state.
PATHS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (),
    Status.SUBMITTED: ("submit",),
    Status.RETURNED: ("submit", "return"),
    Status.REGISTERED: ("submit", "register"),
    Status.IN_PROGRESS: ("submit", "register", "start"),
    Status.COMPLETED: ("submit", "register", "start", "complete"),
    Status.DISCONTINUED: ("submit", "register", "start", "discontinue"),
}
RETURN_REASON = (
    "Đề nghị bổ sung chỉ tiêu cụ thể, kinh phí dự kiến và danh sách người phụ trách "
    "trước khi đăng ký."
)
DISCONTINUE_REASON = "Đơn vị đề nghị dừng mô hình do điều kiện thực hiện không còn phù hợp."


class Cast:
    """The demo people who act, most local first; the system stands in where none may act."""

    def __init__(self, people: list[User] | None = None) -> None:
        self.people = list(people or [])

    def at(self, action: str, area: Area | None, organisation_id: int | None = None):
        """Return the first demo person who may perform ``action`` there, else the system."""
        for person in self.people:
            if can(person, action, area=area, organisation_id=organisation_id):
                return person
        return SYSTEM

    def actor(self, action: str, initiative: Initiative):
        """Return the first demo person who may perform ``action`` on ``initiative``."""
        return self.at(action, initiative.area, initiative.organisation_id)


def walk(
    cast: Cast,
    initiative: Initiative,
    status: str,
    *,
    returned_first: str = "",
    reason: str = "",
) -> Initiative:
    """Take a draft ``initiative`` to ``status`` through the workflow's transitions.

    ``returned_first`` is the reason of a first submission the reviewer sent back, after which
    the officer submits again. ``reason`` explains the last step of a return or discontinuation.
    """
    steps = list(PATHS[status])
    if returned_first:
        steps = ["submit", "return", *steps]
    last = len(steps) - 1
    for index, name in enumerate(steps):
        if name == "return":
            why = returned_first if index < last else (reason or RETURN_REASON)
        elif name == "discontinue":
            why = reason or DISCONTINUE_REASON
        else:
            why = ""
        actor = cast.actor(f"initiative.{name}", initiative)
        initiative_transition(actor=actor, initiative=initiative, name=name, reason=why)
    return initiative
