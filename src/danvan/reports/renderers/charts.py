"""Bar charts drawn on the server: inline SVG for the PDF (no script, no network), a small PNG
for each bar of the Word file.

Each bar is its own small SVG inside an HTML row, and the labels and values are HTML text:
WeasyPrint lays out HTML text with the language's direction and shaping (Arabic runs right to
left), which SVG text does not get.
"""

import functools
import io

from django.utils.html import format_html

from danvan.core.formats import format_number

BAR_WIDTH = 300
BAR_HEIGHT = 14


def bar_chart(bars: list[tuple[str, int]], *, language: str, rtl: bool = False) -> list[dict]:
    """Return one row per ``(label, value)``: the label, the value written for ``language``
    and the bar as an ``<svg>`` as long as the value relative to the largest."""
    if not bars:
        return []
    largest = max(value for _, value in bars) or 1
    rows = []
    for label, value in bars:
        length = max(1, round(BAR_WIDTH * value / largest)) if value else 0
        svg = format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" '
            'viewBox="0 0 {} {}" role="img" aria-hidden="true">'
            '<rect x="{}" y="0" width="{}" height="{}" fill="#c0392b"/></svg>',
            BAR_WIDTH,
            BAR_HEIGHT,
            BAR_WIDTH,
            BAR_HEIGHT,
            BAR_WIDTH - length if rtl else 0,  # a right-to-left bar grows from the right
            length,
            BAR_HEIGHT,
        )
        rows.append({"label": label, "value": format_number(value, language), "svg": svg})
    return rows


def chart_lengths(bars: list[tuple[str, int]], *, language: str) -> list[tuple[str, str, float]]:
    """Return ``(label, value written for language, length from 0 to 1)`` per bar: the
    longest bar is 1; a bar of zero has no length at all."""
    largest = max((value for _, value in bars), default=0) or 1
    return [
        (label, format_number(value, language), (value / largest) if value else 0.0)
        for label, value in bars
    ]


@functools.cache
def bar_png() -> bytes:
    """One bar as a PNG of the report's red; Word stretches it to each bar's length."""
    from PIL import Image

    image = Image.new("RGB", (8, 8), (0xC0, 0x39, 0x2B))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
