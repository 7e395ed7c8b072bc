"""Request parsers with limits: a JSON body may be neither too deep nor too large.

Python's JSON reader recurses once per nested array or object, so a few kilobytes of ``[[[[``
would exhaust the stack; and DRF reads a JSON body whole, whatever its size. Here both answer in
the API's error shape: too deep is a 400, too large a 413. Multipart and form bodies keep
Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``), whose
refusals are turned into the same shape.
"""

import io
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

# No request of this API nests deeper than a few levels; 32 leaves room and stops abuse early.
MAX_JSON_DEPTH = 32


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def body_limit() -> int:
    """Return the largest JSON or form body accepted, in bytes."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large() -> PayloadTooLarge:
    limit = body_limit()
    return PayloadTooLarge(
        _("The request body is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)}
    )


def _depth_exceeds(value, limit: int) -> bool:
    """Return whether ``value`` nests arrays and objects deeper than ``limit`` (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies over the size limit and nesting over MAX_JSON_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = body_limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large()
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
        except ValueError as error:
            message = _("The body is not valid JSON: %(error)s") % {"error": error}
            raise exceptions.ParseError(message) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                _("The JSON is nested more than %(limit)s levels deep.") % {"limit": MAX_JSON_DEPTH}
            )
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not a number JSON allows")


def _django_limits(parse):
    """Turn Django's refusals of a multipart or form body into the API's errors."""

    def wrapped(self, stream, media_type=None, parser_context=None):
        try:
            return parse(self, stream, media_type, parser_context)
        except RequestDataTooBig:
            raise too_large() from None
        except (TooManyFieldsSent, TooManyFilesSent):
            raise exceptions.ParseError(_("The request has too many fields or files.")) from None

    return wrapped


class MultiPartParser(parsers.MultiPartParser):
    parse = _django_limits(parsers.MultiPartParser.parse)


class FormParser(parsers.FormParser):
    """DRF's form parser, reading no more than the size limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = body_limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large()
        return super().parse(io.BytesIO(raw), media_type, parser_context)
