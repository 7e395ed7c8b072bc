"""Rate limit on the sign-in forms, on top of django-axes' per-account lockout.

Axes locks one user name after repeated failures; this caps how many sign-in attempts one
address may make per minute across all user names, which slows credential stuffing.

The count is a sliding window: the previous minute's attempts weigh in proportionally to how
much of it still falls within the last sixty seconds. A fixed per-minute bucket would let a
burst straddling the minute boundary make twice the allowed attempts.
"""

import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.shortcuts import render

from danvan.core.nonblocking import try_write
from danvan.core.security_log import client_address

logger = logging.getLogger(__name__)

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
# "Last seen" of a session is written at most this often (seconds): one UPDATE every few
# minutes per person, not one per request.
SESSION_SEEN_EVERY = 300


def _client_address(request) -> str:
    return client_address(request)


def _now() -> float:
    return time.time()


def _recent_attempts(address: str) -> float:
    """Count this attempt and return the estimated attempts over the last sixty seconds."""
    window, elapsed = divmod(_now(), 60)
    prefix = f"danvan:login-rate:{address}:"
    key = f"{prefix}{int(window)}"
    cache.add(key, 0, timeout=130)
    try:
        current = cache.incr(key)
    except ValueError:  # evicted between add and incr
        current = 1
    previous = cache.get(f"{prefix}{int(window) - 1}", 0)
    return current + previous * (1 - elapsed / 60)


class LoginRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path in LOGIN_PATHS
            and _recent_attempts(_client_address(request)) > settings.LOGIN_ATTEMPTS_PER_MINUTE
        ):
            response = render(request, "accounts/rate_limited.html", status=429)
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def _parse_time(value):
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


class SessionActivityMiddleware:
    """Keep "last seen" of the person's sessions (``UserSession``) up to date.

    Runs after the view, so a session whose key a password change just replaced is found
    under its new key. Writes at most every ``SESSION_SEEN_EVERY`` seconds per session (the
    cache remembers the last write) and never touches the session itself, which would push
    back its expiry. Place it after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            isinstance(session, DatabaseSessionStore)
            and session.accessed
            and session.session_key
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            self._seen(request, session.session_key)
        return response

    def _seen(self, request, session_key: str) -> None:
        from danvan.accounts.services import SESSION_SIGNED_IN_AT, user_session_seen
        from danvan.accounts.signals import address_of, user_agent_of

        marker = "danvan:session-seen:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]
        if cache.get(marker):
            return
        # "Last seen" is worth less than the answer the person is waiting for: a busy or
        # unreachable database must neither hold the page up nor turn it into an error. The
        # write is tried once without waiting for the lock (danvan.core.nonblocking).
        written = try_write(
            lambda: user_session_seen(
                user=request.user,
                session_key=session_key,
                address=address_of(request),
                user_agent=user_agent_of(request),
                signed_in_at=_parse_time(request.session.get(SESSION_SIGNED_IN_AT)),
            ),
            "The last use of a session",
        )
        if written:
            cache.set(marker, 1, SESSION_SEEN_EVERY)
