"""The build functions share the services' rules; the bulk services write many rows at once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import AreaKind
from danvan.core.models import CodeSequence, next_code, next_codes
from danvan.initiatives.bulk import (
    InitiativeRow,
    contributions_bulk_add,
    initiatives_bulk_upsert,
    initiatives_check,
    results_bulk_add,
)
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    Field,
    Status,
    Unit,
)
from danvan.initiatives.models import Contribution, Initiative, Result, Tag
from danvan.initiatives.services import (
    contribution_add,
    contribution_build,
    initiative_build,
    initiative_create,
    initiative_revise,
    initiative_update,
    result_add,
    result_build,
)
from danvan.stats.rebuild import rebuild_rollups
from tests.factories import AreaFactory, IndicatorFactory, OrganisationFactory, UserFactory
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db

REASON = "import #7"


def messages(call) -> dict:
    """The error ``call`` raises, as comparable data."""
    try:
        call()
    except ValidationError as error:
        return {"validation": error.message_dict}
    except PermissionDenied as error:
        return {"permission": str(error)}
    raise AssertionError("no error raised")


def counts() -> tuple[int, ...]:
    return (
        Initiative.objects.count(),
        Initiative.history.count(),
        Contribution.objects.count(),
        Contribution.history.count(),
        Result.objects.count(),
        Result.history.count(),
        CodeSequence.objects.filter(prefix="DVK-2024").values_list("last", flat=True).first() or 0,
    )


@pytest.fixture
def officer(db):
    return UserFactory(username="bulk-officer", is_superuser=True)


@pytest.fixture
def railing(db):
    return IndicatorFactory(code="t_railing_m", unit=Unit.M, aggregation=Aggregation.SUM)


@pytest.fixture
def sim_4g(db):
    return IndicatorFactory(code="t_sim_4g_b", unit=Unit.PERCENT, aggregation=Aggregation.AVERAGE)


def new_initiative(hoi_lhpn, yen_giang, **changes) -> dict:
    return {
        "title": "Thắp sáng đường quê",
        "field": Field.ECONOMY,
        "organisation": hoi_lhpn,
        "area": yen_giang,
        "year": 2024,
        "start_date": datetime.date(2024, 1, 15),
        **changes,
    }


class TestBuildFunctionsShareTheRules:
    @pytest.mark.parametrize(
        "changes",
        [
            {"field": "sports"},
            {"year": "2024"},
            {"year": 1999},
            {"year": 2101},
            {"title": "   "},
            {"title": "x" * 501},
            {"organisation": None},
            {"area": None},
            {"end_date": datetime.date(2023, 12, 31)},
            {"title": "", "end_date": datetime.date(2023, 12, 31)},
            {"people_in_charge": "x" * 501},
        ],
    )
    def test_initiative_build_raises_what_initiative_create_raises(
        self, hoi_lhpn, yen_giang, changes
    ):
        values = new_initiative(hoi_lhpn, yen_giang, **changes)
        before = counts()
        built = messages(lambda: initiative_build(actor=SYSTEM, **values))
        created = messages(lambda: initiative_create(actor=SYSTEM, **values))
        assert built == created
        assert counts() == before

    def test_initiative_build_writes_nothing_and_leaves_the_code_empty(self, hoi_lhpn, yen_giang):
        before = counts()
        initiative = initiative_build(actor=SYSTEM, **new_initiative(hoi_lhpn, yen_giang))
        assert initiative.pk is None and initiative.code == ""
        assert initiative.title == "Thắp sáng đường quê"
        assert counts() == before

    def test_permission_is_checked_like_the_service(self, hoi_lhpn, yen_giang):
        stranger = UserFactory(username="stranger")
        values = new_initiative(hoi_lhpn, yen_giang)
        built = messages(lambda: initiative_build(actor=stranger, **values))
        assert built == messages(lambda: initiative_create(actor=stranger, **values))
        assert "permission" in built

    @pytest.mark.parametrize(
        "changes",
        [
            {"field": "sports"},
            {"status": Status.REGISTERED},
            {"code": "DVK-X"},
            {"year": 2025},
            {"title": ""},
            {"end_date": datetime.date(2023, 1, 1)},
        ],
    )
    def test_initiative_revise_raises_what_initiative_update_raises(self, cultural_houses, changes):
        revised = messages(
            lambda: initiative_revise(
                actor=SYSTEM, initiative=Initiative.objects.get(pk=cultural_houses.pk), **changes
            )
        )
        updated = messages(
            lambda: initiative_update(
                actor=SYSTEM, initiative=Initiative.objects.get(pk=cultural_houses.pk), **changes
            )
        )
        assert revised == updated

    @pytest.mark.parametrize(
        "changes",
        [
            {"amount": -1},
            {"amount": "1.5"},
            {"amount": True},
            {"amount": "NaN"},
            {"amount": 10**19},
            {"contributors": -3},
            {"contributors": "2.5"},
            {"kind": "gold"},
            {"contributor_type": "aliens"},
            {"date": None},
            {"kind": ContributionKind.IN_KIND},
            {"description": "x" * 501},
        ],
    )
    def test_contribution_build_raises_what_contribution_add_raises(self, cultural_houses, changes):
        values = {
            "initiative": cultural_houses,
            "date": datetime.date(2024, 3, 1),
            "kind": ContributionKind.MONEY,
            "amount": 75_000_000,
            "contributor_type": ContributorType.HOUSEHOLDS,
            **changes,
        }
        before = counts()
        built = messages(lambda: contribution_build(actor=SYSTEM, **values))
        assert built == messages(lambda: contribution_add(actor=SYSTEM, **values))
        assert counts() == before

    @pytest.mark.parametrize(
        ("indicator", "changes"),
        [
            ("sim_4g", {"value": "100.5"}),
            ("sim_4g", {"target": "120"}),
            ("railing", {"value": "-120"}),
            ("railing", {"value": None}),
            ("railing", {"value": "một trăm"}),
            ("railing", {"value": "1.23456"}),
            ("railing", {"value": "1e20"}),
            ("railing", {"period_end": None}),
            ("railing", {"period_start": datetime.date(2025, 1, 1)}),
            ("railing", {"note": "x" * 501}),
        ],
    )
    def test_result_build_raises_what_result_add_raises(
        self, request, cultural_houses, indicator, changes
    ):
        values = {
            "initiative": cultural_houses,
            "indicator": request.getfixturevalue(indicator),
            "value": "75",
            "period_end": datetime.date(2024, 12, 31),
            **changes,
        }
        before = counts()
        built = messages(lambda: result_build(actor=SYSTEM, **values))
        assert built == messages(lambda: result_add(actor=SYSTEM, **values))
        assert counts() == before


def test_next_codes_reserves_a_consecutive_block(db):
    assert next_codes("DVK-2030", 0) == []
    first = next_code("DVK-2030")
    block = next_codes("DVK-2030", 3)
    assert first == "DVK-2030-000001"
    assert block == ["DVK-2030-000002", "DVK-2030-000003", "DVK-2030-000004"]
    assert next_code("DVK-2030") == "DVK-2030-000005"


class TestInitiativesBulkUpsert:
    def test_creates_with_consecutive_codes_history_and_rollups(
        self, officer, cultural_houses, hoi_lhpn, yen_giang
    ):
        last = CodeSequence.objects.get(prefix="DVK-2024").last
        rows = [
            InitiativeRow(new_initiative(hoi_lhpn, yen_giang, title=f"Mô hình {n}"))
            for n in range(5)
        ]
        rows.append(InitiativeRow(new_initiative(hoi_lhpn, yen_giang, year=2025)))
        rows.append(InitiativeRow({"title": "Đổi tên", "summary": "mới"}, cultural_houses))
        outcome = initiatives_bulk_upsert(actor=officer, rows=rows, reason=REASON)
        assert outcome.errors == {}
        assert [i.code for i in outcome.created[:5]] == [
            f"DVK-2024-{number:06d}" for number in range(last + 1, last + 6)
        ]
        assert outcome.created[5].code.startswith("DVK-2025-")
        stored = Initiative.objects.get(code=outcome.created[2].code)
        assert stored.title == "Mô hình 2" and stored.title_folded == "mo hinh 2"
        cultural_houses.refresh_from_db()
        assert (cultural_houses.title, cultural_houses.summary) == ("Đổi tên", "mới")
        assert cultural_houses.version == 2 and cultural_houses.title_folded == "doi ten"
        history = Initiative.history.filter(history_change_reason=REASON)
        assert history.count() == 7
        assert set(history.values_list("history_user_id", flat=True)) == {officer.pk}
        assert set(history.values_list("history_type", flat=True)) == {"+", "~"}
        # The tags of an updated initiative are recorded with its new version, as on a save.
        latest = cultural_houses.history.order_by("-history_id").first()
        assert sorted(t.tag.name for t in latest.tags.all()) == ["khu dân cư", "nhà văn hóa"]
        incremental = table_state()
        rebuild_rollups(reset_nodes=True)
        assert table_state() == incremental

    def test_a_bad_row_writes_nothing_and_every_bad_row_is_named(
        self, officer, cultural_houses, hoi_lhpn, yen_giang
    ):
        before = counts()
        rows = [
            InitiativeRow(new_initiative(hoi_lhpn, yen_giang)),
            InitiativeRow(new_initiative(hoi_lhpn, yen_giang, field="sports")),
            InitiativeRow({"status": Status.REGISTERED}, cultural_houses),
            InitiativeRow(new_initiative(hoi_lhpn, yen_giang, end_date=datetime.date(2024, 1, 1))),
        ]
        state = table_state()
        outcome = initiatives_bulk_upsert(actor=officer, rows=rows, reason=REASON)
        assert sorted(outcome.errors) == [1, 2, 3]
        assert outcome.errors[1].message_dict == {"field": ["Choose one of the four fields."]}
        assert "status" in outcome.errors[2].message_dict
        assert outcome.errors[3].message_dict == {
            NON_FIELD_ERRORS: ["The end date cannot be before the start date."]
        }
        assert counts() == before
        assert table_state() == state

    def test_a_row_out_of_scope_is_refused(self, cultural_houses, hoi_lhpn, yen_giang):
        stranger = UserFactory(username="stranger")
        outcome = initiatives_check(
            actor=stranger, rows=[InitiativeRow(new_initiative(hoi_lhpn, yen_giang))]
        )
        assert isinstance(outcome.errors[0], PermissionDenied)

    def test_moving_initiatives_moves_their_figures(
        self, officer, cultural_houses, yen_giang, railing
    ):
        contribution_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            date=datetime.date(2024, 3, 1),
            kind=ContributionKind.MONEY,
            amount=75_000_000,
            contributor_type=ContributorType.HOUSEHOLDS,
        )
        result_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            indicator=railing,
            value="120",
            period_end=datetime.date(2024, 6, 30),
        )
        elsewhere = OrganisationFactory(seat_area=yen_giang)
        other = initiative_create(
            actor=SYSTEM, **new_initiative(elsewhere, yen_giang, field=Field.CULTURE_SOCIETY)
        )
        zone = AreaFactory(
            name="Khu 1 Yên Giang", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang
        )
        rows = [
            InitiativeRow({"area": zone, "field": Field.ECONOMY}, cultural_houses),
            InitiativeRow({"field": Field.ECONOMY}, other),
        ]
        assert initiatives_bulk_upsert(actor=officer, rows=rows, reason=REASON).errors == {}
        incremental = table_state()
        rebuild_rollups(reset_nodes=True)
        assert table_state() == incremental

    def test_many_alike_initiatives_count_each_and_add_up_their_ledgers(
        self, officer, hoi_lhpn, yen_giang
    ):
        """Initiatives on the same keys are added to the rollups together (``rollups._alike``):
        each is still counted, the exemplary ones apart, and their entries on the same and on
        different days add up; moving some of them away takes exactly theirs."""
        rows = [
            InitiativeRow(
                new_initiative(hoi_lhpn, yen_giang, title=f"Đường hoa {n}", exemplary=n < 2)
            )
            for n in range(6)
        ] + [InitiativeRow(new_initiative(hoi_lhpn, yen_giang, title="Quỹ khuyến học", year=2025))]
        created = initiatives_bulk_upsert(actor=officer, rows=rows, reason=REASON).created
        entries = [
            {
                "initiative": initiative,
                "date": datetime.date(2024, 3, 1 + number % 2),
                "kind": ContributionKind.MONEY,
                "amount": 1_000_000 * (number + 1),
                "contributor_type": ContributorType.HOUSEHOLDS,
                "contributors": number + 3,
            }
            for number, initiative in enumerate(created[:6] * 2)
        ]
        assert contributions_bulk_add(actor=officer, rows=entries, reason=REASON).errors == {}
        continuing = [
            InitiativeRow(
                new_initiative(
                    hoi_lhpn,
                    yen_giang,
                    title=f"Đường hoa {n} (tiếp)",
                    year=2025,
                    start_date=datetime.date(2025, 1, 15),
                    continued_from=created[n],
                    exemplary=n == 0,
                )
            )
            for n in (0, 1, 4, 5)
        ]
        assert initiatives_bulk_upsert(actor=officer, rows=continuing, reason=REASON).errors == {}
        moved = [InitiativeRow({"field": Field.CULTURE_SOCIETY}, created[n]) for n in (0, 2, 3, 4)]
        assert initiatives_bulk_upsert(actor=officer, rows=moved, reason=REASON).errors == {}
        incremental = table_state()
        rebuild_rollups(reset_nodes=True)
        assert table_state() == incremental
        by_field = dict(
            Initiative.objects.filter(year=2024).values_list("field").annotate(Count("id"))
        )
        assert by_field == {Field.ECONOMY: 2, Field.CULTURE_SOCIETY: 4}


class TestLedgerBulk:
    def test_contributions_history_and_rollups(self, officer, cultural_houses, hoi_lhpn):
        rows = [
            {
                "initiative": cultural_houses,
                "date": datetime.date(2024, month, 1),
                "kind": kind,
                "amount": amount,
                "contributor_type": ContributorType.HOUSEHOLDS,
                "contributors": 12,
                "description": "xi măng",
            }
            for month, kind, amount in [
                (3, ContributionKind.MONEY, 75_000_000),
                (3, ContributionKind.MONEY, 5),
                (4, ContributionKind.LAND, 326),
                (5, ContributionKind.IN_KIND, 1_000_000_000_000),
            ]
        ]
        outcome = contributions_bulk_add(actor=officer, rows=rows, reason=REASON)
        assert outcome.errors == {} and len(outcome.created) == 4
        history = Contribution.history.filter(history_change_reason=REASON)
        assert history.count() == 4
        assert set(history.values_list("history_user_id", flat=True)) == {officer.pk}
        assert set(Contribution.objects.values_list("created_by_id", flat=True)) == {officer.pk}
        incremental = table_state()
        rebuild_rollups(reset_nodes=True)
        assert table_state() == incremental

    def test_entries_written_in_bulk_read_back_as_the_single_service_writes_them(
        self, officer, cultural_houses
    ):
        """Every column, text and decimals the driver could mangle included (on PostgreSQL
        the columns go as binary arrays), equal to ``contribution_add``'s, history too."""
        texts = ['ngoặc "kép", {nhọn}, \\ gạch; NULL', "", "xi măng, cát", "{}", "a\tb"]
        rows = [
            {
                "initiative": cultural_houses,
                "date": datetime.date(2024, 3, 1 + n),
                "kind": kind,
                "amount": amount,
                "contributor_type": ContributorType.HOUSEHOLDS,
                "contributors": n,
                "description": texts[n % len(texts)],
            }
            for n, (kind, amount) in enumerate(
                [
                    (ContributionKind.LAND, Decimal("350.50")),
                    (ContributionKind.LABOUR, Decimal("0.5")),
                    (ContributionKind.MONEY, 999_999_999_999),
                    (ContributionKind.IN_KIND, 1),
                    (ContributionKind.MONEY, 0),
                ]
            )
        ]

        def written(ids):
            names = [
                f.attname
                for f in Contribution._meta.concrete_fields
                if f.attname not in {"id", "created_at"}
            ]
            history = [*names, "history_type", "history_user_id"]
            return (
                sorted(Contribution.objects.filter(pk__in=ids).values_list(*names), key=repr),
                sorted(Contribution.history.filter(id__in=ids).values_list(*history), key=repr),
            )

        outcome = contributions_bulk_add(actor=officer, rows=rows, reason=REASON)
        assert outcome.errors == {}
        one = [contribution_add(actor=officer, **row).pk for row in rows]
        assert written([entry.pk for entry in outcome.created]) == written(one)
        assert Contribution.history.filter(history_change_reason=REASON).count() == 5

    def test_rows_checked_before_still_need_the_permission(self, cultural_houses):
        """``checked`` spares a row the model's field rules it passed, never the permission."""
        stranger = UserFactory(username="stranger")
        row = {
            "initiative": cultural_houses,
            "date": datetime.date(2024, 3, 1),
            "kind": ContributionKind.MONEY,
            "amount": 10,
            "contributor_type": ContributorType.HOUSEHOLDS,
        }
        outcome = contributions_bulk_add(actor=stranger, rows=[row], reason=REASON, checked={0})
        assert isinstance(outcome.errors[0], PermissionDenied)
        assert not Contribution.objects.filter(initiative=cultural_houses).exists()

    def test_a_bad_contribution_writes_nothing(self, officer, cultural_houses):
        good = {
            "initiative": cultural_houses,
            "date": datetime.date(2024, 3, 1),
            "kind": ContributionKind.MONEY,
            "amount": 10,
            "contributor_type": ContributorType.HOUSEHOLDS,
        }
        before, state = counts(), table_state()
        outcome = contributions_bulk_add(
            actor=officer, rows=[good, {**good, "amount": -1}], reason=REASON
        )
        assert list(outcome.errors) == [1]
        assert outcome.errors[1].message_dict == {"amount": ["An amount cannot be negative."]}
        assert (counts(), table_state()) == (before, state)

    def test_results_history_and_rollups(self, officer, cultural_houses, railing, sim_4g):
        rows = [
            {
                "initiative": cultural_houses,
                "indicator": indicator,
                "value": Decimal(value),
                "period_end": datetime.date(2024, month, 30),
            }
            for indicator, value, month in [
                (railing, "120", 6),
                (railing, "7.5", 9),
                (sim_4g, "89.7", 6),
                (sim_4g, "91", 6),
            ]
        ]
        outcome = results_bulk_add(actor=officer, rows=rows, reason=REASON)
        assert outcome.errors == {} and len(outcome.created) == 4
        history = Result.history.filter(history_change_reason=REASON)
        assert set(history.values_list("history_user_id", flat=True)) == {officer.pk}
        assert history.count() == 4
        incremental = table_state()
        rebuild_rollups(reset_nodes=True)
        assert table_state() == incremental

    def test_a_bad_result_writes_nothing(self, officer, cultural_houses, sim_4g):
        rows = [
            {
                "initiative": cultural_houses,
                "indicator": sim_4g,
                "value": value,
                "period_end": datetime.date(2024, 6, 30),
            }
            for value in ("50", "100.5")
        ]
        before, state = counts(), table_state()
        outcome = results_bulk_add(actor=officer, rows=rows, reason=REASON)
        assert outcome.errors[1].message_dict == {"value": ["A percentage cannot be above 100."]}
        assert (counts(), table_state()) == (before, state)


def test_tags_are_not_touched_by_a_bulk_update(officer, cultural_houses):
    tags = Tag.objects.count()
    rows = [InitiativeRow({"summary": "khác"}, cultural_houses)]
    initiatives_bulk_upsert(actor=officer, rows=rows, reason=REASON)
    assert Tag.objects.count() == tags
    assert cultural_houses.tags.count() == 2
