"""The dashboard's two ways of reading boundaries, on the demo, in a real browser.

Today's Quảng Ninh in 2024 (before the province of today existed, though it was not merged)
and today's Hưng Yên in 2024 (legacy Thái Bình's and Hưng Yên's year) show figures in both
modes, the same totals in both, and say which mode, on which units and why; the mode nobody
chose is restated. In Vietnamese, and once in Arabic.
"""

import re

import pytest
from django.utils import translation

from tests.browser.conftest import screenshot, sign_in

# Every tile of the dashboard: the territory's totals, which the mode must not change.
TILES = (
    "initiatives",
    "new",
    "continued",
    "built",
    "replicated",
    "recognised",
    "exemplary",
    "registering_units",
    "households",
    "people",
    "money",
    "in_kind",
    "land",
    "labour",
)
# Arabic-Indic and Persian digits, read as the digits they are.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# The words naming each mode (the template's msgids): the page must show their translation in
# its own language, read from the catalogue the server uses (translators may reword them).
MODE_WORDS = {"as_was": "as it was", "restated": "restated on current units"}


def mode_words(mode: str, language: str) -> str:
    """The catalogue's translation of ``mode``'s name in ``language``; never the English."""
    with translation.override(language):
        words = translation.gettext(MODE_WORDS[mode])
    assert words != MODE_WORDS[mode], f"{MODE_WORDS[mode]!r} has no {language} translation"
    return words


def number(text: str) -> int:
    digits = re.sub(r"\D", "", text.translate(DIGITS))
    assert digits, f"no figure in {text!r}"
    return int(digits)


def unit_id(page, name: str) -> str:
    """The value of the unit picker's option for today's ``name``."""
    value = page.evaluate(
        """(name) => [...document.querySelectorAll('#unit option')]
            .find(o => o.textContent.replace('—', '').trim() === name)?.value""",
        name,
    )
    assert value, f"{name} is not offered"
    return value


def open_dashboard(page, unit: str, year: int, mode: str | None) -> dict:
    """Open the dashboard of ``unit`` and ``year`` in ``mode`` (None: nobody chose); return
    its tiles as numbers and what it says about the mode."""
    query = f"/?unit={unit}&year={year}" + (f"&mode={mode}" if mode else "")
    page.goto(page.base_url + query)
    reading = page.locator(".boundary-reading")
    note = page.locator(".boundary-note")
    return {
        "tiles": {
            name: number(page.locator(f"[data-figure={name}]").inner_text()) for name in TILES
        },
        "mode": page.locator(".boundary-mode").get_attribute("data-mode"),
        "mode_text": page.locator(".boundary-mode").inner_text().strip(),
        "reading_mode": reading.get_attribute("data-mode"),
        "reading": " ".join(reading.inner_text().split()),
        "units": [u.strip() for u in page.locator(".boundary-unit").all_inner_texts()],
        "legacy_units": page.locator(".boundary-unit[data-scheme=legacy]").count(),
        "note": note.inner_text().strip() if note.count() else "",
        "problems": page.locator(".query-problem").count(),
    }


def check_both_modes(page, name: str, year: int) -> dict:
    """Both modes and the mode nobody chose, for today's ``name`` in ``year``: figures, the
    same totals, the mode and the sentence saying why; return the three readings."""
    unit = unit_id(page, name)
    seen = {mode: open_dashboard(page, unit, year, mode) for mode in ("as_was", "restated", None)}
    for mode, shown in seen.items():
        assert shown["problems"] == 0, (name, mode)
        assert shown["tiles"]["initiatives"] > 0, (name, year, mode, shown)
        assert shown["tiles"]["registering_units"] > 0, (name, year, mode)
        assert shown["mode"] == shown["reading_mode"] == (mode or "restated"), (name, mode)
        assert shown["mode_text"] == mode_words(shown["mode"], "vi")
        # The year predates today's province: the page says so, naming it and the day.
        assert name in shown["note"] and "01/07/2025" in shown["note"], shown["note"]
        assert shown["units"], (name, mode)
    assert seen["as_was"]["tiles"] == seen["restated"]["tiles"] == seen[None]["tiles"]
    # As it was counts on the units of the time; restated on today's province.
    assert seen["as_was"]["legacy_units"] == len(seen["as_was"]["units"])
    assert seen["restated"]["units"] == [name] and seen["restated"]["legacy_units"] == 0
    # Nobody chose: the page says the mode was chosen for them; a choice is not so marked.
    assert seen[None]["reading"] != seen["restated"]["reading"]
    assert seen[None]["reading"].startswith(seen["restated"]["reading"].split(":")[0])
    return seen


def test_quang_ninh_2024_and_a_merged_provinces_year_in_both_modes(page):
    sign_in(page, "national.viewer")
    page.locator("#language-select").select_option("vi")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    quang_ninh = check_both_modes(page, "Tỉnh Quảng Ninh", 2024)
    assert any("Quảng Ninh" in unit for unit in quang_ninh["as_was"]["units"])
    screenshot(page, "dashboard-quang-ninh-2024-default")
    hung_yen = check_both_modes(page, "Tỉnh Hưng Yên", 2024)
    # Today's Hưng Yên as it was: the legacy provinces it was formed from, Thái Bình among them.
    assert any("Thái Bình" in unit for unit in hung_yen["as_was"]["units"])
    screenshot(page, "dashboard-hung-yen-2024-default")


@pytest.mark.parametrize("context", ["ar"], indirect=True)
def test_the_mode_and_its_reason_in_arabic(page):
    sign_in(page, "national.viewer")
    page.locator("#language-select").select_option("vi")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    unit = unit_id(page, "Tỉnh Quảng Ninh")
    vietnamese = open_dashboard(page, unit, 2024, "as_was")
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    arabic = open_dashboard(page, unit, 2024, "as_was")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert arabic["mode"] == "as_was" and arabic["mode_text"] == mode_words("as_was", "ar")
    assert arabic["tiles"] == vietnamese["tiles"] and arabic["tiles"]["initiatives"] > 0
    assert "Tỉnh Quảng Ninh" in arabic["note"]
    # The same units, each marked "before 1 July 2025" in the page's own language.
    names = [label.split(" (")[0] for label in arabic["units"]]
    assert names == [label.split(" (")[0] for label in vietnamese["units"]]
    assert all("2025" in label and "trước" not in label for label in arabic["units"])
    restated = open_dashboard(page, unit, 2024, "restated")
    assert restated["tiles"] == arabic["tiles"] and restated["mode_text"] != arabic["mode_text"]
    screenshot(page, "dashboard-quang-ninh-2024-ar")
