"""Request ids, and a clean 503 when the database is down or busy.

Order in ``MIDDLEWARE``: ``RequestIdMiddleware`` first after ``ServerTimingMiddleware``
(``danvan.ops.timing``), so its request line sees the final status, then Django's
``SecurityMiddleware``, django-csp's ``CSPMiddleware`` (the policy is
``CONTENT_SECURITY_POLICY`` in settings) and ``DatabaseUnavailableMiddleware`` before the
session middleware (which may itself touch the database when it saves a session).
"""

import logging
import re
import sys
import time
import uuid

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.ops.logs import request_id_var, request_path_var

logger = logging.getLogger("danvan.request")
db_logger = logging.getLogger("danvan.ops.database")

REQUEST_ID_HEADER = "X-Request-ID"
# Ids from a proxy (nginx's $request_id is 32 hex digits) or a client; anything else is
# replaced, so a log line can never be forged or blown up through this header.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def valid_request_id(value: str | None) -> str:
    """Return ``value`` when it is an acceptable request id, else a fresh one."""
    if value and REQUEST_ID_PATTERN.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id (the proxy's ``X-Request-ID`` when valid), echo it on the
    response, put it on every log record, and write one request line with status and time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        path_token = request_path_var.set(request.path)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={"status": response.status_code, "duration_ms": duration_ms},
            )
            return response
        finally:
            request_path_var.reset(path_token)
            request_id_var.reset(id_token)


def _mark_database_failure(sender, request=None, **kwargs) -> None:
    """Note on the request that the exception being handled is a lost database, wherever it
    was raised (a view, a template, the session middleware saving its row)."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        request.danvan_database_unavailable = True
        request.danvan_database_busy = is_busy(error)


def connect_signals() -> None:
    got_request_exception.connect(_mark_database_failure, dispatch_uid="danvan-ops-db-down")


def is_busy(error: BaseException | None) -> bool:
    """Whether ``error`` is the database refusing a write because another holds the lock
    (SQLite's "database is locked" after its short busy timeout; PostgreSQL's lock timeout),
    as opposed to a database that cannot be reached."""
    text = str(error).lower()
    return isinstance(error, OperationalError) and (
        "database is locked" in text or "database table is locked" in text or "lock timeout" in text
    )


def database_unavailable_response(request: HttpRequest, *, busy: bool = False) -> HttpResponse:
    """Return the 503 answer, in the request's language: JSON under /api/, a page elsewhere.

    ``busy``: the database is up but another write holds it (a large import being applied on
    SQLite); nothing of the request was saved, and trying again in a few seconds will do.
    """
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if busy:
            code = "database_busy"
            message = _(
                "The database is busy with a large change (an import, say), so nothing was "
                "saved. Please try again in a few seconds."
            )
        else:
            code = "service_unavailable"
            message = _(
                "The service is temporarily unavailable: the database cannot be reached. "
                "Please try again in a minute."
            )
        if request.path.startswith("/api/"):
            body = {"error": {"code": code, "message": message, "fields": {}}}
            response = JsonResponse(body, status=503)
        else:
            html = render_to_string(
                "ops/503.html",
                {
                    "message": message,
                    "language": language,
                    "bidi": translation.get_language_bidi(),
                    "request_id": getattr(request, "request_id", ""),
                },
            )
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS if busy else RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a message instead of 500 when the database is unreachable.

    Django drops a broken connection at the end of the request and opens a new one on the
    next (``CONN_HEALTH_CHECKS`` checks a kept one first), so the app recovers by itself once
    the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "danvan_database_unavailable", False):
            return database_unavailable_response(
                request, busy=getattr(request, "danvan_database_busy", False)
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DATABASE_ERRORS):
            busy = is_busy(exception)
            db_logger.warning(
                "Database %s: %s", "busy" if busy else "unavailable", type(exception).__name__
            )
            return database_unavailable_response(request, busy=busy)
        return None
