"""E-mails that tell a person their sign-in credentials changed (ASVS 2.2.3, 2.5.5).

A stolen session can change a password or create an API token; the owner learns of it from
their mailbox, which the thief does not hold. The notices carry no link (a genuine security
notice that asks nobody to click cannot be imitated by one that does) and no secret: they say
what changed, when, and what to do if it was not them. They go out after the change commits,
in the person's own language, and a mail server that is down never undoes the change.

One notice has a link: a change of e-mail address goes to the *old* address, whose owner may
confirm it there (the link only confirms; it asks for no password and signs nobody in).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import ApiToken, User

logger = logging.getLogger(__name__)

# How a password came to change; each has its own sentence in the notice.
CHANGED_BY_SELF = "self"
CHANGED_BY_RESET = "reset"
CHANGED_BY_ADMIN = "admin"
CHANGED_OUTSIDE = "outside"


def _send(user: User, subject, template: str, context: dict, to: str = "") -> bool:
    """Render and send one notice in ``user``'s language (to ``to``, by default their address);
    return whether it left."""
    to = to or user.email
    if not to:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        when = date_format(timezone.localtime(context.pop("when")), "DATETIME_FORMAT")
        body = render_to_string(template, {"person": user, "when": when, **context})
        subject = f"[danvan] {subject}"
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    except Exception:  # the mail server is down or refuses: the change stands, say so
        logger.exception("The %s notice to user %s was not sent", template, user.pk)
        return False
    return True


def send_password_changed(user: User, *, how: str, by: User | None = None, when=None) -> bool:
    """Tell ``user`` their password was changed, and how (``CHANGED_BY_*``)."""
    return _send(
        user,
        _("Your password was changed"),
        "accounts/email/password_changed.txt",
        {"how": how, "by": by, "when": when or timezone.now()},
    )


def send_token_created(token: ApiToken) -> bool:
    """Tell the token's owner that a new API token acts in their name."""
    return _send(
        token.user,
        _("A new API token was created for your account"),
        "accounts/email/token_created.txt",
        {"token": token, "when": token.created_at},
    )


def send_email_changed(
    user: User, *, old_address: str, by: User | None, when, confirm_url: str, hold_hours: int
) -> bool:
    """Tell the *old* address that the account's address changed, to what, and how to report
    it; its one link confirms the change and asks for nothing (no password, no sign-in)."""
    return _send(
        user,
        _("The e-mail address of your account was changed"),
        "accounts/email/email_changed.txt",
        {
            "by": by,
            "when": when,
            "old_address": old_address,
            "new_address": user.email,
            "confirm_url": confirm_url,
            "hold_hours": hold_hours,
        },
        to=old_address,
    )
