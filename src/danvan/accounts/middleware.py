"""Rate limit on the sign-in forms, on top of django-axes' per-account lockout.

Axes locks one user name after repeated failures; this caps how many sign-in attempts one
address may make per minute across all user names, which slows credential stuffing.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


class LoginRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in LOGIN_PATHS:
            window = int(time.time() // 60)
            key = f"danvan:login-rate:{_client_address(request)}:{window}"
            cache.add(key, 0, timeout=70)
            try:
                attempts = cache.incr(key)
            except ValueError:  # evicted between add and incr
                attempts = 1
            if attempts > settings.LOGIN_ATTEMPTS_PER_MINUTE:
                response = render(request, "accounts/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
        return self.get_response(request)
