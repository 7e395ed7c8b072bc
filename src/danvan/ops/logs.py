"""Structured logs: every record carries the id of the request it belongs to.

The request id lives in a context variable set by ``RequestIdMiddleware``; a logging filter
copies it (and the path) onto each record, so a line from deep inside a service can be tied to
the request, to nginx's access log and to the ``X-Request-ID`` the user reports. The format is
one JSON object per line (``DANVAN_LOG_FORMAT=json``, for a log collector) or plain text.

This module is imported by the settings, so it must not import Django models.
"""

import contextvars
import datetime
import json
import logging
import re

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "danvan_request_id", default=None
)
request_path_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "danvan_request_path", default=None
)

LOG_FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "path",
    "status",
    "duration_ms",
    "request",
    "status_code",
    "server_time",
}


# A password-reset link carries a one-time credential in its path
# (/accounts/reset/<user>/<token>/); Django moves it into the session at once, and it must not
# stay readable in the logs either.
RESET_TOKEN = re.compile(r"(/reset/[^/\s]+/)(?!set-password/)[^/\s]+/")


def redact(text: str) -> str:
    """Return ``text`` with the token of any password-reset path replaced by ``…``."""
    return RESET_TOKEN.sub(r"\1…/", text)


class RequestContextFilter(logging.Filter):
    """Copy the current request id and path onto the record (``-`` outside a request), and
    take reset tokens out of its path and message."""

    def filter(self, record: logging.LogRecord) -> bool:
        self._redact(record)
        # Django's own "Not Found"/"Internal Server Error" lines come after the middleware has
        # finished, with the request attached: take the id from there.
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or request_id_var.get() or "-"
        if not hasattr(record, "path"):
            record.path = getattr(request, "path", None) or request_path_var.get()
        if not hasattr(record, "status") and hasattr(record, "status_code"):
            record.status = record.status_code
        if isinstance(record.path, str):
            record.path = redact(record.path)
        return True

    @staticmethod
    def _redact(record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and "/reset/" in record.msg:
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, path, status,
    duration_ms, and any other ``extra=`` fields; the traceback under ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "path": getattr(record, "path", None),
            "status": getattr(record, "status", None),
            "duration_ms": getattr(record, "duration_ms", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict:
    """Return the ``LOGGING`` dict for ``settings.py``; ``log_format`` is ``json`` or ``text``."""
    if log_format not in LOG_FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"DANVAN_LOG_FORMAT must be json or text, got {log_format!r}")
    formatter = (
        {"()": "danvan.ops.logs.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "danvan.ops.logs.RequestContextFilter"}},
        "formatters": {"danvan": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request"],
                "formatter": "danvan",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # django-axes announces itself at every start; only its warnings matter.
            "axes": {"level": "WARNING"},
            # The request line is written by RequestIdMiddleware, with the request id.
            "django.server": {"level": "WARNING"},
            # Security events (danvan.core.security_log) are kept whatever LOG_LEVEL says.
            "danvan.security": {"level": "INFO"},
        },
    }
