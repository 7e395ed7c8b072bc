"""Serving a stored file or built bytes as a download: one set of headers for every page and
endpoint that hands a file to a browser.

Every download is private (never kept by a shared cache), says ``nosniff`` (a browser never
guesses an uploaded file into HTML or script) and names its file in a header Django quotes, so
an uploaded file's name cannot break out of it.
"""

import mimetypes
import os

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

FALLBACK_TYPE = "application/octet-stream"


def _secure(response, cache: str):
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_download(
    source,
    *,
    name: str | None = None,
    content_type: str | None = None,
    inline: bool = False,
    cache: str = "private",
) -> FileResponse:
    """Return a response streaming ``source`` (a stored ``FieldFile`` or a ``Path``).

    A missing or unreadable file is a 404. ``name`` defaults to the stored file's own name and
    ``content_type`` to the type its extension says; ``inline`` opens it in the page instead of
    saving it.
    """
    if not source:
        raise Http404
    try:
        handle = source.open("rb")
    except OSError:  # FileNotFoundError included: the record outlived its file
        raise Http404 from None
    name = name or os.path.basename(str(source.name))
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or FALLBACK_TYPE,
    )
    return _secure(response, cache)


def bytes_download(
    content: bytes,
    *,
    content_type: str,
    name: str | None = None,
    inline: bool = False,
    cache: str = "private",
) -> HttpResponse:
    """Return a response holding ``content`` built for this request (a template, an export)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name) or "inline"
    return _secure(response, cache)
