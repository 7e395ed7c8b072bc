"""Reads that tolerate a second of lag go to PostgreSQL streaming replicas; everything else
stays on the primary.

A national instance at a reporting deadline outgrows one database server's reads first:
leaders refresh dashboards, officers page through lists, the stats API is polled. Those
answers may be a second old without harm, so with ``DATABASE_REPLICA_URLS`` set they are read
from the replicas, spread over them. What must not lag stays on the primary:

- every write, and every read inside a transaction that writes (``db_for_write``);
- every read of a request that is not one of the lag-tolerant pages (forms, detail pages an
  officer is editing, the workflow, imports);
- sign-in, sessions, tokens and permissions (a token made a moment ago must work at once);
- the reads of a client that has just written (read-your-own-writes): a successful write pins
  that client (its session cookie or its ``Authorization`` header) to the primary for
  ``REPLICA_PIN_SECONDS``, kept in the shared cache so every app process sees it.

Without replicas configured, the router answers ``default`` for everything and the
middleware does nothing but one dictionary lookup.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import itertools
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

REPLICA_PREFIX = "replica"
PIN_KEY = "replica-pin:"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Apps whose rows decide who someone is and what they may do: never read with lag.
PRIMARY_ONLY_APPS = frozenset({"accounts", "sessions", "auth", "axes", "contenttypes"})

_reads_may_lag: ContextVar[bool] = ContextVar("danvan_reads_may_lag", default=False)
_turns = itertools.count()


def replica_aliases() -> list[str]:
    """The configured replicas' database aliases, in settings order."""
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


@contextlib.contextmanager
def reads_may_lag() -> Iterator[None]:
    """Within this block, reads outside a write transaction may be served by a replica."""
    token = _reads_may_lag.set(True)
    try:
        yield
    finally:
        _reads_may_lag.reset(token)


class ReplicaRouter:
    """Django database router: lag-tolerant reads to a replica, all else to ``default``."""

    def db_for_read(self, model, **hints) -> str:
        if not _reads_may_lag.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        aliases = replica_aliases()
        if not aliases:
            return "default"
        # A read inside the primary's open transaction must see that transaction's writes.
        from django.db import connections

        if connections["default"].in_atomic_block:
            return "default"
        return aliases[next(_turns) % len(aliases)]

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the same rows as the primary: an object read from one may point at
        # one read from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return not db.startswith(REPLICA_PREFIX)


def _client_keys(request: HttpRequest, response: HttpResponse | None = None) -> list[str]:
    """What identifies one client across requests without a database read: its session
    cookie (also the new one a sign-in sets) or its API token header."""
    raw = [
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
        request.headers.get("Authorization", ""),
    ]
    if response is not None and settings.SESSION_COOKIE_NAME in response.cookies:
        raw.append(response.cookies[settings.SESSION_COOKIE_NAME].value)
    return [PIN_KEY + hashlib.sha256(value.encode()).hexdigest()[:32] for value in raw if value]


def _lag_tolerant(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in SAFE_METHODS:
        return False
    name = match.view_name
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.REPLICA_READ_VIEWS)


class ReplicaReadsMiddleware:
    """Marks the lag-tolerant pages' reads for the replicas, and pins a client that has just
    written to the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reads_may_lag.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            pinned = dict.fromkeys(_client_keys(request, response), True)
            cache.set_many(pinned, timeout=settings.REPLICA_PIN_SECONDS)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if not replica_aliases() or not _lag_tolerant(request):
            return None
        keys = _client_keys(request)
        if keys and cache.get_many(keys):
            return None
        request._replica_token = _reads_may_lag.set(True)
        return None
