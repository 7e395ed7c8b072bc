"""The password forms in a real browser: the "Show" button reveals and hides the password,
the meter follows what is typed (ASVS 2.1.8, 2.1.12), under the enforced Content-Security-
Policy (a blocked script would be a console error, which fails the test)."""

from tests.browser.conftest import DEMO_PASSWORD, screenshot, sign_in


def _level(page) -> str:
    return page.locator("[data-password-meter=id_new_password1]").get_attribute("data-level")


def test_show_the_password_and_watch_the_meter(page):
    sign_in(page, "canloc.viewer")
    page.goto(page.base_url + "/accounts/password_change/")
    new = page.locator("#id_new_password1")
    toggle = page.locator("[data-password-toggle=id_new_password1]")
    meter = page.locator("#id_new_password1-meter")
    verdict = page.locator("[data-password-meter=id_new_password1] .password-verdict")

    assert toggle.is_visible()
    assert new.get_attribute("type") == "password"
    toggle.click()
    assert new.get_attribute("type") == "text"
    toggle.click()
    assert new.get_attribute("type") == "password"

    assert _level(page) == "0" and verdict.inner_text() == ""
    new.fill("ngắn")
    assert _level(page) == "1"
    too_short = verdict.inner_text()
    assert too_short
    new.fill("123456789012345")
    assert _level(page) == "1" and verdict.inner_text() != too_short
    new.fill("đường hoa nhà số chuyển đổi")
    assert _level(page) == "4"
    assert meter.evaluate("m => m.value") == 4
    screenshot(page, "password-meter")

    # The password typed in clear goes back to dots before the form is sent.
    toggle.click()
    assert new.get_attribute("type") == "text"
    new.evaluate("i => i.form.addEventListener('submit', e => e.preventDefault())")
    page.locator("main form button[type=submit]").click()
    assert new.get_attribute("type") == "password"


def test_the_sign_in_page_shows_the_password_without_a_meter(page):
    page.goto(page.base_url + "/accounts/login/")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("[data-password-toggle=id_password]").click()
    assert page.locator("#id_password").get_attribute("type") == "text"
    assert page.locator("[data-password-meter]").count() == 0


def test_without_scripts_the_fields_are_plain(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(base_url + "/accounts/login/")
        assert not page.locator("[data-password-toggle=id_password]").is_visible()
        assert page.locator("#id_password").get_attribute("type") == "password"
    finally:
        context.close()
