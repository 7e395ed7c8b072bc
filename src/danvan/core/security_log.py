"""Security events: one logger, ``danvan.security``, for what an investigator asks about first.

Sign-ins (succeeded, failed, locked out), sign-outs, password changes and resets, API tokens
created and revoked, people created, deactivated and reactivated, roles granted and taken
away, and every request the app refused (401, 403, 429, and the 404s a signed-in person gets
for records outside their scope, which look exactly like records that do not exist).

Each event is one record: the message starts with the event's name followed by its fields
(``sign-in.failed username='lan' address='203.0.113.7'``), so the text format reads alone,
and the same fields travel as ``extra`` for the JSON format, with the request id the logging
filter adds. Passwords, token keys and session keys never reach this module: ``security_event``
refuses fields named like them, and values are written with ``repr``, so a user name with a
newline cannot forge a second line.
"""

import ipaddress
import logging

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger("danvan.security")

# Field names that could carry a secret; passing one is a programming error.
_SECRET_WORDS = ("password", "token_key", "secret", "session_key", "key", "credentials")
# Answers that are refusals of access; 404 only counts for a signed-in person.
REFUSED_STATUSES = frozenset({401, 403, 429})
MAX_VALUE_LENGTH = 200


def client_address(request) -> str:
    """Return the address of the client that sent ``request``.

    Behind nginx every request comes from the loopback; nginx appends the address it saw to
    ``X-Forwarded-For``, so when the app is configured behind the proxy
    (``SECURE_PROXY_SSL_HEADER`` set by ``BEHIND_TLS_PROXY``) and the request really came
    from a proxy it trusts (``SECURITY_TRUSTED_PROXIES``, the loopback unless configured), the
    last entry of that header is the client. Anything earlier in the
    header was written by the client and is not believed.
    """
    remote = (request.META.get("REMOTE_ADDR") or "").strip() or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    trusted = settings.SECURITY_TRUSTED_PROXIES
    if forwarded and remote in trusted and settings.SECURE_PROXY_SSL_HEADER:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    return remote


def axes_client_address(request) -> str | None:
    """``client_address`` for django-axes (``AXES_CLIENT_IP_CALLABLE``), which stores it in
    an address column: None rather than "unknown"."""
    address = client_address(request)
    return None if address == "unknown" else address


def current_request():
    """Return the request being answered in this thread, if any.

    django-simple-history's middleware keeps it for the history rows; services that log an
    event read the client's address from it without being handed the request.
    """
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _clip(value):
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        return value[:MAX_VALUE_LENGTH] + "…"
    return value


def security_event(event: str, *, request=None, level: int = logging.INFO, **fields) -> None:
    """Log ``event`` with its ``fields`` and the address of the client of the request (given,
    or the one being answered).

    ``fields`` are identifiers and facts: user ids and names, roles, statuses. Nothing that
    opens an account may be passed; a field named like a secret raises ``ValueError``.
    """
    for name in fields:
        if any(word in name.lower() for word in _SECRET_WORDS):
            raise ValueError(f"security events never carry secrets (field {name!r})")
    request = request if request is not None else current_request()
    if request is not None and "address" not in fields:
        fields["address"] = client_address(request)
    fields = {name: _clip(value) for name, value in fields.items() if value is not None}
    text = " ".join([event, *(f"{name}={value!r}" for name, value in fields.items())])
    logger.log(level, text, extra={"event": event, **fields})


def _person(request):
    """The signed-in person behind ``request``, if any (reading it may need the database,
    which may be the reason the request failed: then nobody)."""
    try:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
    except DatabaseError:
        pass
    return None


class SecurityEventMiddleware:
    """Log every refused request as ``access.refused``, with who asked for what.

    Refusals are decided in many places (``PermissionDenied`` from the services, scoped
    querysets that find nothing, DRF's authentication); the answer is where they all meet.
    A 404 is logged only for a signed-in person: for them it is, most of the time, a record
    outside their scope. Anonymous 404s are the internet's background noise and stay in the
    request line. Place it right after ``RequestIdMiddleware`` so that it sees the answers
    of every other middleware too (the sign-in rate limit's 429, axes' lockout page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        person = _person(request) if status in REFUSED_STATUSES or status == 404 else None
        if status in REFUSED_STATUSES or (status == 404 and person is not None):
            security_event(
                "access.refused",
                request=request,
                level=logging.WARNING,
                status=status,
                method=request.method,
                path=request.path,
                user_id=person.pk if person else None,
                username=person.get_username() if person else None,
            )
        return response
