"""Who hears about what: the inbox, e-mails after commit, preferences, and round reminders."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format, number_format

from danvan.accounts.models import Role
from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import (
    initiative_complete,
    initiative_discontinue,
    initiative_register,
    initiative_return,
    initiative_start,
    initiative_submit,
)
from danvan.initiatives.models import Initiative
from danvan.notifications.models import EmailPreference, Notification, NotificationKind
from danvan.notifications.services import email_preference_set, notification_mark_read
from danvan.review.models import RecognitionLevel
from danvan.review.reminders import send_round_reminders
from danvan.review.services import award_propose, award_recognise, evaluation_create
from tests.factories_review import (
    AwardTitleFactory,
    CriterionFactory,
    RegistrationRoundFactory,
    RoleAssignmentFactory,
)

REASON = "Thiếu ảnh minh chứng nhà văn hóa khu 3"


def inbox(user, kind=None):
    notifications = Notification.objects.filter(recipient=user)
    if kind:
        notifications = notifications.filter(kind=kind)
    return list(notifications)


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def mailed_to():
    return sorted(address for message in mail.outbox for address in message.to)


def set_status(initiative, status):
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.refresh_from_db()
    return initiative


class TestWorkflowNotifications:
    def test_submission_notifies_the_reviewers_in_scope_only(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        assert recipients(NotificationKind.SUBMITTED) == {"minh"}
        (notification,) = inbox(world.minh)
        assert notification.initiative_id == world.cultural_houses.pk
        assert world.cultural_houses.code in notification.message
        # Written in the recipient's own language (Vietnamese unless he chose otherwise).
        with translation.override(world.minh.language):
            assert notification.message == translation.gettext(
                "%(code)s “%(title)s” was submitted for registration."
            ) % {"code": world.cultural_houses.code, "title": world.cultural_houses.title}
        assert notification.emailed
        assert mailed_to() == ["minh@danvan.test"]
        assert world.cultural_houses.code in mail.outbox[0].subject

    def test_submission_in_ha_an_notifies_duc_not_minh(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=SYSTEM, initiative=world.railings)
        assert recipients(NotificationKind.SUBMITTED) == {"duc"}
        assert mailed_to() == ["duc@danvan.test"]

    def test_provincial_reviewer_hears_of_a_legacy_commune_submission(
        self, world, django_capture_on_commit_callbacks
    ):
        roads = set_status(world.thien_loc_roads, Status.DRAFT)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.nga, initiative=roads)
        assert recipients(NotificationKind.SUBMITTED) == {"hoa"}

    def test_return_notifies_the_officers_with_the_reason(
        self, world, django_capture_on_commit_callbacks
    ):
        house = set_status(world.cultural_houses, Status.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_return(actor=world.minh, initiative=house, reason=REASON)
        assert recipients(NotificationKind.RETURNED) == {"lan"}
        (notification,) = inbox(world.lan)
        assert REASON in notification.message
        assert mailed_to() == ["lan@danvan.test"]
        assert REASON in mail.outbox[0].body

    def test_registration_notifies_the_officers(self, world, django_capture_on_commit_callbacks):
        digital = set_status(world.digital, Status.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_register(actor=world.minh, initiative=digital)
        # Thu is the officer of the People's Committee; Lan's union is another organisation.
        assert recipients(NotificationKind.REGISTERED) == {"thu"}
        assert mailed_to() == ["thu@danvan.test"]

    def test_other_steps_notify_nobody(self, world, django_capture_on_commit_callbacks):
        house = set_status(world.cultural_houses, Status.REGISTERED)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_start(actor=world.lan, initiative=house)
            initiative_complete(actor=world.minh, initiative=house)
        other = set_status(world.digital, Status.REGISTERED)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_discontinue(actor=world.minh, initiative=other, reason="Sáp nhập")
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_the_actor_is_not_notified_of_their_own_action(
        self, world, django_capture_on_commit_callbacks
    ):
        RoleAssignmentFactory(user=world.lan, role=Role.REVIEWER, area=world.quang_yen)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        assert recipients(NotificationKind.SUBMITTED) == {"minh"}

    def test_inactive_people_are_not_notified(self, world, django_capture_on_commit_callbacks):
        world.minh.is_active = False
        world.minh.save()
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_someone_holding_two_covering_roles_hears_once(
        self, world, django_capture_on_commit_callbacks
    ):
        RoleAssignmentFactory(user=world.minh, role=Role.REVIEWER, area=world.yen_giang)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        assert len(inbox(world.minh)) == 1
        assert mailed_to() == ["minh@danvan.test"]

    def test_mail_waits_for_the_commit(self, world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        # Other work waits for the commit too (the statistics' first rows of a unit, say):
        # the mail is sent by what runs on commit, and only then.
        assert mail.outbox == []
        assert len(inbox(world.minh)) == 1
        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 1


class TestEmailPreferences:
    def test_no_email_address_means_inbox_only(self, world, django_capture_on_commit_callbacks):
        world.minh.email = ""
        world.minh.save()
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        (notification,) = inbox(world.minh)
        assert not notification.emailed
        assert mail.outbox == []

    def test_a_kind_turned_off_is_not_emailed(self, world, django_capture_on_commit_callbacks):
        email_preference_set(user=world.lan, kind=NotificationKind.RETURNED, enabled=False)
        house = set_status(world.cultural_houses, Status.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True):
            initiative_return(actor=world.minh, initiative=house, reason=REASON)
        (notification,) = inbox(world.lan)
        assert not notification.emailed
        assert mail.outbox == []
        # Other kinds still arrive by e-mail.
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=house)
            initiative_register(actor=world.minh, initiative=house)
        assert mailed_to() == ["lan@danvan.test", "minh@danvan.test"]

    def test_turning_a_kind_back_on(self, world, django_capture_on_commit_callbacks):
        email_preference_set(user=world.minh, kind=NotificationKind.SUBMITTED, enabled=False)
        preference = email_preference_set(
            user=world.minh, kind=NotificationKind.SUBMITTED, enabled=True
        )
        assert preference.enabled
        assert EmailPreference.objects.filter(user=world.minh).count() == 1
        with django_capture_on_commit_callbacks(execute=True):
            initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        assert mailed_to() == ["minh@danvan.test"]

    def test_unknown_kind_is_refused(self, world):
        with pytest.raises(ValidationError) as caught:
            email_preference_set(user=world.minh, kind="gossip", enabled=False)
        assert list(caught.value.message_dict) == ["kind"]
        assert not EmailPreference.objects.exists()


class TestEvaluationAndAwardNotifications:
    def test_evaluation_notifies_the_officers(self, world, django_capture_on_commit_callbacks):
        criterion = CriterionFactory()
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_create(
                actor=world.minh,
                initiative=set_status(world.cultural_houses, Status.COMPLETED),
                criteria_set=criterion.criteria_set,
                scores={criterion.pk: 8},
            )
        (notification,) = inbox(world.lan)
        assert notification.kind == NotificationKind.EVALUATED
        with translation.override(world.lan.language):
            assert number_format(Decimal("80.00"), 2) in notification.message
        assert mailed_to() == ["lan@danvan.test"]

    def test_recognition_notifies_the_officers(self, world, django_capture_on_commit_callbacks):
        award = award_propose(
            actor=world.minh,
            initiative=world.digital,
            title=AwardTitleFactory(),
            level=RecognitionLevel.PROVINCE,
        )
        assert not Notification.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            award_recognise(
                actor=world.minh,
                award=award,
                decision_number="2345/QĐ-UBND",
                decision_date=datetime.date(2024, 12, 20),
                issuing_body="UBND tỉnh Quảng Ninh",
            )
        assert recipients(NotificationKind.AWARDED) == {"thu"}
        # Thu reads Vietnamese: the message names the title in her language.
        assert world.thu.language == "vi"
        assert "Mô hình Dân vận khéo tiêu biểu" in inbox(world.thu)[0].message
        assert mailed_to() == ["thu@danvan.test"]


class TestInbox:
    def test_mark_read(self, world):
        initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        (notification,) = inbox(world.minh)
        assert notification.read_at is None
        notification_mark_read(user=world.minh, notification=notification)
        first = Notification.objects.get(pk=notification.pk).read_at
        assert first is not None
        notification_mark_read(user=world.minh, notification=notification)
        assert Notification.objects.get(pk=notification.pk).read_at == first

    def test_nobody_marks_anothers_notification(self, world):
        initiative_submit(actor=world.lan, initiative=world.cultural_houses)
        (notification,) = inbox(world.minh)
        with pytest.raises(Notification.DoesNotExist):
            notification_mark_read(user=world.duc, notification=notification)
        assert Notification.objects.get(pk=notification.pk).read_at is None


TODAY = datetime.date(2025, 3, 24)


class TestRoundReminders:
    @pytest.fixture
    def quang_ninh_round(self, world):
        return RegistrationRoundFactory(
            year=2025,
            area=world.quang_ninh,
            closes_on=TODAY + datetime.timedelta(days=7),
            cutoff_on=datetime.date(2025, 11, 30),
        )

    def test_reminds_the_officers_and_reviewers_of_the_province_once(
        self, world, quang_ninh_round, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            sent = send_round_reminders(today=TODAY)
        expected = {"lan", "thu", "minh", "duc"}
        assert sent == len(expected)
        assert recipients(NotificationKind.ROUND_CLOSING) == expected
        assert mailed_to() == sorted(f"{name}@danvan.test" for name in expected)
        with translation.override(world.minh.language):
            day = date_format(datetime.date(2025, 3, 31), "SHORT_DATE_FORMAT")
        assert day in inbox(world.minh)[0].message
        # Running again the same day (or twice a day) sends nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            assert send_round_reminders(today=TODAY) == 0
        assert Notification.objects.count() == len(expected)
        assert len(mail.outbox) == len(expected)

    def test_not_reminded_on_other_days(self, world, quang_ninh_round):
        assert send_round_reminders(today=TODAY - datetime.timedelta(days=1)) == 0
        assert send_round_reminders(today=TODAY + datetime.timedelta(days=1)) == 0
        assert not Notification.objects.exists()

    def test_viewers_admins_and_other_provinces_are_not_reminded(self, world, quang_ninh_round):
        send_round_reminders(today=TODAY)
        reminded = recipients(NotificationKind.ROUND_CLOSING)
        assert not reminded & {"quan", "tuan", "root", "hoa", "nga"}

    def test_cutoff_reminder(self, world):
        RegistrationRoundFactory(
            year=2025,
            area=world.ha_tinh,
            closes_on=datetime.date(2025, 3, 31),
            cutoff_on=TODAY + datetime.timedelta(days=3),
        )
        assert send_round_reminders(today=TODAY, days_ahead=3) == 2
        assert recipients(NotificationKind.CUTOFF) == {"hoa", "nga"}

    def test_national_round_reminds_everyone_with_a_role(self, world):
        RegistrationRoundFactory(year=2025, area=None, closes_on=TODAY + datetime.timedelta(7))
        send_round_reminders(today=TODAY)
        assert recipients(NotificationKind.ROUND_CLOSING) == {
            "lan",
            "thu",
            "minh",
            "duc",
            "hoa",
            "nga",
        }

    def test_inactive_people_are_not_reminded(self, world, quang_ninh_round):
        world.duc.is_active = False
        world.duc.save()
        send_round_reminders(today=TODAY)
        assert "duc" not in recipients(NotificationKind.ROUND_CLOSING)

    def test_the_command_runs(self, world, quang_ninh_round, django_capture_on_commit_callbacks):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
        assert out.getvalue().strip() == "4 reminders sent."
        out = StringIO()
        call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
        assert out.getvalue().strip() == "0 reminders sent."

    def test_the_command_takes_days_ahead(self, world, quang_ninh_round):
        out = StringIO()
        call_command("send_reminders", "--today", "2025-03-28", "--days-ahead", "3", stdout=out)
        assert out.getvalue().strip() == "4 reminders sent."


def test_each_recipient_reads_the_message_in_their_own_language(
    world, django_capture_on_commit_callbacks
):
    """Lan reads English: the message about her union's initiative is in English."""
    award = award_propose(
        actor=world.minh,
        initiative=set_status(world.cultural_houses, Status.COMPLETED),
        title=AwardTitleFactory(),
        level=RecognitionLevel.PROVINCE,
    )
    world.lan.language = "en"
    world.lan.save()
    with django_capture_on_commit_callbacks(execute=True):
        award_recognise(
            actor=world.minh,
            award=award,
            decision_number="2345/QĐ-UBND",
            decision_date=datetime.date(2024, 12, 20),
            issuing_body="UBND tỉnh Quảng Ninh",
        )
    (message,) = inbox(world.lan)
    assert "Exemplary Skilled Mass Mobilization model" in message.message
