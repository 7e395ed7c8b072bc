"""Who hears about what: the inbox and the e-mails that follow workflow events."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.areas.selectors import area_covering_ids
from danvan.core.validation import reject
from danvan.initiatives.models import Initiative
from danvan.notifications.models import EmailPreference, Notification, NotificationKind
from danvan.notifications.selectors import CHOOSABLE_KINDS


def _users_covering(initiative: Initiative, role: str) -> list[User]:
    """Return active users holding ``role`` over ``initiative``'s area and organisation.

    The same rule as ``Grant.covers``, asked once of the database rather than of every role
    assignment in the country.
    """
    covering = area_covering_ids(area=initiative.area)
    assignments = (
        RoleAssignment.objects.filter(role=role, user__is_active=True)
        .filter(Q(area_id__in=covering) | Q(area__isnull=True))
        .filter(Q(organisation__isnull=True) | Q(organisation_id=initiative.organisation_id))
        .select_related("user")
    )
    return list({assignment.user_id: assignment.user for assignment in assignments}.values())


def _wants_email(user: User, kind: str) -> bool:
    if not user.email:
        return False
    preference = EmailPreference.objects.filter(user=user, kind=kind).first()
    return preference.enabled if preference else True


Message = str | Callable[[], str]


def notify(
    *,
    recipients,
    kind: str,
    message: Message,
    initiative: Initiative | None = None,
    dedupe_key: str = "",
    quiet: bool = False,
):
    """Put a message in each recipient's inbox and e-mail those who want it, after commit.

    ``message`` may be a function that builds the text; it is called in each recipient's own
    language, so a reviewer reading Vietnamese and one reading English both understand it.
    ``quiet``: tell nobody (an archive brought in records steps taken years ago); the caller
    passes it on from its own caller, so only the write that asked for it is quiet.
    """
    created = []
    if quiet:
        return created
    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = str(message() if callable(message) else message)[:500]
        wants = _wants_email(user, kind)
        created.append(
            Notification.objects.create(
                recipient=user,
                kind=kind,
                message=text,
                initiative=initiative,
                emailed=wants,
                dedupe_key=dedupe_key,
            )
        )
        if wants:
            transaction.on_commit(
                lambda user=user, text=text: send_mail(
                    subject=f"[danvan] {text[:120]}",
                    message=text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                    fail_silently=True,
                )
            )
    return created


def notify_transition(*, initiative: Initiative, transition: str, actor, reason: str = ""):
    """Tell the right people about a workflow step: reviewers on submission, officers after."""
    if transition == "submit":
        notify(
            recipients=[u for u in _users_covering(initiative, Role.REVIEWER) if u != actor],
            kind=NotificationKind.SUBMITTED,
            message=lambda: (
                _("%(code)s “%(title)s” was submitted for registration.")
                % {"code": initiative.code, "title": initiative.title}
            ),
            initiative=initiative,
        )
    elif transition in {"return", "register"}:
        if transition == "return":

            def message():
                return _("%(code)s was returned: %(reason)s") % {
                    "code": initiative.code,
                    "reason": reason,
                }
        else:

            def message():
                return _("%(code)s was registered.") % {"code": initiative.code}

        notify_initiative_officers(
            initiative=initiative,
            kind=NotificationKind.RETURNED
            if transition == "return"
            else NotificationKind.REGISTERED,
            message=message,
            actor=actor,
        )


def on_transition(sender, *, initiative: Initiative, transition: str, actor, reason: str, **kwargs):
    """Receive the lifecycle's ``transitioned`` signal."""
    notify_transition(initiative=initiative, transition=transition, actor=actor, reason=reason)


def notify_initiative_officers(
    *, initiative: Initiative, kind: str, message: Message, actor, quiet: bool = False
):
    """Notify the officers responsible for ``initiative`` (not the person who acted), unless
    ``quiet``."""
    if quiet:
        return []
    recipients = [u for u in _users_covering(initiative, Role.OFFICER) if u != actor]
    return notify(recipients=recipients, kind=kind, message=message, initiative=initiative)


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_unread(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications unread again, to come back to it."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is not None:
        notification.read_at = None
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; return how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def email_preferences_set(*, user: User, enabled: Iterable[str]) -> None:
    """Send ``user`` e-mails of the kinds in ``enabled`` only, and none of the others they may
    choose: what the settings page's check boxes say, in one write."""
    wanted = set(enabled)
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        reject("kinds", _("Unknown kind of notification."))
    for kind in CHOOSABLE_KINDS:
        email_preference_set(user=user, kind=kind, enabled=kind.value in wanted)


@transaction.atomic
def email_preference_set(*, user: User, kind: str, enabled: bool) -> EmailPreference:
    """Turn one kind of e-mail on or off for ``user``."""
    if kind not in NotificationKind.values:
        reject("kind", _("Unknown kind of notification."))
    preference, _created = EmailPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"enabled": enabled}
    )
    return preference
