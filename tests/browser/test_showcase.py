"""The public showcase, visited without signing in."""

from tests.browser.conftest import screenshot


def test_a_visitor_browses_exemplary_initiatives_by_province(page):
    page.goto(page.base_url + "/showcase/")
    cards = page.locator(".showcase-card")
    assert cards.count() > 0
    screenshot(page, "showcase")
    page.locator("#province").select_option(label="Tỉnh Hà Tĩnh")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/showcase/?province=*")
    assert page.locator(".showcase-card").count() > 0
    page.locator(".showcase-card a").first.click()
    page.wait_for_url("**/showcase/DVK-*/")
    assert page.locator("[data-figure=money]").inner_text().endswith("₫")
    screenshot(page, "showcase-detail")


def test_a_private_code_is_not_found(page):
    page.expect_status(404, "/showcase/NO-SUCH-CODE/")
    answer = page.goto(page.base_url + "/showcase/NO-SUCH-CODE/")
    assert answer.status == 404
