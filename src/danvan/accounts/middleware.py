"""Rate limit on the sign-in forms, on top of django-axes' per-account lockout.

Axes locks one user name after repeated failures; this caps how many sign-in attempts one
address may make per minute across all user names, which slows credential stuffing.

The count is a sliding window: the previous minute's attempts weigh in proportionally to how
much of it still falls within the last sixty seconds. A fixed per-minute bucket would let a
burst straddling the minute boundary make twice the allowed attempts.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


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
