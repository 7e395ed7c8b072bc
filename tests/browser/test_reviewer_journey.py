"""The reviewer's journey in a real browser, on the demo data, signed in through the login page.

Nguyễn Văn Hùng reviews for the Mass Mobilization Commission of Hà Tĩnh province. In his queue
he searches without diacritics, filters, sorts and pages through the province's submissions;
he registers several at once (one of which a colleague registered meanwhile: it is reported as
refused, the others done) and returns one with a reason. He copies last year's criteria into a
new set and edits it before use; the set already used cannot be edited. The evaluation list
opens on the year that has work; he evaluates two models together. On a model's page he
proposes an award (still offered after the evaluation), marks it exemplary (it appears in the
public showcase), records the model it replicates and continues it into the new year. Then the
queue, the criteria and a model's page in Arabic, right to left.
"""

import datetime
import re
import shutil

from danvan.core.text import fold
from tests.browser.conftest import REPOSITORY, SCREENSHOTS, screenshot
from tests.browser.test_initiative_flow import ARABIC_DIGITS
from tests.browser.test_initiative_flow import become as sign_in_as

REVIEWER = "hatinh.reviewer"
REASON = "Thiếu biên bản họp dân và danh sách hộ tham gia"
DOCS_SCREENSHOTS = REPOSITORY / "docs" / "screenshots"
SHOWN_IN_DOCS = (
    "reviewer-queue",
    "reviewer-bulk-result",
    "reviewer-criteria",
    "reviewer-criteria-edit",
    "reviewer-evaluate-together",
    "reviewer-initiative-actions",
    "reviewer-queue-ar",
    "reviewer-initiative-actions-ar",
)


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text.translate(ARABIC_DIGITS)) or 0)


def queue(page, **params) -> None:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    page.goto(f"{page.base_url}/review/{'?' + query if query else ''}")


def chosen_codes(page, count: int) -> list[str]:
    """Tick the first ``count`` rows of the list; return their codes."""
    boxes = page.locator("input.row-choice")
    codes = []
    for index in range(count):
        boxes.nth(index).check()
        codes.append(boxes.nth(index).get_attribute("aria-label"))
    return codes


def test_the_reviewers_journey(page):
    sign_in_as(page, REVIEWER, "vi")
    page.wait_for_load_state("networkidle")  # the dashboard's map has loaded: leave it whole

    # --- The queue: current work, search, filters, sorting, counts, numbered pages. ------------
    queue(page)
    waiting = number(page.locator("#tab-submissions .queue-count").inner_text())
    assert waiting > 0
    assert page.locator(".status-count[data-status=submitted]").count() == 1
    screenshot(page, "reviewer-queue")

    first = page.locator("#queue-submissions tbody tr").first
    title = first.locator("td:nth-child(3) a").inner_text()
    words = " ".join(fold(title).split()[:3])  # typed without diacritics
    page.locator("#id_q").fill(words)
    page.locator(".queue-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]q="))
    assert page.locator("#queue-submissions tbody tr", has_text=title).count() >= 1

    queue(page)
    page.locator("#id_unit").select_option(index=1)  # a unit of the province, and all below
    page.locator("#id_field").select_option(index=1)
    page.locator("#id_size").select_option("50")
    page.locator(".queue-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"unit=\d+.*size=50"))
    assert page.locator(".queue-summary").is_visible()

    queue(page)
    page.locator("a.sort-link").first.click()  # by code, ascending
    page.wait_for_url(re.compile(r"sort=code"))
    codes = [
        cell.inner_text() for cell in page.locator("#queue-submissions tbody td:nth-child(2)").all()
    ]
    assert codes == sorted(codes)
    if waiting > 20:  # Hà Tĩnh's submissions run over several numbered pages
        page.locator(".queue-pager a[aria-label]", has_text="2").first.click()
        page.wait_for_url(re.compile(r"page=2"))
        assert "sort=code" in page.url  # the order and filters stay with the pages

    # --- Register several at once; one was registered meanwhile by a colleague. ---------------
    queue(page, sort="code")
    codes = chosen_codes(page, 3)
    colleague = page.context.new_page()
    colleague.goto(f"{page.base_url}/review/?sort=code")
    row = colleague.locator("#queue-submissions tr", has_text=codes[0])
    with colleague.expect_response(lambda r: "/register/" in r.url and r.status == 200):
        row.locator("form[action$='/register/'] button").click()
    colleague.close()
    page.locator("#bulk-form button[value=register]").click()
    page.locator(".bulk-results").wait_for()
    assert number(page.locator("#bulk-succeeded").inner_text()) == 2
    assert number(page.locator("#bulk-refused").inner_text()) == 1
    refused = page.locator("tr.bulk-refused")
    assert codes[0] in refused.inner_text() and refused.locator("td").last.inner_text()
    screenshot(page, "reviewer-bulk-result")

    # Return one with a reason: first without (refused, nothing changes), then with.
    queue(page, sort="code")
    returned = chosen_codes(page, 1)[0]
    page.locator("#bulk-form button[value=return]").click()
    page.locator(".alert-danger, .alert-error, [role=alert]").first.wait_for()
    assert page.locator("#queue-submissions tr", has_text=returned).count() == 1
    page.locator(f"input.row-choice[aria-label='{returned}']").check()
    page.locator("#id_bulk-reason").fill(REASON)
    page.locator("#bulk-form button[value=return]").click()
    page.locator(".bulk-results").wait_for()
    assert number(page.locator("#bulk-succeeded").inner_text()) == 1

    # --- Criteria: copy last year's set, edit it before use; a used set stays as it is. -------
    page.goto(page.base_url + "/review/criteria/")
    used = page.locator("table.criteria-sets tr", has=page.locator(".badge")).first
    used_id = used.get_attribute("data-set")
    assert used.locator("a.criteria-edit").count() == 0
    screenshot(page, "reviewer-criteria")
    used.locator("a.criteria-copy").click()
    name = f"Tiêu chí Dân vận khéo {datetime.date.today().year} – Tỉnh Hà Tĩnh"
    page.locator("#id_name").fill(name)
    page.locator(".criteria-copy-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/review/criteria/\d+/edit/"))
    copy_id = re.search(r"/criteria/(\d+)/edit/", page.url).group(1)
    empty = int(page.locator("#id_criteria-INITIAL_FORMS").input_value())  # first empty row
    page.locator(f"#id_criteria-{empty}-name").fill("Khả năng nhân rộng")
    page.locator(f"#id_criteria-{empty}-weight").fill("20")
    page.locator(f"#id_criteria-{empty}-max_score").fill("10")
    screenshot(page, "reviewer-criteria-edit")
    page.locator(".criteria-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/review/criteria/$"))
    assert page.locator(".alert-success").count() == 1
    assert page.locator(f"tr[data-set='{copy_id}'] a.criteria-edit").count() == 1
    page.goto(f"{page.base_url}/review/criteria/{used_id}/edit/")
    page.wait_for_url(re.compile(r"/review/criteria/$"))
    assert page.locator(".alert-danger, [role=alert]").count() >= 1

    # --- Evaluate together: the list opens on the year with work. ----------------------------
    queue(page, tab="evaluations")
    year = int(page.locator("#queue-year").input_value())
    assert (
        year == max(int(option) for option in page.locator("#queue-year option").all_inner_texts())
        or year <= datetime.date.today().year
    )
    evaluated = chosen_codes(page, 2)
    page.locator("#bulk-form button[value=evaluate]").click()
    page.wait_for_url(re.compile(r"/review/evaluate/\?"))
    if page.locator("#criteria-set-choice").count():
        page.locator("#criteria-set-choice").select_option(copy_id)
        page.locator("main form[method=get] button[type=submit]").click()
        page.wait_for_url(re.compile(rf"set={copy_id}"))
    scores = page.locator(".evaluation-form input[type=number]")
    for index in range(scores.count()):
        scores.nth(index).fill(scores.nth(index).get_attribute("max"))
    page.locator("#id_comment").fill("Mô hình tiêu biểu, đề nghị nhân rộng.")
    screenshot(page, "reviewer-evaluate-together")
    page.locator(".evaluation-form button[type=submit]").click()
    page.locator(".bulk-results").wait_for()
    assert number(page.locator("#bulk-succeeded").inner_text()) == 2

    # --- A model's page: propose an award after the evaluation, mark it exemplary, record the
    # model it replicates, continue it into the new year. --------------------------------------
    page.locator("tr.bulk-ok a", has_text=evaluated[0]).click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    detail = page.url
    assert page.locator("#action-award").is_visible()
    page.locator("#action-award").click()
    page.locator("#id_title").select_option(index=1)
    page.locator("#id_level").select_option("province")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/review/awards/\d+/$"))

    page.goto(detail)
    page.locator("#action-exemplary button").click()
    page.wait_for_url(detail)
    assert page.locator(".alert-success").count() == 1
    screenshot(page, "reviewer-initiative-actions")
    page.goto(f"{page.base_url}/showcase/{evaluated[0]}/")
    assert evaluated[0] in page.content()

    page.goto(page.base_url + "/showcase/")
    sources = [
        href.rstrip("/").rsplit("/", 1)[-1]
        for href in page.locator("a[href^='/showcase/DVK-']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    ]
    source = next(code for code in sources if code != evaluated[0])
    page.goto(detail)
    page.locator("#replication-source").fill(source)
    page.locator("#action-replication button[type=submit]").click()
    page.wait_for_url(detail)
    assert page.locator(".alert-success").count() == 1
    assert page.locator(".replication-ancestors", has_text=source).count() == 1

    page.locator("#continue-round").select_option("")
    page.locator("#action-continue button[type=submit]").click()
    page.wait_for_url(lambda url: url != detail and re.search(r"/initiatives/\d+/$", url))
    assert page.locator("#initiative-status.status-draft").count() == 1
    assert page.locator(".alert-success").count() == 1

    # --- Arabic, right to left. ---------------------------------------------------------------
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(detail)
    assert page.locator(".reviewer-actions").is_visible()
    screenshot(page, "reviewer-initiative-actions-ar")
    queue(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#bulk-form").is_visible()
    screenshot(page, "reviewer-queue-ar")
    page.goto(page.base_url + "/review/criteria/")
    assert page.locator(f"tr[data-set='{copy_id}']").count() == 1
    screenshot(page, "reviewer-criteria-ar")

    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in SHOWN_IN_DOCS:
        shutil.copyfile(SCREENSHOTS / f"{name}.png", DOCS_SCREENSHOTS / f"{name}.png")
