"""Every write to initiatives, their contribution ledger, results and evidence.

One module a concern; callers import from here.
"""

from danvan.initiatives.services.evidence import (
    evidence_add,
    evidence_delete,
)
from danvan.initiatives.services.facts import (
    CODE_PREFIX,
    initiative_build,
    initiative_code_prefix,
    initiative_create,
    initiative_days,
    initiative_delete,
    initiative_require_area_in_force,
    initiative_revise,
    initiative_update,
)
from danvan.initiatives.services.ledger import (
    contribution_add,
    contribution_build,
    contribution_correct,
    contribution_effective,
)
from danvan.initiatives.services.results import (
    indicator_create,
    result_add,
    result_build,
    result_delete,
)

__all__ = [
    "CODE_PREFIX",
    "contribution_add",
    "contribution_build",
    "contribution_correct",
    "contribution_effective",
    "evidence_add",
    "evidence_delete",
    "indicator_create",
    "initiative_build",
    "initiative_code_prefix",
    "initiative_create",
    "initiative_days",
    "initiative_delete",
    "initiative_require_area_in_force",
    "initiative_revise",
    "initiative_update",
    "result_add",
    "result_build",
    "result_delete",
]
