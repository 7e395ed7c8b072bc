"""Sign-ins, sign-outs and password changes become security events, notices and entries in
the person's list of sessions. Connected in ``AccountsConfig.ready``."""

import logging
from functools import partial

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from danvan.accounts import notices
from danvan.accounts.models import User
from danvan.accounts.services import SESSION_SIGNED_IN_AT, user_session_record
from danvan.core.security_log import client_address, current_request, security_event

MAX_USER_AGENT = 300


def user_agent_of(request) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:MAX_USER_AGENT]


def address_of(request) -> str:
    address = client_address(request)
    return "" if address == "unknown" else address


@receiver(user_logged_in, dispatch_uid="danvan.accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    """Log the sign-in and add the session to the person's list."""
    security_event("sign-in.succeeded", request=request, user_id=user.pk, username=user.username)
    session = getattr(request, "session", None)
    if not isinstance(session, DatabaseSessionStore):
        return
    if not session.session_key:  # flushed by login() when another person was signed in
        session.save()
    now = timezone.now()
    session[SESSION_SIGNED_IN_AT] = now.isoformat()
    # Store the session with its signed-in person now, before it is listed: a sign-in of the
    # same person elsewhere prunes the listed sessions that name no one, and would otherwise
    # end this one before its response saves it (two devices, or the form sent twice).
    session.save()
    user_session_record(
        user=user,
        session_key=session.session_key,
        address=address_of(request),
        user_agent=user_agent_of(request),
        signed_in_at=now,
    )


@receiver(user_login_failed, dispatch_uid="danvan.accounts.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    """Log a refused sign-in with the user name typed (Django has already masked the
    password in ``credentials``; only the user name is taken from it)."""
    username = credentials.get("username") if isinstance(credentials, dict) else None
    security_event(
        "sign-in.failed", request=request, level=logging.WARNING, username=str(username or "")
    )


@receiver(user_locked_out, dispatch_uid="danvan.accounts.locked_out")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Log that django-axes locked a user name out after repeated failures."""
    security_event(
        "sign-in.locked-out", request=request, level=logging.WARNING, username=str(username or "")
    )


@receiver(user_logged_out, dispatch_uid="danvan.accounts.signed_out")
def signed_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        security_event("sign-out", request=request, user_id=user.pk, username=user.username)


def _how_changed(user: User) -> tuple[str, User | None]:
    """Tell how ``user``'s password is being changed, from the request being answered."""
    request = current_request()
    if request is None:
        return notices.CHANGED_OUTSIDE, None
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "password_reset_confirm":
        return notices.CHANGED_BY_RESET, None
    actor = getattr(request, "user", None)
    if actor is None or not actor.is_authenticated:
        return notices.CHANGED_BY_RESET, None
    if actor.pk == user.pk:
        return notices.CHANGED_BY_SELF, None
    return notices.CHANGED_BY_ADMIN, actor


@receiver(post_save, sender=User, dispatch_uid="danvan.accounts.password_changed")
def password_changed(sender, instance, created, raw=False, **kwargs):
    """After ``set_password`` and save of an existing person: log it and tell them by e-mail.

    ``_password`` holds the new password between ``set_password`` and the end of ``save``;
    it is only tested, never read. A hash upgraded at sign-in does not count (Django clears
    ``_password`` before that save).
    """
    if raw or created or getattr(instance, "_password", None) is None:
        return
    how, by = _how_changed(instance)
    fields = {"user_id": instance.pk, "username": instance.username, "how": how}
    if by is not None:
        fields |= {"actor_id": by.pk, "actor": by.username}
    transaction.on_commit(partial(security_event, "password.changed", **fields))
    transaction.on_commit(partial(notices.send_password_changed, instance, how=how, by=by))
