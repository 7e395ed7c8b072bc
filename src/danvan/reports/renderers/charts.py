"""Bar charts drawn on the server as inline SVG: a PDF needs no script and no network.

Each bar is its own small SVG inside an HTML row, and the labels and values are HTML text:
WeasyPrint lays out HTML text with the language's direction and shaping (Arabic runs right to
left), which SVG text does not get.
"""

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
