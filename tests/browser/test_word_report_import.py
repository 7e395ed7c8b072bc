"""A Word report imported in a real browser: uploaded by the ward's officer, reviewed beside its
sentences (also right to left, in Arabic), confirmed and applied."""

import re
import time

from tests.browser.conftest import screenshot, sign_in
from tests.imports.word_reports.builder import Report, Row, TableSpec, build


def _report(title: str) -> Report:
    return Report(
        name="browser",
        issuer="UBND phường Yên Giang",
        place="Yên Giang",
        date="ngày 10 tháng 12 năm 2024",
        title="Kết quả thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        blocks=[
            TableSpec(
                rows=[Row(title, "UBND phường Yên Giang", "culture_society", "Văn hóa - xã hội")]
            ),
            (
                "p",
                f"Mô hình “{title}” đã vận động nhân dân đóng góp "
                "{{money:180000000:trieu:q=hơn}} và {{days:320}}.",
            ),
        ],
    )


def test_the_officer_reviews_and_applies_a_word_report(page, tmp_path):
    title = f"Tủ sách nhà văn hóa khu 2 ({time.time_ns()})"
    path = tmp_path / "bao-cao-2024.docx"
    build(_report(title), path)
    sign_in(page, "yengiang.officer")
    page.wait_for_load_state("networkidle")  # the dashboard's own requests, left to finish
    page.goto(page.base_url + "/imports/word-reports/")
    page.locator("#id_report").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/imports/\d+/review/$"))
    review_url = page.url
    rows = page.locator("#review-items tbody tr")
    assert rows.count() == 3  # the model, then its two figures
    model = rows.nth(0)
    assert model.locator("input[name$=-title]").input_value() == title
    assert model.locator("input[name$=-organisation]").input_value() != ""
    money = page.locator("#review-items tbody tr", has=page.locator("mark"))
    assert money.locator("mark").first.inner_text() == "hơn 180 triệu đồng"
    assert money.locator("[data-qualifier=more_than]").count() == 1
    screenshot(page, "word-report-review")

    # Arabic: the page turns right to left, the report's words stay as written.
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    assert page.url == review_url
    assert page.locator("blockquote[lang=vi]").first.is_visible()
    screenshot(page, "word-report-review-ar")
    page.locator("#language-select").select_option("vi")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")

    # One figure is rejected by hand; the rest are confirmed, then applied.
    labour = rows.nth(2)
    labour.locator("input[value=rejected]").check()
    page.locator("#review-form button[type=submit]").click()
    page.wait_for_url(review_url)
    page.locator("form[action$='/review/confirm/'] button").click()
    page.wait_for_url(review_url)
    assert page.locator("[data-count=confirmed]").inner_text().endswith("2")
    assert (
        page.locator("#review-items tbody tr").nth(2).locator("input[value=rejected]").is_checked()
    )
    page.locator("form[action$='/review/apply/'] button").click()
    # Applied at once, in one transaction: on a busy machine that takes a few seconds.
    page.wait_for_url(re.compile(r"/imports/\d+/$"), timeout=60_000)
    screenshot(page, "word-report-applied")
    page.goto(page.base_url + "/initiatives/?q=" + title.split(" (")[0])
    assert page.locator("main", has_text=title).count() == 1
