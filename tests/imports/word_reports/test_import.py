"""A Word report through the whole import: read, reviewed by a person, applied all or nothing
through the initiatives' services, rolled back."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.imports.models import BatchStatus, ItemDecision, ItemRecord, ReportItem
from danvan.imports.services import batch_rollback
from danvan.imports.word_reports.services import (
    report_apply,
    report_confirm_suggestions,
    report_review,
    report_upload,
)
from danvan.initiatives.models import Contribution, Initiative, Result
from tests.imports.conftest import counts
from tests.imports.word_reports.conftest import upload_of, yen_giang_report

pytestmark = pytest.mark.django_db


def _items(batch) -> dict[str, list[ReportItem]]:
    found: dict[str, list[ReportItem]] = {}
    for item in batch.items.order_by("position"):
        found.setdefault(item.record, []).append(item)
    return found


def test_a_report_is_read_into_items_and_nothing_is_saved(world, media_root, report_file, lights):
    before = counts()
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    assert batch.status == BatchStatus.VALIDATED
    assert counts() == before  # nothing is saved before a person confirms
    items = _items(batch)
    lights_item, unknown = items[ItemRecord.INITIATIVE]
    assert lights_item.values["title"] == "Thắp sáng đường quê khu 1"
    assert lights_item.values["field"] == "culture_society"
    assert lights_item.values["organisation"] == world.wu_yen_giang.code  # by its exact name
    assert lights_item.values["year"] == 2024
    assert "Hội LHPN phường Yên Giang" in lights_item.evidence
    assert unknown.values["organisation"] == ""  # "Chi hội phụ nữ khu 9" is in no list
    figures = [
        (i.values["value"], i.values["unit"], i.values["qualifier"])
        for i in items[ItemRecord.CONTRIBUTION] + items[ItemRecord.RESULT]
    ]
    assert sorted(figures) == sorted(
        [("120", "m", ""), ("180000000", "vnd", "more_than"), ("320", "person_days", "")]
    )
    money = next(i for i in items[ItemRecord.CONTRIBUTION] if i.values["unit"] == "vnd")
    assert money.values["qualifier_words"] == "hơn"
    assert money.evidence.startswith("Mô hình “Thắp sáng đường quê khu 1”")
    assert money.values["initiative_item"] == lights_item.position
    result = items[ItemRecord.RESULT][0]
    assert result.values["indicator"] == "lights_m"  # "lắp … đèn chiếu sáng", in metres
    assert all(item.decision == ItemDecision.PENDING for item in batch.items.all())


def test_confirmed_items_are_applied_and_rolled_back(world, media_root, report_file, lights):
    before = counts()
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    items = _items(batch)
    lights_item, unknown = items[ItemRecord.INITIATIVE]
    changes = {lights_item.position: {"decision": ItemDecision.CONFIRMED}}
    changes[unknown.position] = {"decision": ItemDecision.REJECTED}
    for item in items[ItemRecord.CONTRIBUTION] + items[ItemRecord.RESULT]:
        changes[item.position] = {"decision": ItemDecision.CONFIRMED}
    assert report_review(actor=world.lan, batch=batch, changes=changes) == []
    batch = report_apply(actor=world.lan, batch=batch)
    assert batch.status == BatchStatus.APPLIED, list(batch.issues.values_list("message"))
    initiative = Initiative.objects.get(title="Thắp sáng đường quê khu 1")
    assert (initiative.organisation, initiative.area, initiative.year) == (
        world.wu_yen_giang,
        world.yen_giang,
        2024,
    )
    assert initiative.history.first().history_change_reason == batch.cause
    entries = Contribution.objects.filter(initiative=initiative)
    assert sorted((e.kind, e.amount) for e in entries) == [("labour", 320), ("money", 180_000_000)]
    money = entries.get(kind="money")
    assert "hơn 180 triệu đồng" in money.description  # the sentence, "hơn" with it
    result = Result.objects.get(initiative=initiative)
    assert (result.indicator, result.value) == (lights, 120)
    assert not Initiative.objects.filter(title="Chi hội phụ nữ 5 không 3 sạch").exists()

    batch_rollback(actor=world.tuan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert counts()[0::2] == before[0::2]  # initiatives and contributions gone
    assert Result.objects.count() == before[3]


def land_and_labour_report():
    """Land given to a tenth of a square metre and labour to half a day, in a sentence."""
    return yen_giang_report(
        blocks=[
            *yen_giang_report().blocks[:1],
            (
                "p",
                "Mô hình “Thắp sáng đường quê khu 1” đã vận động các hộ hiến {{m2:350.5}} đất "
                "và đóng góp {{days:12.5}}.",
                "Thắp sáng đường quê khu 1",
            ),
        ]
    )


def confirm_figures(world, batch, **values) -> None:
    """Confirm the first model and every figure, with ``values`` changed by unit."""
    items = _items(batch)
    changes = {items[ItemRecord.INITIATIVE][0].position: {"decision": ItemDecision.CONFIRMED}}
    changes[items[ItemRecord.INITIATIVE][1].position] = {"decision": ItemDecision.REJECTED}
    for item in items[ItemRecord.CONTRIBUTION] + items.get(ItemRecord.RESULT, []):
        changes[item.position] = {"decision": ItemDecision.CONFIRMED}
        if item.values["unit"] in values:
            changes[item.position]["value"] = values[item.values["unit"]]
    assert report_review(actor=world.lan, batch=batch, changes=changes) == []


def test_land_and_labour_with_decimals_go_into_the_ledger_as_read(
    world, media_root, report_file, lights
):
    batch = report_upload(actor=world.lan, upload=upload_of(report_file(land_and_labour_report())))
    figures = {i.values["unit"]: i.values for i in _items(batch)[ItemRecord.CONTRIBUTION]}
    assert (figures["m2"]["value"], figures["m2"]["kind"]) == ("350.5", "land")
    assert (figures["person_days"]["value"], figures["person_days"]["kind"]) == ("12.5", "labour")
    confirm_figures(world, batch)
    batch = report_apply(actor=world.lan, batch=batch)
    assert batch.status == BatchStatus.APPLIED, list(batch.issues.values_list("message"))
    entries = Contribution.objects.filter(initiative__title="Thắp sáng đường quê khu 1")
    assert sorted((e.kind, e.amount) for e in entries) == [
        ("labour", Decimal("12.5")),
        ("land", Decimal("350.5")),
    ]


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("m2", "350,555", "Enter at most two decimals."),
        ("person_days", "0,125", "Enter at most two decimals."),
    ],
)
def test_a_figure_corrected_past_two_decimals_is_refused_on_its_row(
    world, media_root, report_file, lights, unit, typed, message
):
    before = counts()
    batch = report_upload(actor=world.lan, upload=upload_of(report_file(land_and_labour_report())))
    confirm_figures(world, batch, **{unit: typed})
    batch = report_apply(actor=world.lan, batch=batch)
    assert batch.status == BatchStatus.VALIDATED
    figure = next(i for i in _items(batch)[ItemRecord.CONTRIBUTION] if i.values["unit"] == unit)
    assert list(batch.issues.values_list("row", "column", "message")) == [
        (figure.position, "value", message)
    ]
    assert counts() == before


def test_money_corrected_to_a_fraction_of_a_dong_is_refused_not_cut(
    world, media_root, report_file, lights
):
    """Before, the apply kept the whole đồng of "180000000,5" and dropped the rest unseen."""
    before = counts()
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    confirm_figures(world, batch, vnd="180000000,5")
    batch = report_apply(actor=world.lan, batch=batch)
    assert batch.status == BatchStatus.VALIDATED
    messages = list(batch.issues.values_list("column", "message"))
    assert messages == [("value", "Enter whole đồng, without decimals: VND has no smaller unit.")]
    assert counts() == before


def test_an_item_that_cannot_be_saved_keeps_everything_out(world, media_root, report_file, lights):
    """All or nothing: the unit without an organisation stops the apply, naming its row."""
    before = counts()
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    changes = {item.position: {"decision": ItemDecision.CONFIRMED} for item in batch.items.all()}
    report_review(actor=world.lan, batch=batch, changes=changes)
    batch = report_apply(actor=world.lan, batch=batch)
    assert batch.status == BatchStatus.VALIDATED  # still to review
    unknown = batch.items.get(values__title="Chi hội phụ nữ 5 không 3 sạch")
    assert list(batch.issues.values_list("row", "column")) == [(unknown.position, "organisation")]
    assert counts() == before
    # Corrected (the right code given), it applies.
    report_review(
        actor=world.lan,
        batch=batch,
        changes={unknown.position: {"organisation": world.wu_yen_giang.code}},
    )
    assert report_apply(actor=world.lan, batch=batch).status == BatchStatus.APPLIED
    assert Initiative.objects.filter(title="Chi hội phụ nữ 5 không 3 sạch").exists()


def test_confirming_the_sure_suggestions_leaves_the_rest(world, media_root, report_file, lights):
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    confirmed = report_confirm_suggestions(actor=world.lan, batch=batch)
    unknown = batch.items.get(values__title="Chi hội phụ nữ 5 không 3 sạch")
    assert unknown.decision == ItemDecision.PENDING  # no organisation: the person decides
    assert confirmed == batch.items.filter(decision=ItemDecision.CONFIRMED).count() == 4


def test_bad_corrections_are_refused_with_their_row(world, media_root, report_file, lights):
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    figure = batch.items.filter(record=ItemRecord.CONTRIBUTION).first()
    model = batch.items.filter(record=ItemRecord.INITIATIVE).first()
    problems = report_review(
        actor=world.lan,
        batch=batch,
        changes={
            figure.position: {"value": "một trăm", "decision": "confirmed"},
            model.position: {"year": "1890", "organisation": "ORG-NOPE"},
        },
    )
    assert len(problems) == 2
    assert any("“một trăm” is not a number" in problem for problem in problems)
    figure.refresh_from_db()
    assert figure.decision == ItemDecision.PENDING  # the row keeps its values, unconfirmed


def test_only_the_uploader_reviews_and_applies(world, media_root, report_file, lights):
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    with pytest.raises(PermissionDenied):
        report_review(actor=world.thu, batch=batch, changes={1: {"decision": "confirmed"}})
    with pytest.raises(PermissionDenied):
        report_apply(actor=world.thu, batch=batch)


def test_a_viewer_cannot_upload(world, media_root, report_file):
    with pytest.raises(PermissionDenied):
        report_upload(actor=world.quan, upload=upload_of(report_file()))


def test_applying_nothing_confirmed_is_refused(world, media_root, report_file):
    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    with pytest.raises(ValidationError, match="Confirm at least one row"):
        report_apply(actor=world.lan, batch=batch)


def test_legacy_units_are_read_for_years_before_july_2025(world, media_root, report_file):
    """Yên Giang ward is in the 63-province list only: a 2024 report finds its Women's Union
    through the unit its name ends with, a unit of that day."""
    from tests.imports.word_reports.conftest import yen_giang_report

    report = yen_giang_report()
    report.blocks[0].rows[0].unit = "Hội Phụ nữ phường Yên Giang"  # not the exact name
    batch = report_upload(actor=world.lan, upload=upload_of(report_file(report)))
    first = batch.items.get(position=1)
    assert first.values["organisation"] == world.wu_yen_giang.code


def test_a_rollback_is_refused_when_a_model_gained_entries_since(
    world, media_root, report_file, lights
):
    """Someone recorded a contribution on the imported model afterwards: undoing the import
    would delete it, so the rollback is refused, naming the model, and nothing changes."""
    import datetime

    from danvan.initiatives.services import contribution_add

    batch = report_upload(actor=world.lan, upload=upload_of(report_file()))
    report_confirm_suggestions(actor=world.lan, batch=batch)
    batch = report_apply(actor=world.lan, batch=batch)
    initiative = Initiative.objects.get(title="Thắp sáng đường quê khu 1")
    contribution_add(
        actor=world.lan,
        initiative=initiative,
        date=datetime.date(2024, 12, 20),
        kind="money",
        amount=5_000_000,
        contributor_type="households",
    )
    with pytest.raises(ValidationError, match=initiative.code):
        batch_rollback(actor=world.tuan, batch=batch)
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert initiative.contributions.count() == 3


def test_a_model_already_registered_is_named(world, media_root, report_file):
    """A row whose title and year match an initiative the person may see says so."""
    from tests.imports.word_reports.conftest import yen_giang_report

    report = yen_giang_report()
    report.blocks[0].rows[0].title = world.cultural_houses.title
    report.title = report.title.replace("2024", str(world.cultural_houses.year))
    batch = report_upload(actor=world.lan, upload=upload_of(report_file(report)))
    assert batch.items.get(position=1).values["existing"] == world.cultural_houses.code
