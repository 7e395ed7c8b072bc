"""People's names as Vietnamese write and sort them: family name first, lists by given name."""

import random

import pytest

from danvan.accounts.models import Role
from danvan.accounts.selectors import user_list
from tests.factories_review import PersonFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def test_the_full_name_is_family_name_first():
    lan = PersonFactory(username="lan", first_name="Lan", last_name="Vũ Thị")
    assert lan.get_full_name() == "Vũ Thị Lan"
    assert PersonFactory(username="x", first_name="Lan", last_name="").get_full_name() == "Lan"
    assert PersonFactory(username="y", first_name="", last_name="").get_full_name() == ""


def test_the_people_list_is_sorted_by_given_name_in_vietnamese_order():
    root = PersonFactory(username="root", first_name="", last_name="", is_superuser=True)
    RoleAssignmentFactory(user=root, role=Role.SUPERADMIN)
    people = [
        ("Ánh", "Lê Thị"),
        ("An", "Trần Văn"),
        ("Ân", "Phạm"),
        ("Đức", "Hoàng"),
        ("Dũng", "Nguyễn"),
        ("Lan", "Vũ Thị"),
        ("Lan", "Đặng Thị"),
        ("Lan", "Bùi Thị"),
        ("Yến", "Đỗ Hải"),
    ]
    shuffled = people[:]
    random.Random(7).shuffle(shuffled)
    for number, (given, family) in enumerate(shuffled):
        PersonFactory(username=f"person{number}", first_name=given, last_name=family)

    listed = [user.get_full_name() for user in user_list(actor=root) if user.first_name]
    assert listed == [
        "Trần Văn An",
        "Lê Thị Ánh",
        "Phạm Ân",
        "Nguyễn Dũng",
        "Hoàng Đức",
        "Bùi Thị Lan",
        "Đặng Thị Lan",
        "Vũ Thị Lan",
        "Đỗ Hải Yến",
    ]
