"""An archive's awards are years old: bringing them in tells nobody, while an award recognised
on the review page still tells the model's officers, in their inbox and by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from danvan.imports.models import BatchStatus
from danvan.notifications.models import Notification
from danvan.review.models import Award, AwardStage
from danvan.review.services import award_propose
from tests.imports import test_archive_import as sheets
from tests.imports.conftest import issues_of

pytestmark = pytest.mark.django_db

archivist = sheets.archivist
award_title = sheets.award_title


def test_an_archive_import_notifies_nobody_the_review_page_does(
    world, archivist, upload, apply, award_title, client, django_capture_on_commit_callbacks
):
    nga = world.nga  # officer of the Women's Union of Thiên Lộc, whose models these are
    assert nga.email
    rows = [
        *sheets.the_awards(world),
        # An award to a model of this year, already registered: its officers would be told.
        [world.thien_loc_roads.code, "", "", "commune", "recognised", "exemplary_model",
         "9/QĐ-UBND", "12/12/2024", "UBND xã Thiên Lộc", "", "", ""],
    ]  # fmt: skip
    mail.outbox.clear()
    batch = apply(
        archivist, upload(archivist, "initiatives", sheets.archive_with_awards(world, rows))
    )
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert Award.objects.filter(stage__in=[AwardStage.RECOGNISED, AwardStage.NOMINATED]).count()
    assert not Notification.objects.exists()
    assert mail.outbox == []

    # A reviewer recognises an award of the same model on its page: Nga is told.
    proposal = award_propose(
        actor=world.hoa, initiative=world.thien_loc_roads, title=award_title, level="district"
    )
    client.force_login(world.hoa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:award_recognise", args=[proposal.pk]),
            {
                "decision_number": "77/QĐ-UBND",
                "decision_date": "2024-12-20",
                "issuing_body": "UBND huyện Can Lộc",
            },
        )
    assert response.status_code == 302
    (notice,) = Notification.objects.filter(recipient=nga)
    assert (notice.kind, notice.initiative) == ("awarded", world.thien_loc_roads)
    assert [nga.email] in [message.to for message in mail.outbox]


def test_quiet_is_passed_through_the_award_services(world, award_title):
    """The switch is the caller's, for that write only: the next one tells the officers."""
    import datetime

    from danvan.review.services import award_commend, award_recognise

    decision = {
        "decision_number": "5/QĐ",
        "decision_date": datetime.date(2024, 12, 1),
        "issuing_body": "UBND xã Thiên Lộc",
    }
    first = award_propose(
        actor=world.hoa, initiative=world.thien_loc_roads, title=award_title, level="commune"
    )
    award_recognise(actor=world.hoa, award=first, quiet=True, **decision)
    second = award_propose(
        actor=world.hoa, initiative=world.thien_loc_roads, title=award_title, level="district"
    )
    award_commend(actor=world.hoa, award=second, quiet=True, **decision)
    assert not Notification.objects.filter(recipient=world.nga).exists()
    third = award_propose(
        actor=world.hoa, initiative=world.thien_loc_roads, title=award_title, level="province"
    )
    award_recognise(actor=world.hoa, award=third, **decision)
    assert Notification.objects.filter(recipient=world.nga, kind="awarded").count() == 1
