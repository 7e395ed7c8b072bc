"""One JSON shape for every API error, in the request's language.

    {"error": {"code": "invalid", "message": "…", "fields": {"amount": ["…"]}}}

Services raise Django's ``ValidationError`` and ``PermissionDenied``; serializers raise DRF's.
Both end here, so a client handles errors the same way whichever layer found the fault.
"""

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from danvan.core.validation import ConflictError

NON_FIELD = "__all__"


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [message for item in detail for message in _flatten(item)]
    return [str(detail)]


def _fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """Return ``{"field": [messages]}``; nested fields are joined with dots."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in {"non_field_errors", NON_FIELD} else str(key)
            name = f"{prefix}.{name}" if prefix else name
            if isinstance(value, dict):
                fields.update(_fields(value, name))
            else:
                fields[name] = _flatten(value)
    elif detail:
        fields[prefix or NON_FIELD] = _flatten(detail)
    return fields


def error_response(status_code: int, code: str, message: str, fields=None, headers=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return Response(body, status=status_code, headers=headers)


def _validation(fields: dict[str, list[str]], code: str = "invalid", status_code: int = 400):
    messages = [m for values in fields.values() for m in values]
    if len(fields) == 1 and NON_FIELD in fields:
        message = messages[0]
        fields = {}
    else:
        message = _("Some values are not valid; see the fields.")
    return error_response(status_code, code, message, fields)


def exception_handler(exc, context):
    """Turn any error a view raises into the one shape, with the right status."""
    if isinstance(exc, RequestDataTooBig):
        from danvan.api.parsers import too_large

        exc = too_large()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    if isinstance(exc, ConflictError):
        return error_response(409, "conflict", " ".join(exc.messages))
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return _validation(exc.message_dict)
        return _validation({NON_FIELD: exc.messages})
    if isinstance(exc, PermissionDenied):
        message = str(exc) or _("You do not have permission to do this here.")
        return error_response(403, "permission_denied", message)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return error_response(404, "not_found", _("Not found."))
    if isinstance(exc, IntegrityError):
        return error_response(
            409, "conflict", _("This would duplicate or break a link to another record.")
        )
    if isinstance(exc, exceptions.ValidationError):
        return _validation(_fields(exc.detail))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = " ".join(_flatten(detail)) if not isinstance(detail, str) else str(detail)
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    else:
        message = str(exc)
    headers = {
        key: value
        for key, value in response.headers.items()
        if key in {"WWW-Authenticate", "Retry-After", "Allow"}
    }
    return error_response(response.status_code, code, message, headers=headers)
