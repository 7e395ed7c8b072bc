"""Reads of a person's inbox: only ever their own notifications."""

from django.db.models import QuerySet

from danvan.notifications.models import EmailPreference, Notification, NotificationKind

# The kinds a person chooses e-mails for; "other" is not a kind anyone is sent.
CHOOSABLE_KINDS = tuple(kind for kind in NotificationKind if kind != NotificationKind.OTHER)


def notification_inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """Return ``user``'s own notifications, newest first, with the initiative each is about.

    Nobody reads another person's inbox here, administrators included (they have the
    read-only admin)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient=user).select_related("initiative")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    """Return how many of ``user``'s notifications are unread: one count on the
    ``(recipient, read_at)`` index, cheap enough for every page's menu."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_of(*, user, pk: int) -> Notification:
    """Return one of ``user``'s notifications; another person's is ``DoesNotExist`` alike."""
    return notification_inbox(user=user).get(pk=pk)


def email_choices_of(*, user) -> list[tuple[str, str, bool]]:
    """Return ``(kind, label, e-mailed)`` for every kind a person may choose, on unless turned
    off (the rule ``notify`` applies)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return [(kind.value, kind.label, chosen.get(kind.value, True)) for kind in CHOOSABLE_KINDS]
