"""Accessibility of the main pages, checked by axe-core in the browser (WCAG 2.1 A and AA), in
Vietnamese and in Arabic (right to left), and by hand for the keyboard: a visible focus on
everything Tab reaches, and a form filled and sent without a mouse.

axe-core comes from npm (a development dependency: never served to users). The pages send a
Content-Security-Policy without ``'unsafe-inline'``, so ``page.add_script_tag(content=...)`` is
blocked (and logs a console error); ``page.evaluate`` runs the source through the DevTools
protocol, which the policy does not govern.
"""

import datetime
import re
import time
from functools import cache

import pytest

from tests.browser.conftest import DEMO_PASSWORD, REPOSITORY, screenshot

AXE_SOURCE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["vi", "ar"]

RUN_AXE = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


@cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `npm ci`")
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it stands; return its WCAG 2.1 A/AA violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(where: str, violations: list[dict]) -> str:
    """A readable list: one rule per paragraph with its impact, help and the elements."""
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for target in v["targets"][:8]:
            lines.append(f"      {target}")
        if len(v["targets"]) > 8:
            lines.append(f"      … and {len(v['targets']) - 8} more")
        summary = " ".join(v["summary"].split())
        if summary:
            lines.append(f"      ({summary[:300]})")
    return "\n".join(lines)


def signed_in(page, username: str) -> None:
    """Sign in as ``sign_in`` does, but let each page finish loading before leaving it.

    Leaving a page at once aborts its favicon request when the server is slow, and the harness
    counts an aborted request as a failed one.
    """
    page.goto(page.base_url + "/accounts/login/")
    page.wait_for_load_state("networkidle")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(page.base_url + "/")
    page.wait_for_load_state("networkidle")


def switch_language(page, language: str) -> None:
    """Pick the language in the menu, as a person would (Vietnamese is the default)."""
    if page.locator("html").get_attribute("lang") == language:
        return
    page.locator("#language-select").select_option(language)
    page.wait_for_function(f"() => document.documentElement.lang === '{language}'")
    page.wait_for_load_state("networkidle")


def settle(page) -> None:
    """Wait until the page has drawn what it loads after the first paint (charts, htmx)."""
    page.wait_for_load_state("networkidle")
    if page.locator("[data-chart]").count():
        page.locator("[data-chart] canvas").first.wait_for()
    # The fade-in of Bootstrap's components (CSS transitions; a spinner's endless animation
    # is not waited for), htmx's swaps, and each chart's first animation: all played out.
    page.wait_for_function(
        """() => document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .every(a => a.playState !== 'running')
            && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
            && [...document.querySelectorAll('[data-chart]')]
                .map(e => window.echarts && echarts.getInstanceByDom(e))
                .every(c => !c || c.getZr().animation.isFinished())"""
    )


class Audit:
    """Visit pages, run axe on each, and fail once at the end with every page's violations."""

    def __init__(self, page, language: str):
        self.page = page
        self.language = language
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, path: str, name: str | None = None) -> None:
        page = self.page
        if path:
            page.goto(page.base_url + path)
        settle(page)
        label = name or path
        violations = axe_violations(page)
        self.checked.append(label)
        if violations:
            slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "home"
            screenshot(page, f"a11y-{self.language}-{slug}")
            self.problems.append(describe(f"{label} ({self.language}, {page.url})", violations))

    def href(self, path: str, selector: str) -> str:
        """The address of the first link matching ``selector`` on ``path``."""
        self.page.goto(self.page.base_url + path)
        self.page.wait_for_load_state("networkidle")
        link = self.page.locator(selector).first
        link.wait_for(state="attached")
        return link.get_attribute("href")

    def verdict(self) -> None:
        assert self.checked, "no page was checked"
        if self.problems:
            pytest.fail(
                "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(self.problems),
                pytrace=False,
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(page, language):
    audit = Audit(page, language)
    page.goto(page.base_url + "/accounts/login/")
    page.wait_for_load_state("networkidle")
    switch_language(page, language)
    audit.check("", "sign-in")
    audit.check("/showcase/")
    detail = page.locator(
        "main a[href^='/showcase/']:not([href='/showcase/']):not([href^='/showcase/photos/'])"
    )
    if detail.count():
        audit.check(detail.first.get_attribute("href"), "showcase detail")
    audit.verdict()


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_pages(page, language):
    signed_in(page, "quangyen.officer")
    switch_language(page, language)
    audit = Audit(page, language)
    audit.check("/", "dashboard")
    audit.check("/initiatives/")
    detail = audit.href("/initiatives/", "main table a[href^='/initiatives/']")
    audit.check(detail, "initiative detail")
    audit.check("/initiatives/new/", "initiative form")
    # The same form sent empty: its errors must be tied to the fields and readable.
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.locator("main .invalid-feedback").first.wait_for()
    assert page.locator("#id_title").get_attribute("aria-invalid") == "true"
    assert "id_title-error" in page.locator("#id_title").get_attribute("aria-describedby")
    audit.check("", "initiative form with errors")
    audit.check(detail + "contributions/new/", "contribution form")
    audit.verdict()


@pytest.mark.parametrize("language", LANGUAGES)
def test_reviewer_pages(page, language):
    signed_in(page, "quangyen.reviewer")
    switch_language(page, language)
    audit = Audit(page, language)
    audit.check("/review/", "review queue")
    audit.check("/review/?tab=evaluations", "evaluations queue")
    evaluate = page.locator("#queue-evaluations a[href$='/evaluate/']")
    if evaluate.count():
        audit.check(evaluate.first.get_attribute("href"), "evaluation form")
    audit.check("/review/awards/", "awards")
    audit.check("/areas/", "areas")
    unit = page.locator("#area-tree a[href^='/areas/']").first.get_attribute("href")
    audit.check(unit, "area unit")
    audit.verdict()


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages(page, language):
    signed_in(page, "quangninh.admin")
    switch_language(page, language)
    audit = Audit(page, language)
    audit.check("/organisations/", "organisations")
    audit.check("/people/", "people")
    audit.check("/reports/", "reports")
    audit.check("/reports/new/", "new report")
    audit.check("/imports/", "imports")
    audit.verdict()


def test_axe_reports_a_real_violation(page):
    """The check can fail: an unlabelled input and grey-on-white text are caught."""
    signed_in(page, "quangyen.officer")
    page.evaluate(
        """() => {
          const input = document.createElement("input");
          input.id = "a11y-unlabelled";
          document.querySelector("main").append(input);
          const faint = document.createElement("p");
          faint.textContent = "faint";
          faint.id = "a11y-faint";
          faint.style.color = "#cccccc";
          document.querySelector("main").append(faint);
        }"""
    )
    found = {v["id"]: v for v in axe_violations(page)}
    assert "#a11y-unlabelled" in found["label"]["targets"]
    assert "#a11y-faint" in found["color-contrast"]["targets"]
    assert "label" in describe("here", list(found.values()))


# --- Keyboard ----------------------------------------------------------------------------

FOCUS_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
          s.backgroundColor, s.color, s.textDecorationLine].join("|");
}"""


def focus_indicator_missing(page) -> str | None:
    """Describe the focused element if its look does not change from the unfocused state."""
    focused = page.evaluate_handle("() => document.activeElement")
    element = focused.as_element()
    if element is None:
        return None
    focused_style = element.evaluate(FOCUS_STYLE)
    name = element.evaluate(
        "(el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + "
        "(el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + ' ' + "
        "(el.innerText || el.value || '').trim().slice(0, 40)"
    )
    visible = element.evaluate(
        "(el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }"
    )
    # Compare with the same element blurred; then give the focus back where Tab left it.
    element.evaluate("(el) => el.blur()")
    blurred_style = element.evaluate(FOCUS_STYLE)
    element.evaluate("(el) => el.focus({focusVisible: true})")
    if not visible:
        return f"{name}: focused but not visible"
    if focused_style == blurred_style:
        return f"{name}: looks the same focused and unfocused ({focused_style})"
    outline = focused_style.split("|")
    if outline[0] in {"none", ""} and outline[3] == "none":
        return f"{name}: no outline and no shadow when focused"
    return None


DESCRIBE_FOCUSED = """() => {
  const el = document.activeElement;
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " ." + el.className;
}"""


def tab_through(page, presses: int) -> tuple[list[str], list[str]]:
    """Press Tab ``presses`` times from the top; return what got focus and what was invisible."""
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached, problems = [], []
    for _ in range(presses):
        page.keyboard.press("Tab")
        tag = page.evaluate(
            "() => document.activeElement ? document.activeElement.tagName.toLowerCase() : ''"
        )
        if tag in {"", "body"}:
            break
        reached.append(page.evaluate(DESCRIBE_FOCUSED))
        problem = focus_indicator_missing(page)
        if problem:
            problems.append(problem)
    return reached, problems


def test_the_dashboard_shows_where_the_keyboard_is(page):
    signed_in(page, "quangyen.officer")
    settle(page)
    reached, problems = tab_through(page, 25)
    # The skip link comes first, then the menu, the language switch and the filters.
    assert "skip-link" in reached[0]
    assert any(r.startswith("select#unit") for r in reached)
    assert any(r.startswith("select#year") for r in reached)
    assert len(reached) >= 10
    assert not problems, "focus not visible on:\n" + "\n".join(problems)


def test_the_skip_link_moves_the_focus_to_the_content(page):
    signed_in(page, "quangyen.officer")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'")


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("(el) => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_the_initiative_form_is_filled_and_sent_with_the_keyboard_only(page):
    signed_in(page, "quangyen.officer")
    page.goto(page.base_url + "/initiatives/new/")
    settle(page)
    reached, problems = tab_through(page, 40)
    assert any(r.startswith("input#id_title") for r in reached)
    assert not problems, "focus not visible on:\n" + "\n".join(problems)

    title = f"Sân chơi an toàn cho trẻ em {time.time_ns()}"
    page.locator("body").focus()
    _tab_to(page, "#id_title")
    page.keyboard.type(title)
    _tab_to(page, "#id_field")
    # A closed <select> takes its value from the arrow keys as it has the focus.
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_field").input_value() != ""
    _tab_to(page, "#id_area")
    page.keyboard.press("ArrowDown")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_area").input_value() != ""
    _tab_to(page, "#id_start_date")
    year = datetime.date.today().year
    # Chromium's date field takes day, month and year as digits, in the browser's order: the
    # same day and month keep the test free of that order.
    page.keyboard.type(f"0303{year}")
    assert page.locator("#id_start_date").input_value() == f"{year}-03-03"
    _tab_to(page, "main form[method=post] button[type=submit]")
    screenshot(page, "a11y-keyboard-initiative-form")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().strip() == title


def test_the_charts_have_a_name_and_a_table_of_their_figures(page):
    signed_in(page, "quangyen.officer")
    settle(page)
    charts = page.locator("[data-chart]")
    kinds = {charts.nth(i).get_attribute("data-chart") for i in range(charts.count())}
    # The drill-down's chart of units below ("units") is there when there are units below.
    assert (
        {"field", "year", "org_kind", "map"}
        <= kinds
        <= {"field", "year", "org_kind", "map", "units"}
    )
    for index in range(charts.count()):
        chart = charts.nth(index)
        label = chart.get_attribute("aria-label")
        assert chart.get_attribute("role") == "img"
        # The page's translated name, not the English sentence ECharts writes by itself.
        assert label and "chart" not in label.lower(), label
        table = chart.locator(
            "xpath=following-sibling::div[contains(@class, 'chart-table')][1]/table"
        )
        assert table.locator("caption").inner_text() == label
        assert table.locator("tbody tr").count() >= 1
    field_rows = page.locator("[data-chart=field] + .chart-table tbody tr")
    assert field_rows.count() >= 1
    assert field_rows.first.locator("td").inner_text().strip().isdigit()


def test_the_focus_check_catches_an_invisible_focus(page):
    """The keyboard check can fail: a button whose focus ring was taken away is reported."""
    signed_in(page, "quangyen.officer")
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          button.id = "a11y-no-ring";
          button.type = "button";
          button.textContent = "no ring";
          for (const name of ["outline", "box-shadow"]) {
            button.style.setProperty(name, "none", "important");
          }
          document.querySelector("main").prepend(button);
        }"""
    )
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "a11y-no-ring"
    problem = focus_indicator_missing(page)
    assert problem and "a11y-no-ring" in problem
