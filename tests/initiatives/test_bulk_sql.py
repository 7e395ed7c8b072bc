"""``bulk_sql``: a filter on many values that sends them as one parameter (``among``), and the
multi-row writes of records and their history (``insert``, ``insert_history``)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command

from danvan.accounts.scope import SYSTEM
from danvan.initiatives import bulk_sql
from danvan.initiatives.bulk_sql import among, insert, insert_history
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.models import Contribution, Initiative
from danvan.initiatives.services import contribution_build, initiative_build, initiative_create
from tests.factories import UserFactory

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


@pytest.mark.parametrize(
    "texts",
    [
        ["a,b", "{c}", 'd"e', "f\\g", "NULL", " h "],
        ["joined\x1fby the separator", "plain"],
        [""],
        ["", "not empty"],
    ],
    ids=["commas-braces-quotes", "separator-inside", "one-empty", "empty-and-not"],
)
def test_texts_are_matched_exactly_whatever_they_hold(initiatives, texts):
    """On PostgreSQL the values usually go as one text split by the server; what that split
    could not give back exactly (a text holding the separator, an empty text) goes as an
    array. Either way exactly the records holding those texts are found."""
    for number, initiative in enumerate(initiatives):
        text = texts[number] if number < len(texts) else f"another summary {number}"
        Initiative.objects.filter(pk=initiative.pk).update(summary=text)
    holding = {initiative.pk for initiative in initiatives[: len(texts)]}
    assert (
        set(
            Initiative.objects.filter(among(Initiative, "summary", texts)).values_list(
                "pk", flat=True
            )
        )
        == holding
    )
    assert not Initiative.objects.filter(among(Initiative, "summary", ["b", "a", "c"])).exists()


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


def _land_entries(initiatives) -> list:
    """Five unsaved gifts of land on two models: decimals, dates across the year, and texts
    with tabs, quotes and backslashes."""
    return [
        contribution_build(
            actor=SYSTEM,
            initiative=initiatives[number % 2],
            date=datetime.date(2024, 1 + number % 12, 1 + number % 28),
            kind=ContributionKind.LAND,
            amount=Decimal("1234.56") + number,
            contributor_type=ContributorType.HOUSEHOLDS,
            contributors=number,
            description=f"Tiền\tmặt “{number}”; O'Brien \\ số {number}",
        )
        for number in range(5)
    ]


def _coded_models(organisation, area, codes: list[str], **fields) -> list:
    """Unsaved 2024 models of ``organisation`` on ``area``, one for each of ``codes``."""
    built = [
        initiative_build(
            actor=SYSTEM,
            title=f"Mô hình {number}",
            field=Field.ECONOMY,
            organisation=organisation,
            area=area,
            year=2024,
            **fields,
        )
        for number in range(len(codes))
    ]
    for initiative, code in zip(built, codes, strict=True):
        initiative.code = code
    return built


def test_insert_writes_every_value_and_gives_each_record_its_own_id(initiatives):
    """``insert`` and ``insert_history`` (a binary COPY on PostgreSQL, multi-row VALUES on
    SQLite): dates, times, decimals, texts with quotes and tabs, empty links and the ids come
    back as the ORM reads them, in the order the records were given."""
    nguyen_thi_lan = UserFactory(username="nguyen.thi.lan")
    entries = _land_entries(initiatives)
    insert(entries)
    ids = [entry.pk for entry in entries]
    assert ids == sorted(set(ids))
    stored = {entry.pk: entry for entry in Contribution.objects.filter(pk__in=ids)}
    for entry in entries:
        assert (
            stored[entry.pk].date,
            stored[entry.pk].amount,
            stored[entry.pk].description,
            stored[entry.pk].contributors,
            stored[entry.pk].corrects_id,
            stored[entry.pk].created_at,
        ) == (
            entry.date,
            entry.amount,
            entry.description,
            entry.contributors,
            None,
            entry.created_at,
        )
    history_ids = insert_history(entries, history_type="+", user=nguyen_thi_lan, reason="nhập #7")
    history = Contribution.history.model.objects.in_bulk(history_ids)
    assert [history[pk].id for pk in history_ids] == ids
    assert {
        (row.history_type, row.history_user_id, row.history_change_reason)
        for row in history.values()
    } == {("+", nguyen_thi_lan.pk, "nhập #7")}
    assert [history[pk].description for pk in history_ids] == [e.description for e in entries]


def test_insert_leaves_the_sequence_ahead_of_the_ids_it_gave(hoi_lhpn, yen_giang):
    """A record saved one by one after a bulk insert takes a new id, not one the insert took."""
    entries = _coded_models(hoi_lhpn, yen_giang, [f"BULK-{number}" for number in range(3)])
    insert(entries)
    later = initiative_create(
        actor=SYSTEM,
        title="Mô hình sau",
        field=Field.ECONOMY,
        organisation=hoi_lhpn,
        area=yen_giang,
        year=2024,
    )
    assert later.pk > max(entry.pk for entry in entries)


def test_the_column_types_are_asked_again_after_a_migration():
    """A binary COPY names each column's type; one a migration changed must not be sent as
    it was."""
    bulk_sql._COLUMN_TYPES["initiatives_contribution"] = {"amount": 0}
    call_command("migrate", verbosity=0)
    assert "initiatives_contribution" not in bulk_sql._COLUMN_TYPES


def _history_rows(model, history_ids: list[int]) -> list[dict]:
    """The history rows of ``history_ids`` as column → value, in the order of the ids."""
    historical = model.history.model
    names = [f.attname for f in historical._meta.concrete_fields if f.name != "history_id"]
    by_id = {
        row["history_id"]: row
        for row in historical.objects.filter(history_id__in=history_ids).values(
            "history_id", *names
        )
    }
    return [by_id[pk] for pk in history_ids]


def test_the_history_takes_the_values_insert_wrote(initiatives, hoi_lhpn, yen_giang):
    """The history rows written from what ``insert`` returned hold every column as those
    worked out again from the records: decimals, dates, links, texts."""
    nguyen_thi_lan = UserFactory(username="nguyen.thi.lan")

    numbers = itertools.count()  # the two writes of the models need codes of their own

    def models() -> list:
        codes = [f"HIST-{next(numbers)}" for _model in range(3)]
        return _coded_models(hoi_lhpn, yen_giang, codes, start_date=datetime.date(2024, 5, 1))

    # What differs between two writes of the same records: their ids, codes and stamps.
    own = {"history_id", "id", "code", "history_date", "created_at", "updated_at"}
    for build, model in (
        (lambda: _land_entries(initiatives), Contribution),
        (models, Initiative),
    ):
        again, taken = build(), build()
        insert(again)
        inserted = insert(taken)
        assert inserted is not None and len(inserted.rows) == len(taken)
        worked_out = insert_history(again, history_type="+", user=nguyen_thi_lan, reason="r")
        reused = insert_history(
            taken, history_type="+", user=nguyen_thi_lan, reason="r", inserted=inserted
        )
        first, second = _history_rows(model, worked_out), _history_rows(model, reused)
        assert [row["id"] for row in second] == [record.pk for record in taken]
        for one, other in zip(first, second, strict=True):
            assert {k: v for k, v in one.items() if k not in own} == {
                k: v for k, v in other.items() if k not in own
            }
