"""``bulk_sql.among``: a filter on many values that sends them as one parameter."""

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_create

pytestmark = pytest.mark.django_db

TITLES = ["Thắp sáng đường quê", "Nhà văn hóa “xanh”", "O'Brien; DROP TABLE x", "100% sạch"]


@pytest.fixture
def initiatives(hoi_lhpn, yen_giang):
    return [
        initiative_create(
            actor=SYSTEM,
            title=title,
            field=Field.ECONOMY,
            organisation=hoi_lhpn,
            area=yen_giang,
            year=2024,
        )
        for title in TITLES
    ]


def test_it_finds_what_in_finds_by_id_foreign_key_and_text(initiatives):
    ids = [initiative.pk for initiative in initiatives[1:]] + [10**9]
    assert set(Initiative.objects.filter(among(Initiative, "pk", ids))) == set(
        Initiative.objects.filter(pk__in=ids)
    )
    area_ids = [initiatives[0].area_id]
    assert set(Initiative.objects.filter(among(Initiative, "area", area_ids))) == set(initiatives)
    folded = [initiative.title_folded for initiative in initiatives[2:]] + ["none of them"]
    assert set(Initiative.objects.filter(among(Initiative, "title_folded", folded))) == set(
        initiatives[2:]
    )


def test_no_values_find_nothing(initiatives):
    assert not Initiative.objects.filter(among(Initiative, "pk", [])).exists()
    assert Initiative.objects.exclude(among(Initiative, "pk", [])).count() == len(initiatives)


def test_the_statement_does_not_grow_with_the_values():
    statements = [
        Initiative.objects.filter(among(Initiative, "pk", range(count))).query.sql_with_params()
        for count in (3, 3000)
    ]
    assert statements[0][0] == statements[1][0]
    assert [len(params) for _sql, params in statements] == [1, 1]
