"""Gapless human-readable codes and the validation helpers every service uses."""

import pytest
from django.core.exceptions import ValidationError

from danvan.core.models import CodeSequence, bump_sequence, next_code
from danvan.core.validation import clean_and_save, reject
from danvan.orgs.models import Organisation
from tests.factories import AreaFactory


@pytest.mark.django_db
class TestNextCode:
    def test_numbers_each_prefix_from_one_without_gaps(self):
        assert next_code("DVK-2024") == "DVK-2024-000001"
        assert next_code("DVK-2024") == "DVK-2024-000002"
        assert next_code("DVK-2025") == "DVK-2025-000001"
        assert next_code("DVK-2024") == "DVK-2024-000003"
        assert CodeSequence.objects.get(prefix="DVK-2024").last == 3

    def test_width_pads_the_number(self):
        assert next_code("ORG", width=3) == "ORG-001"
        assert next_code("ORG", width=1) == "ORG-2"

    def test_bump_sequence_moves_the_next_code_past_a_bulk_load(self):
        next_code("DVK-2023")
        bump_sequence("DVK-2023", 119)
        assert next_code("DVK-2023") == "DVK-2023-000120"

    def test_bump_sequence_never_moves_back(self):
        bump_sequence("ORG", 50)
        bump_sequence("ORG", 10)
        assert next_code("ORG") == "ORG-000051"

    def test_bump_sequence_creates_an_unseen_prefix(self):
        bump_sequence("DVK-2013", 7)
        assert CodeSequence.objects.get(prefix="DVK-2013").last == 7


def test_reject_names_the_field():
    with pytest.raises(ValidationError) as caught:
        reject("amount", "An amount cannot be negative.", code="negative")
    assert caught.value.message_dict == {"amount": ["An amount cannot be negative."]}
    assert caught.value.error_dict["amount"][0].code == "negative"


@pytest.mark.django_db
def test_clean_and_save_refuses_invalid_values_before_the_database():
    organisation = Organisation(code="ORG-X", name="", kind="nonsense", seat_area=AreaFactory())
    with pytest.raises(ValidationError) as caught:
        clean_and_save(organisation)
    assert {"name", "kind"} <= set(caught.value.message_dict)
    assert organisation.pk is None
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_clean_and_save_saves_a_valid_instance():
    organisation = Organisation(
        code="ORG-YG",
        name="Hội LHPN phường Yên Giang",
        kind="womens_union",
        seat_area=AreaFactory(),
    )
    assert clean_and_save(organisation) is organisation
    assert Organisation.objects.get(code="ORG-YG").name_folded == "hoi lhpn phuong yen giang"
