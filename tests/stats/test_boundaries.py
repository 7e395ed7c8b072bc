"""Figures as they were and restated on today's units; results by their indicator's rule."""

import datetime
from decimal import Decimal

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field, Status
from danvan.initiatives.lifecycle import initiative_submit
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    initiative_create,
    initiative_delete,
    initiative_update,
    result_add,
    result_delete,
)
from danvan.stats.models import AS_WAS, RESTATED
from danvan.stats.selectors import (
    contribution_figures,
    cumulative_since,
    initiative_figures,
    registering_units,
    result_figures,
)

pytestmark = pytest.mark.django_db


def create(org, area, year=2024, field=Field.CULTURE_SOCIETY):
    return initiative_create(
        actor=SYSTEM, title="Nhà văn hóa", field=field, organisation=org, area=area, year=year
    )


def give(initiative, amount, day=datetime.date(2024, 6, 1), kind=ContributionKind.MONEY):
    return contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=day,
        kind=kind,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=10,
    )


def total(area, mode, **kwargs):
    rows = initiative_figures(area=area, mode=mode, **kwargs)
    return (rows[0]["initiatives"], rows[0]["money"]) if rows else (0, 0)


def test_yen_giang_2024_is_restated_under_quang_yen_ward(units, orgs):
    give(create(orgs[0], units["yen_giang"]), 180_000_000)
    yen_giang, quang_yen = units["yen_giang"], units["quang_yen"]
    assert total(yen_giang, AS_WAS) == (1, 180_000_000)
    assert total(yen_giang.parent, AS_WAS) == (1, 180_000_000)  # Thị xã Quảng Yên
    # Today's ward covers the legacy ward's land: its 2024 is Yên Giang's, in both modes.
    assert total(quang_yen, AS_WAS) == (1, 180_000_000)
    assert total(quang_yen, RESTATED) == (1, 180_000_000)
    assert total(quang_yen.parent, RESTATED) == (1, 180_000_000)  # today's Quảng Ninh
    assert total(yen_giang, RESTATED) == (1, 180_000_000)
    assert total(None, AS_WAS) == total(None, RESTATED) == (1, 180_000_000)
    # The breakdown is what differs: by the units of the day, or by today's.
    [row] = initiative_figures(area=quang_yen, mode=AS_WAS, group_by=("level",))
    assert row["area_id"] == yen_giang.pk
    [row] = initiative_figures(area=yen_giang, mode=RESTATED, group_by=("level",))
    assert row["area_id"] == quang_yen.pk


def test_a_zone_under_the_legacy_ward_is_restated_on_the_wards_successor(units, orgs):
    create(orgs[0], units["zone_1"])
    assert total(units["yen_giang"], AS_WAS) == (1, 0)
    assert total(units["quang_yen"], RESTATED) == (1, 0)


def test_a_split_commune_goes_to_its_default_successor(units, orgs):
    give(create(orgs[1], units["lien_hoa"]), 75_000_000)
    assert total(units["phuong_lien_hoa"], RESTATED) == (1, 75_000_000)
    assert total(units["ha_an"], RESTATED) == (0, 0)


def test_level_rows_are_the_children_of_the_area(units, orgs):
    create(orgs[0], units["yen_giang"])
    create(orgs[2], units["thien_loc"])
    create(orgs[2], units["thien_loc"])
    quang_ninh = units["quang_yen"].parent
    rows = initiative_figures(area=quang_ninh, mode=RESTATED, group_by=("level",))
    assert [(r["area_id"], r["initiatives"]) for r in rows] == [(units["quang_yen"].pk, 1)]
    provinces = initiative_figures(mode=RESTATED, group_by=("level",))
    assert sorted(r["initiatives"] for r in provinces) == [1, 2]


def test_moving_changing_and_deleting_keep_the_counts(units, orgs):
    initiative = create(orgs[0], units["yen_giang"], field=Field.ECONOMY)
    entry = give(initiative, 100)
    initiative_update(actor=SYSTEM, initiative=initiative, area=units["lien_hoa"])
    assert total(units["yen_giang"], AS_WAS) == (0, 0)
    assert total(units["phuong_lien_hoa"], RESTATED) == (1, 100)
    initiative_update(actor=SYSTEM, initiative=initiative, field=Field.PARTY_BUILDING)
    assert total(None, AS_WAS, field=Field.ECONOMY) == (0, 0)
    assert total(None, AS_WAS, field=Field.PARTY_BUILDING) == (1, 100)
    contribution_correct(actor=SYSTEM, entry=entry, amount=40, reason="Sai")
    assert total(None, RESTATED) == (1, 40)
    initiative_submit(actor=SYSTEM, initiative=initiative)
    assert total(None, AS_WAS, status=Status.DRAFT) == (0, 0)
    assert total(None, AS_WAS, status=Status.SUBMITTED) == (1, 40)
    other = create(orgs[3], units["quang_yen"], year=2026)
    assert total(None, AS_WAS) == (2, 40)
    initiative_delete(actor=SYSTEM, initiative=other)
    assert total(None, AS_WAS) == (1, 40)
    assert registering_units(area=units["phuong_lien_hoa"], mode=RESTATED) == 1


def test_a_cutoff_keeps_whole_months(units, orgs):
    initiative = create(orgs[0], units["yen_giang"])
    give(initiative, 1, datetime.date(2024, 11, 30))
    give(initiative, 10, datetime.date(2024, 12, 1))
    give(initiative, 100, datetime.date(2025, 1, 5))
    [row] = contribution_figures(cutoff=datetime.date(2024, 11, 30))
    assert (row["money"], row["entries"]) == (1, 1)
    [row] = contribution_figures(
        start=datetime.date(2024, 12, 1), cutoff=datetime.date(2024, 12, 31)
    )
    assert row["money"] == 10
    assert cumulative_since(2013)["total"]["money"] == 111


def test_percentages_are_averaged_latest_or_max_never_summed(units, orgs, indicators):
    first = create(orgs[0], units["yen_giang"])
    second = create(orgs[3], units["quang_yen"], year=2025)
    for initiative, value, end in ((first, "96", 6), (second, "89.5", 12), (first, "86.4", 9)):
        for code in ("sim_4g", "qr_fees", "sponsored"):
            result_add(
                actor=SYSTEM,
                initiative=initiative,
                indicator=indicators[code],
                value=value,
                period_end=datetime.date(2024, end, 30),
            )

    def figure(code, area=units["quang_yen"]):
        return result_figures(area=area, mode=RESTATED, year=2024, indicator=indicators[code])

    assert figure("sim_4g")["value"] == Decimal("90.6333")  # (96 + 89.5 + 86.4) / 3
    assert figure("qr_fees")["value"] == Decimal("89.5")  # period ending 30 December
    assert figure("sponsored")["value"] == Decimal("96")
    # The legacy ward's own territory holds the two results recorded on it, in both modes.
    assert figure("sim_4g", units["yen_giang"])["count"] == 2
    assert figure("sim_4g", units["lien_hoa"])["count"] == 0
    latest = second.results.get(indicator=indicators["qr_fees"])
    result_delete(actor=SYSTEM, result=latest)
    assert figure("qr_fees")["value"] == Decimal("86.4")  # recomputed: the September one
    top = first.results.get(indicator=indicators["sponsored"], value=96)
    result_delete(actor=SYSTEM, result=top)
    assert figure("sponsored")["value"] == Decimal("89.5")
    assert figure("sponsored")["unit"] == "count"


def test_sums_of_km_are_exact(units, orgs, indicators):
    initiative = create(orgs[2], units["thien_loc"])
    for value in ("7.1", "36.2", "0.0001"):
        result_add(
            actor=SYSTEM,
            initiative=initiative,
            indicator=indicators["canal_km"],
            value=value,
            period_end=datetime.date(2023, 9, 30),
        )
    figure = result_figures(mode=AS_WAS, year=2023, indicator=indicators["canal_km"])
    assert figure == {
        "indicator": "t_canal_km",
        "unit": "km",
        "aggregation": "sum",
        "count": 3,
        "value": Decimal("43.3001"),
    }


def test_a_cutoff_inside_a_month_counts_to_that_day_exactly(units, orgs):
    """A 9-month report cut off on 15 September counts nothing given on the 16th."""
    initiative = create(orgs[0], units["yen_giang"])
    give(initiative, 1, datetime.date(2024, 9, 15))
    give(initiative, 10, datetime.date(2024, 9, 16))
    give(initiative, 100, datetime.date(2024, 8, 31))
    [row] = contribution_figures(cutoff=datetime.date(2024, 9, 15))
    assert (row["money"], row["entries"]) == (101, 2)
    [row] = contribution_figures(start=datetime.date(2024, 9, 16))
    assert (row["money"], row["entries"]) == (10, 1)
    # Whole months still come from the rollups, and agree.
    [row] = contribution_figures(cutoff=datetime.date(2024, 9, 30))
    assert row["money"] == 111


def test_registered_counts_every_initiative_the_reviewer_accepted(units, orgs):
    from danvan.initiatives.lifecycle import initiative_register, initiative_start

    draft = create(orgs[0], units["yen_giang"])
    waiting = initiative_submit(actor=SYSTEM, initiative=create(orgs[0], units["yen_giang"]))
    accepted = initiative_register(
        actor=SYSTEM,
        initiative=initiative_submit(actor=SYSTEM, initiative=create(orgs[0], units["yen_giang"])),
    )
    initiative_start(actor=SYSTEM, initiative=accepted)
    [row] = initiative_figures(area=units["yen_giang"], mode=AS_WAS)
    assert (row["initiatives"], row["registered"]) == (3, 1)
    assert draft.pk and waiting.pk
    [row] = initiative_figures(mode=RESTATED, group_by=("status",), status=Status.IN_PROGRESS)
    assert row["registered"] == 1


def test_awards_are_counted_by_stage_and_level_under_each_node(units, orgs):
    from danvan.initiatives.lifecycle import initiative_register
    from danvan.review.models import AwardStage, RecognitionLevel
    from danvan.review.services import award_nominate, award_propose, award_recognise
    from danvan.stats.selectors import award_figures
    from tests.factories import UserFactory
    from tests.factories_review import AwardTitleFactory

    title = AwardTitleFactory()
    root = UserFactory(username="root", is_superuser=True)
    initiative = initiative_register(
        actor=SYSTEM,
        initiative=initiative_submit(actor=SYSTEM, initiative=create(orgs[0], units["yen_giang"])),
    )
    award = award_propose(
        actor=root, initiative=initiative, title=title, level=RecognitionLevel.COMMUNE
    )
    award = award_recognise(
        actor=root,
        award=award,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 20),
        issuing_body="UBND phường Yên Giang",
    )
    award_nominate(actor=root, award=award)
    expected = [
        {
            "stage": AwardStage.NOMINATED,
            "level": RecognitionLevel.COMMUNE,
            "awards": 1,
            "initiatives": 1,
        },
        {
            "stage": AwardStage.PROPOSED,
            "level": RecognitionLevel.DISTRICT,
            "awards": 1,
            "initiatives": 1,
        },
    ]
    key = lambda row: (row["stage"], row["level"])  # noqa: E731
    for area, mode in (
        (units["yen_giang"], AS_WAS),
        (units["quang_yen"], RESTATED),
        (None, AS_WAS),
    ):
        assert sorted(award_figures(area=area, mode=mode), key=key) == sorted(expected, key=key)
    # Today's Quảng Yên ward covers the legacy Yên Giang ward: the same awards in both modes.
    assert sorted(award_figures(area=units["quang_yen"], mode=AS_WAS), key=key) == sorted(
        expected, key=key
    )
    assert award_figures(area=units["ha_an"], mode=AS_WAS) == []
    assert award_figures(area=units["yen_giang"], mode=AS_WAS, year_from=2025) == []
    assert award_figures(mode=AS_WAS, field=Field.ECONOMY) == []


def test_recognised_initiatives_are_counted_once_under_each_node(units, orgs):
    from danvan.initiatives.lifecycle import initiative_register
    from danvan.review.models import AwardStage, RecognitionLevel
    from danvan.review.services import award_propose, award_recognise
    from danvan.stats.selectors import award_figures, recognised_initiatives
    from tests.factories import UserFactory
    from tests.factories_review import AwardTitleFactory

    title = AwardTitleFactory()
    root = UserFactory(username="root", is_superuser=True)

    def registered():
        initiative = create(orgs[0], units["yen_giang"])
        initiative = initiative_submit(actor=SYSTEM, initiative=initiative)
        return initiative_register(actor=SYSTEM, initiative=initiative)

    twice, proposed = registered(), registered()
    for level in (RecognitionLevel.COMMUNE, RecognitionLevel.DISTRICT):
        award = award_propose(actor=root, initiative=twice, title=title, level=level)
        award_recognise(
            actor=root,
            award=award,
            decision_number=f"{level}/QĐ",
            decision_date=datetime.date(2024, 12, 20),
            issuing_body="UBND",
        )
    award_propose(actor=root, initiative=proposed, title=title, level=RecognitionLevel.COMMUNE)

    # Two recognised rows of one initiative in the figures by level, one initiative here.
    rows = award_figures(area=units["yen_giang"], mode=AS_WAS)
    assert sum(r["initiatives"] for r in rows if r["stage"] == AwardStage.RECOGNISED) == 2
    for area, mode in (
        (units["yen_giang"], AS_WAS),
        (units["quang_yen"], RESTATED),
        (None, AS_WAS),
        (None, RESTATED),
    ):
        assert recognised_initiatives(area=area, mode=mode) == 1, (area, mode)
        assert recognised_initiatives(area=area, mode=mode, stages=[AwardStage.PROPOSED]) == 1
    # Today's Quảng Yên ward covers Yên Giang in both modes; Hà An does not.
    assert recognised_initiatives(area=units["quang_yen"], mode=AS_WAS) == 1
    assert recognised_initiatives(area=units["ha_an"], mode=AS_WAS) == 0
    assert recognised_initiatives(area=units["yen_giang"], mode=AS_WAS, year_from=2025) == 0
    assert recognised_initiatives(area=units["yen_giang"], mode=AS_WAS, year_to=2023) == 0
    assert recognised_initiatives(mode=AS_WAS, field=Field.ECONOMY) == 0
    assert recognised_initiatives(mode=AS_WAS, field=Field.CULTURE_SOCIETY) == 1
    assert recognised_initiatives(mode=AS_WAS, stages=[AwardStage.COMMENDED]) == 0
