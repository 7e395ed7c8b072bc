"""The main flow in a real browser, on the demo data: an officer registers an initiative and
submits it, a reviewer registers it, the officer records a contribution and a result and uploads
a photo, and the dashboard's figures move. Once in Vietnamese, once in Arabic (right to left)."""

import datetime
import io
import re
import time

import pytest
from PIL import Image

from tests.browser.conftest import screenshot, sign_in

OFFICER = "quangyen.officer"  # Fatherland Front of Phường Quảng Yên
REVIEWER = "quangyen.reviewer"  # the ward's Mass Mobilization Commission
MONEY = 7_654_321
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def become(page, username: str, language: str) -> None:
    """Sign out whoever was signed in, sign ``username`` in, and switch to ``language``."""
    page.context.clear_cookies()
    sign_in(page, username)
    if page.locator("html").get_attribute("lang") != language:
        page.locator("#language-select").select_option(language)
        page.wait_for_function(f"() => document.documentElement.lang === '{language}'")
    expected = "rtl" if language == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == expected


def figure(page, name: str, year: int) -> int:
    """Read one key figure of the dashboard for ``year`` as a whole number."""
    page.goto(f"{page.base_url}/?year={year}")
    text = page.locator(f"[data-figure={name}]").first.inner_text()
    digits = re.sub(r"\D", "", text.translate(ARABIC_DIGITS))
    return int(digits or 0)


def photo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def submit_form(page, form_selector: str = "main form[method=post]") -> None:
    page.locator(f"{form_selector} button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_register_submit_approve_record_and_see_the_dashboard_change(page, language):
    year = datetime.date.today().year
    title = f"Camera an ninh khu dân cư {language} {time.time_ns()}"

    # The officer reads the dashboard, then registers an initiative.
    become(page, OFFICER, language)
    registered_before = figure(page, "initiatives", year)
    money_before = figure(page, "money", year)
    page.goto(page.base_url + "/initiatives/new/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.locator("#id_title").fill(title)
    page.locator("#id_field").select_option("defence_security")
    area = page.locator("#id_area option:not([value=''])").first.get_attribute("value")
    page.locator("#id_area").select_option(area)
    assert page.locator("#id_year").input_value() == str(year)
    page.locator("#id_start_date").fill(f"{year}-01-15")
    page.locator("#id_people_in_charge").fill("Đỗ Văn Nam")
    screenshot(page, f"initiative-form-{language}")
    submit_form(page)
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    detail_url = page.url
    assert page.locator("h1").inner_text() == title
    assert page.locator("#initiative-status.status-draft").count() == 1

    # …and submits it: the button is the workflow's "submit" action.
    page.locator("form[data-action=submit] button").click()
    page.wait_for_url(detail_url)
    assert page.locator("#initiative-status.status-submitted").count() == 1
    assert page.locator("form[data-action=register]").count() == 0  # not the officer's to do

    # The reviewer registers it.
    become(page, REVIEWER, language)
    page.goto(detail_url)
    assert page.locator("form[data-action=return] textarea").count() == 1
    page.locator("form[data-action=register] button").click()
    page.wait_for_url(detail_url)
    assert page.locator("#initiative-status.status-registered").count() == 1

    # Back to the officer: the registered count moved by one.
    become(page, OFFICER, language)
    assert figure(page, "initiatives", year) == registered_before + 1

    # A contribution in money.
    page.goto(detail_url + "contributions/new/")
    page.locator("#id_date").fill(f"{year}-03-01")
    page.locator("#id_kind").select_option("money")
    page.locator("#id_amount").fill(str(MONEY))
    page.locator("#id_contributor_type").select_option("households")
    page.locator("#id_contributors").fill("12")
    screenshot(page, f"contribution-form-{language}")
    submit_form(page)
    page.wait_for_url(detail_url)
    money_total = page.locator("[data-total=money]").inner_text().translate(ARABIC_DIGITS)
    assert re.sub(r"\D", "", money_total) == str(MONEY)

    # A result, with a target.
    page.goto(detail_url + "results/new/")
    indicator = page.locator("#id_indicator option:not([value=''])").first.get_attribute("value")
    page.locator("#id_indicator").select_option(indicator)
    page.locator("#id_value").fill("8")
    page.locator("#id_target").fill("10")
    page.locator("#id_period_end").fill(f"{year}-06-30")
    submit_form(page)
    page.wait_for_url(detail_url)
    assert page.locator(".results .progress").count() == 1

    # A photo, through the file input of the drop zone.
    page.goto(detail_url + "evidence/new/")
    page.locator("#id_file").set_input_files(
        {"name": "camera.png", "mimeType": "image/png", "buffer": photo_png()}
    )
    assert page.locator("[data-dropzone-name]").inner_text() == "camera.png"
    page.locator("#id_title").fill("Camera ở cổng khu")
    screenshot(page, f"evidence-form-{language}")
    submit_form(page)
    page.wait_for_url(detail_url)
    thumbnail = page.locator(".gallery img.evidence-thumb").first
    thumbnail.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gallery img')].every(i => i.naturalWidth > 0)"
    )
    screenshot(page, f"initiative-detail-{language}")

    # The dashboard shows the money mobilised.
    assert figure(page, "money", year) == money_before + MONEY

    # The list finds it without diacritics.
    page.goto(page.base_url + "/initiatives/?q=camera+an+ninh+khu+dan+cu+" + language)
    assert page.locator("table.initiative-table tbody tr", has_text=title).count() == 1
    screenshot(page, f"initiative-list-{language}")


def test_the_list_filters_and_sorts_in_place_with_htmx(page):
    become(page, "hatinh.reviewer", "vi")
    page.goto(page.base_url + "/initiatives/")
    marker = page.evaluate("() => { window.__kept = 1; return window.__kept; }")
    with page.expect_response(lambda r: "field=economy" in r.url and r.status == 200):
        page.locator("#id_field").select_option("economy")
    page.wait_for_url(re.compile(r"field=economy"))
    rows = page.locator("table.initiative-table tbody tr")
    assert rows.count() > 0
    with page.expect_response(lambda r: "ordering=code" in r.url and r.status == 200):
        page.locator("th a.sort-link").first.click()
    page.wait_for_url(re.compile(r"ordering=code"))
    assert page.locator("th[aria-sort=ascending]").count() == 1
    # Filters kept while sorting; htmx swapped the table without a new page load.
    assert "field=economy" in page.url
    assert page.evaluate("() => window.__kept") == marker
    codes = page.locator("table.initiative-table tbody tr td:first-child").all_inner_texts()
    assert codes == sorted(codes)
    screenshot(page, "initiative-list")
