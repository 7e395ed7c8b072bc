"""The reviewer's pages and the areas browser in a real browser (the demo data set)."""

import datetime
import re
import time

from tests.browser.conftest import screenshot, sign_in


def submit_a_new_initiative(page) -> str:
    """Have the ward's officer register and submit a fresh initiative; return its title.

    The demo database outlives a test run, so the test makes its own submission rather than
    relying on the demo's one, which an earlier run may have registered.
    """
    title = f"Tủ sách khu dân cư {time.time_ns()}"
    sign_in(page, "quangyen.officer")
    page.goto(page.base_url + "/initiatives/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_field").select_option("culture_society")
    area = page.locator("#id_area option:not([value=''])").first.get_attribute("value")
    page.locator("#id_area").select_option(area)
    page.locator("#id_start_date").fill(f"{datetime.date.today().year}-02-01")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    page.locator("form[data-action=submit] button").click()
    page.locator("#initiative-status.status-submitted").wait_for()
    page.context.clear_cookies()
    return title


def test_the_reviewer_registers_a_submission_from_the_queue(page):
    title = submit_a_new_initiative(page)
    sign_in(page, "quangyen.reviewer")
    page.goto(page.base_url + "/review/")
    row = page.locator("#queue-submissions tr", has_text=title)
    row.wait_for()
    screenshot(page, "review-queue")
    marker = page.evaluate("() => { window.__kept = 1; return window.__kept; }")
    with page.expect_response(lambda r: "/register/" in r.url and r.status == 200):
        row.locator("form[action$='/register/'] button").click()
    # htmx swapped the row in place: the page itself did not reload.
    page.locator("#queue-submissions tr [role=status]").first.wait_for()
    assert page.evaluate("() => window.__kept") == marker
    assert row.get_by_role("button").count() == 0


def test_the_reviewer_submits_an_evaluation(page):
    sign_in(page, "quangyen.reviewer")
    page.goto(page.base_url + "/review/?tab=evaluations")
    due_before = int(page.locator("#tab-evaluations .queue-count").inner_text().replace(".", ""))
    assert due_before > 0
    page.locator("#queue-evaluations a[href$='/evaluate/']").first.click()
    page.wait_for_url(re.compile(r"/review/initiatives/\d+/evaluate/"))
    scores = page.locator(".evaluation-form input[type=number]")
    assert scores.count() >= 1
    # First an impossible score: the form says so next to the field and keeps the page.
    scores.first.fill("999")
    page.locator(".evaluation-form button[type=submit]").click()
    page.locator(".evaluation-form .invalid-feedback").first.wait_for()
    screenshot(page, "review-evaluation-errors")
    for index in range(scores.count()):
        scores.nth(index).fill(scores.nth(index).get_attribute("max"))
    page.locator("#id_comment").fill("Mô hình tiêu biểu, đề nghị nhân rộng.")
    page.locator(".evaluation-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/review/\?tab=evaluations"))
    assert page.locator(".alert-success").count() == 1
    due_after = int(page.locator("#tab-evaluations .queue-count").inner_text().replace(".", ""))
    assert due_after == due_before - 1


def test_the_areas_browser_expands_a_node_and_finds_quang_yen(page):
    sign_in(page, "quangyen.reviewer")
    page.goto(page.base_url + "/areas/")
    province = page.locator("#area-tree > li.area-node", has_text="Tỉnh Quảng Ninh")
    assert page.locator("#area-tree a", has_text="Phường Quảng Yên").count() == 0
    with page.expect_response(lambda r: "/children/" in r.url and r.status == 200):
        province.locator("summary .text-body-secondary").first.click()
    province.locator(".area-children a", has_text="Phường Quảng Yên").wait_for()
    screenshot(page, "areas-tree")
    page.locator("#area-search").fill("quang yen")
    page.locator("#area-search").press("Enter")
    result = page.locator("#area-results a", has_text="Phường Quảng Yên").first
    result.wait_for()
    screenshot(page, "areas-search")
    result.click()
    page.wait_for_url(re.compile(r"/areas/\d+/$"))
    history = page.locator("#area-succession")
    assert history.locator("tr", has_text="Phường Yên Giang").count() >= 1
    screenshot(page, "areas-unit")
