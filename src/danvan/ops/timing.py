"""The server's own time on every answer: ``Server-Timing: app;dur=…, db;dur=…;desc="N queries"``.

A client's response time mixes the network, the proxy and, on a shared machine, time spent
waiting for a CPU; the server's time for the request, measured where it runs, says what the
code costs. ``app`` is the whole request through the middleware and the view, ``db`` the part of
it spent in database queries (every connection, replicas included), in milliseconds. Browsers
show it in their developer tools; ``make load`` reads it to report the server's p95 beside the
client's. It reveals no more than the response time already does.
"""

import time
from contextlib import ExitStack

from django.db import connections
from django.http import HttpRequest, HttpResponse

HEADER = "Server-Timing"


class _Queries:
    """Counts the queries and their time, as a ``connection.execute_wrapper``."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def server_timing(app_seconds: float, queries: _Queries) -> str:
    """The header's value for a request that took ``app_seconds`` and ran ``queries``."""
    noun = "query" if queries.count == 1 else "queries"
    return (
        f"app;dur={app_seconds * 1000:.1f}, "
        f'db;dur={queries.seconds * 1000:.1f};desc="{queries.count} {noun}"'
    )


class ServerTimingMiddleware:
    """Put the request's time and its database time on the answer. First in ``MIDDLEWARE``,
    so the time covers every other middleware too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = _Queries()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        response[HEADER] = server_timing(time.perf_counter() - started, queries)
        return response
