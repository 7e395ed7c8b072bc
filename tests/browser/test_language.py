"""Switching the language: Vietnamese by default, English, and Arabic right to left."""

import pytest

from tests.browser.conftest import screenshot, sign_in


def _stylesheets(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
    )


def test_vietnamese_by_default_then_english_then_arabic(page):
    sign_in(page, "canloc.viewer")
    html = page.locator("html")
    assert html.get_attribute("lang") == "vi"
    assert html.get_attribute("dir") == "ltr"
    page.locator("#language-select").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url.rstrip("/") == page.base_url
    assert page.locator("h1").inner_text() == "Dashboard"
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    assert html.get_attribute("dir") == "rtl"
    sheets = _stylesheets(page)
    assert any(s.endswith("bootstrap.rtl.min.css") for s in sheets)
    assert not any(s.endswith("bootstrap.min.css") for s in sheets)
    # The stylesheet really applies: the menu runs from the right.
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    page.locator("[data-chart=field] canvas").first.wait_for()
    page.locator("[data-chart=map][data-map-ready]").wait_for()
    screenshot(page, "dashboard-ar")


@pytest.mark.parametrize("context", ["ar"], indirect=True)
def test_the_sign_in_page_follows_the_browser_language(page):
    page.goto(page.base_url + "/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("label[for=id_username]").count() == 1


def test_the_switch_works_without_scripts(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(base_url + "/showcase/")
        page.locator("#language-select").select_option("en")
        page.locator(".language-submit").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "/showcase/" in page.url
    finally:
        context.close()
