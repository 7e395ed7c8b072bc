"""The public showcase, visited without signing in."""

from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import screenshot


def test_a_visitor_browses_exemplary_initiatives_by_province(page):
    page.goto(page.base_url + "/showcase/")
    cards = page.locator(".showcase-card")
    assert cards.count() > 0
    screenshot(page, "showcase")
    [province] = page.locator("#province").select_option(label="Tỉnh Hà Tĩnh")
    page.locator("form[role=search] button[type=submit]").click()
    # The form sends its words (``q``) too, before the province: judge the query, not its order.
    page.wait_for_url(
        lambda url: (
            urlsplit(url).path == "/showcase/"
            and parse_qs(urlsplit(url).query).get("province") == [province]
        )
    )
    assert page.locator(".showcase-card").count() > 0
    # Only an initiative that mobilised money shows it (no "0 ₫"): open one of those.
    with_money = page.locator(".showcase-card:has(.card-footer)")
    assert with_money.count() > 0
    card_money = with_money.first.locator(".card-footer strong").inner_text()
    with_money.first.locator("h2 a").click()
    page.wait_for_url("**/showcase/DVK-*/")
    money = page.locator("[data-figure=money]").inner_text()
    assert money.endswith("₫") and money == card_money
    screenshot(page, "showcase-detail")


def test_a_private_code_is_not_found(page):
    page.expect_status(404, "/showcase/NO-SUCH-CODE/")
    answer = page.goto(page.base_url + "/showcase/NO-SUCH-CODE/")
    assert answer.status == 404
