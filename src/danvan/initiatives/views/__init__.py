"""The initiative pages: list, detail, and the forms that write."""

from danvan.initiatives.views.detail import (
    evidence_file,
    evidence_thumbnail,
    initiative_action,
    initiative_detail_page,
)
from danvan.initiatives.views.editing import (
    contribution_add_page,
    contribution_correct_page,
    evidence_add_page,
    initiative_create_page,
    initiative_edit_page,
    result_add_page,
)
from danvan.initiatives.views.listing import (
    area_options,
    initiative_list_page,
    organisation_options,
)
from danvan.initiatives.views.replication import replication_page

__all__ = [
    "area_options",
    "contribution_add_page",
    "contribution_correct_page",
    "evidence_add_page",
    "evidence_file",
    "evidence_thumbnail",
    "initiative_action",
    "initiative_create_page",
    "initiative_detail_page",
    "initiative_edit_page",
    "initiative_list_page",
    "organisation_options",
    "replication_page",
    "result_add_page",
]
