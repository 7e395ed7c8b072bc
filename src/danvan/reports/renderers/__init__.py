"""Renderers turn a ``Document`` into the bytes of one file format (pretix's exporters, turned
around: the builders decide what is in a report, a renderer only how it looks).

Each format registers itself here by its code; ``renderer_for("docx")`` returns it.
"""

from danvan.reports.document import Document


class Renderer:
    """One file format. Subclasses set the code, the content type and the extension."""

    format: str = ""
    content_type: str = "application/octet-stream"
    extension: str = ""

    def render(self, document: Document) -> bytes:
        raise NotImplementedError


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    REGISTRY[cls.format] = cls
    return cls


def renderer_for(format_code: str) -> Renderer:
    """Return the renderer of ``format_code`` (``KeyError`` for an unknown format)."""
    _load()
    return REGISTRY[format_code]()


def _load() -> None:
    # Imported on first use: WeasyPrint and python-docx are heavy and only the worker needs them.
    from danvan.reports.renderers import csv, docx, pdf, xlsx  # noqa: F401
