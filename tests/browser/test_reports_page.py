"""The reports pages in a real browser: ask for a periodic report as PDF, see it done in the
list, download it; export the initiative list in the background (the demo server builds
tasks at once)."""

import datetime
import re

from tests.browser.conftest import screenshot, sign_in


def test_the_reviewer_asks_for_a_pdf_report_and_downloads_it(page, tmp_path):
    sign_in(page, "quangyen.reviewer")
    page.goto(page.base_url + "/reports/")
    page.locator("main a[href='/reports/new/']").click()
    page.wait_for_url(page.base_url + "/reports/new/")
    assert page.locator("#id_language").input_value() == "vi"
    # First an impossible "since": the form says so next to the field and creates nothing.
    page.locator("#id_year").fill(str(datetime.date.today().year - 1))
    page.locator("#id_period_kind").select_option("annual")
    page.locator("input[name=format][value=pdf]").check()
    page.locator("#id_since").fill("2099")
    page.locator("main form[method=post] button[type=submit]").click()
    page.locator("#id_since-error").wait_for()
    assert page.locator("#id_since").get_attribute("aria-invalid") == "true"
    page.locator("#id_since").fill("2013")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(page.base_url + "/reports/")
    page.locator(".messages [role=status]").wait_for()
    row = page.locator("#report-list tbody tr").first
    # Built at once by this server; on a real one the row would poll until it is done.
    row.locator("a[href$='/download/']").wait_for()
    assert row.get_attribute("data-status") == "done"
    assert row.get_attribute("hx-trigger") is None
    assert "PDF" in row.inner_text()
    screenshot(page, "reports")
    with page.expect_download() as info:
        row.locator("a[href$='/download/']").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_the_initiative_list_exports_in_the_background(page):
    sign_in(page, "quangyen.reviewer")
    page.goto(page.base_url + "/initiatives/?field=economy")
    page.locator("#export-background button").click()
    page.wait_for_url(page.base_url + "/reports/")
    row = page.locator("#report-list tbody tr").first
    row.locator("a[href$='/download/']").wait_for()
    assert re.search(r"XLSX", row.inner_text())
    with page.expect_download() as info:
        row.locator("a[href$='/download/']").click()
    assert info.value.suggested_filename.endswith(".xlsx")
