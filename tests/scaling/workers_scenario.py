"""Run by ``test_workers.py`` in a process of its own against a migrated PostgreSQL database
(``DATABASE_URL``): asks for ``REPORTS`` periodic reports, whose builds the task workers take,
and prints the ids of the reports as JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from danvan.accounts.models import Role  # noqa: E402
from danvan.reports.services import report_request  # noqa: E402
from tests.factories import (  # noqa: E402
    AreaFactory,
    ContributionFactory,
    InitiativeFactory,
    OrganisationFactory,
)
from tests.factories_review import PersonFactory, RoleAssignmentFactory  # noqa: E402

province = AreaFactory(code="W-PROVINCE", name="Tỉnh Hàng Đợi", kind="province")
ward = AreaFactory(code="W-WARD", name="Phường Hàng Đợi", parent=province)
organisation = OrganisationFactory(code="W-ORG", seat_area=ward)
for _ in range(5):
    initiative = InitiativeFactory(code=f"DVK-W-{_:03d}", organisation=organisation, year=2024)
    ContributionFactory(initiative=initiative)
leader = PersonFactory(username="leader-of-the-queue")
RoleAssignmentFactory(user=leader, role=Role.VIEWER, area=province)

reports = [
    report_request(
        actor=leader,
        kind="periodic",
        format="xlsx",
        language="vi",
        area=province,
        year=2024,
        period_kind="annual",
    ).pk
    for _ in range(int(os.environ.get("REPORTS", "12")))
]
print(json.dumps([str(pk) for pk in reports]))
