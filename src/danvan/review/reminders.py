"""Reminders of a registration round's dates, to the officers and reviewers it concerns.

Rounds belong to the review; the notifications app delivers (in-app and by e-mail).
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.scope import Grant
from danvan.notifications.models import Notification, NotificationKind
from danvan.notifications.services import notify
from danvan.review.models import RegistrationRound


def send_round_reminders(*, today: datetime.date, days_ahead: int = 7) -> int:
    """Remind officers and reviewers in scope of rounds closing or reaching cut-off soon.

    Run daily (``danvan send_reminders``); a reminder goes out once, exactly ``days_ahead``
    days before the date, so running it twice a day does not repeat it.
    """
    target = today + datetime.timedelta(days=days_ahead)
    sent = 0
    for registration_round in RegistrationRound.objects.filter(closes_on=target):
        sent += _remind(registration_round, NotificationKind.ROUND_CLOSING, target)
    for registration_round in RegistrationRound.objects.filter(cutoff_on=target):
        sent += _remind(registration_round, NotificationKind.CUTOFF, target)
    return sent


def _remind(registration_round, kind: str, day: datetime.date) -> int:
    def message() -> str:
        values = {"round": registration_round, "day": date_format(day, "SHORT_DATE_FORMAT")}
        if kind == NotificationKind.ROUND_CLOSING:
            return _("Registration round %(round)s closes on %(day)s.") % values
        return _("The statistics of round %(round)s are cut off on %(day)s.") % values

    dedupe_key = f"{kind}:{registration_round.pk}:{day.isoformat()}"
    assignments = RoleAssignment.objects.filter(
        role__in=[Role.OFFICER, Role.REVIEWER], user__is_active=True
    ).select_related("user", "area", "organisation__seat_area")
    # The round's area covers its subtree and the historical units it succeeds; a role
    # scoped to an organisation only is placed at the organisation's seat.
    round_scope = Grant("", registration_round.area, None)
    recipients = {}
    for assignment in assignments:
        seat = assignment.area or (
            assignment.organisation.seat_area if assignment.organisation_id else None
        )
        covered = round_scope.covers(seat, None)
        if (
            covered
            and not Notification.objects.filter(
                recipient=assignment.user, dedupe_key=dedupe_key
            ).exists()
        ):
            recipients[assignment.user_id] = assignment.user
    notify(recipients=recipients.values(), kind=kind, message=message, dedupe_key=dedupe_key)
    return len(recipients)
