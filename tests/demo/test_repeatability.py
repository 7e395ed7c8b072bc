"""Loading the demo: the same seed gives the same rows; foreign data and missing units refused.

These tests load the demo themselves, so they live apart from the module that loads it once.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from danvan.areas.models import Area
from danvan.demo import loader
from danvan.demo.common import DemoError
from danvan.demo.loader import load_demo
from danvan.demo.users import ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_USERNAMES
from danvan.initiatives.models import Contribution, Initiative, Result, StatusChange
from danvan.review.models import Award, Evaluation
from tests.factories import InitiativeFactory


def snapshot() -> list:
    """The demo's rows by their codes and names, not by database ids."""
    initiatives = list(
        Initiative.objects.order_by("code").values_list(
            "code", "title", "field", "organisation__code", "area__code", "status",
            "start_date", "end_date", "exemplary", "replicated_from__code",
        )
    )  # fmt: skip
    contributions = list(
        Contribution.objects.order_by("initiative__code", "date", "kind", "amount").values_list(
            "initiative__code", "date", "kind", "amount", "contributors"
        )
    )
    outcome_rows = list(
        Result.objects.order_by("initiative__code", "indicator__code", "value").values_list(
            "initiative__code", "indicator__code", "value"
        )
    )
    trail = list(
        StatusChange.objects.order_by("initiative__code", "id").values_list(
            "initiative__code", "transition", "to_status", "actor__username", "reason"
        )
    )
    review = list(
        Evaluation.objects.order_by("initiative__code").values_list(
            "initiative__code", "total", "grade", "reviewer__username"
        )
    ) + list(
        Award.objects.order_by("initiative__code", "level").values_list(
            "initiative__code", "level", "stage", "decision_number", "decision_date"
        )
    )
    return [initiatives, contributions, outcome_rows, trail, review]


def test_the_same_seed_gives_the_same_data(official_areas, db):
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            load_demo(seed=7, background=0.01)
            snapshots.append(snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0][0]) > 300 and all(snapshots[0][1:])


def test_another_seed_gives_another_background(official_areas, db):
    with transaction.atomic():
        load_demo(seed=1, background=0.01)
        first = snapshot()
        transaction.set_rollback(True)
    load_demo(seed=2, background=0.01)
    assert snapshot()[0] != first[0]


def test_refuses_a_database_with_other_initiatives(official_areas, db):
    InitiativeFactory()
    with pytest.raises(DemoError):
        load_demo(background=0)


def test_command_prints_the_demo_logins(official_areas, db):
    out = StringIO()
    call_command("load_demo", background=0.005, stdout=out)
    printed = out.getvalue()
    assert "admin" in printed and ADMIN_PASSWORD in printed
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(ADMIN_PASSWORD)
    table = printed[printed.index("username") :].splitlines()
    for username in DEMO_USERNAMES:
        row = next(line for line in table if line.split()[0] == username)
        assert DEMO_PASSWORD in row and row.split()[1] in {"viewer", "officer", "reviewer", "admin"}
    assert "Tỉnh Hà Tĩnh (current unit)" in printed and "nationwide" in printed
    again = StringIO()
    call_command("load_demo", background=0.005, stdout=again)
    assert "already loaded" in again.getvalue()
    assert all(username in again.getvalue() for username in DEMO_USERNAMES)


def test_asks_for_the_official_units_when_they_are_missing(db, monkeypatch):
    class NoAreas:
        objects = Area.objects.none()

    monkeypatch.setattr(loader, "Area", NoAreas)
    with pytest.raises(CommandError, match="load_areas"):
        call_command("load_demo", stdout=StringIO())
