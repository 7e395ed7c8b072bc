"""A short name for a browser from its User-Agent header: "Firefox on Windows".

Enough for a person to recognise their own devices on the list of their sessions; not a full
parser. The order matters: Edge, Opera and Cốc Cốc also say "Chrome", and Chrome also says
"Safari".
"""

import re

_BROWSERS = [
    ("Cốc Cốc", re.compile(r"coc_coc_browser/(\d+)", re.I)),
    ("Zalo", re.compile(r"Zalo(?:App|Theme)?/?(\d*)", re.I)),
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+).*Safari/")),
]
_SYSTEMS = [
    ("Android", re.compile(r"Android")),
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux")),
]


def describe(user_agent: str) -> str:
    """Return "<browser> <major version> on <system>", or the header cut short when unknown."""
    user_agent = user_agent or ""
    browser = next(
        (
            f"{name} {match.group(1)}".strip()
            for name, pattern in _BROWSERS
            if (match := pattern.search(user_agent))
        ),
        "",
    )
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent[:60]
