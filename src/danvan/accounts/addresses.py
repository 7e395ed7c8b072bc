"""A change of a person's e-mail address, told to the old address, and when a "forgotten
password" link may go to the new one.

Whoever controls the address on file can take the account over through "Forgotten your
password?". So when the address changes, the old address is told what changed and given a
signed link to confirm it; until it confirms, or for a day after the change, no reset link
goes to the new address. The reset page answers the same whether or not a mail went out, so
it tells nobody which address belongs to whom.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import notices
from danvan.accounts.models import User
from danvan.core.security_log import current_request, security_event

# A new address receives reset links only after the old one confirmed it, or after this long.
RESET_HOLD = datetime.timedelta(hours=24)
# How long the confirmation link mailed to the old address works.
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
SALT = "danvan.accounts.email-change"


def same_address(first: str, second: str) -> bool:
    return (first or "").strip().lower() == (second or "").strip().lower()


def email_change_record(*, user: User, old_address: str, actor) -> None:
    """Note on ``user`` (not yet saved) that their address changed from ``old_address``, and
    tell the old address once the change commits."""
    now = timezone.now()
    user.email_changed_at = now
    user.email_previous = (old_address or "").strip()
    user.email_change_confirmed = False
    by = actor if getattr(actor, "pk", None) and actor.pk != user.pk else None
    transaction.on_commit(
        partial(_tell_old_address, user.pk, old_address=user.email_previous, by=by)
    )


def _tell_old_address(user_pk: int, *, old_address: str, by) -> None:
    user = User.objects.filter(pk=user_pk).first()
    if user is None or not old_address:
        return
    security_event(
        "email.changed", user_id=user.pk, username=user.username, actor_id=getattr(by, "pk", None)
    )
    notices.send_email_changed(
        user,
        old_address=old_address,
        by=by,
        when=user.email_changed_at,
        confirm_url=absolute_url(
            reverse("accounts:email_confirm", args=[email_change_token(user)])
        ),
        hold_hours=int(RESET_HOLD.total_seconds() // 3600),
    )


def absolute_url(path: str) -> str:
    """Return ``path`` on the site the request being answered came to (its checked host), or
    on the first allowed host when there is no request (a background import)."""
    request = current_request()
    if request is not None:
        return request.build_absolute_uri(path)
    hosts = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith((".", "*"))]
    return f"https://{hosts[0]}{path}" if hosts else path


def email_change_token(user: User) -> str:
    """Return the signed token of ``user``'s latest address change (it names the new address
    and the moment, so it confirms that change and no later one)."""
    return signing.dumps(
        {"u": user.pk, "e": user.email, "t": user.email_changed_at.isoformat()}, salt=SALT
    )


def _invalid() -> ValidationError:
    return ValidationError(
        _("This confirmation link is not valid, has expired, or was already used."),
        code="invalid",
    )


def email_change_pending(*, token: str) -> User:
    """Return the person whose unconfirmed address change ``token`` names, or raise
    ``ValidationError`` (bad signature, expired, a later change, already confirmed)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
        user = User.objects.get(pk=data["u"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        raise _invalid() from None
    stamp = user.email_changed_at.isoformat() if user.email_changed_at else None
    if user.email_change_confirmed or data.get("t") != stamp or data.get("e") != user.email:
        raise _invalid()
    return user


@transaction.atomic
def user_email_change_confirm(*, token: str) -> User:
    """Record that the old address confirmed the change ``token`` names (whoever holds the
    link mailed to it is the old address's owner)."""
    user = email_change_pending(token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email_change_confirmed = True
    user.save(update_fields=["email_change_confirmed"])
    transaction.on_commit(
        partial(security_event, "email.change-confirmed", user_id=user.pk, username=user.username)
    )
    return user


def reset_may_go_to(user: User, now=None) -> bool:
    """Return whether a password reset link may be mailed to ``user``'s current address."""
    if user.email_changed_at is None or user.email_change_confirmed:
        return True
    return (now or timezone.now()) - user.email_changed_at >= RESET_HOLD
