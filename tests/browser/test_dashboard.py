"""The dashboard in a real browser: sign in, figures, charts, htmx reloads, keyboard."""

import re

from tests.browser.conftest import screenshot, sign_in


def test_sign_in_shows_the_dashboard_with_figures_and_charts(page):
    page.goto(page.base_url + "/")
    # Anonymous: sent to the sign-in page, which keeps where they were going.
    assert "/accounts/login/" in page.url
    screenshot(page, "login")
    sign_in(page, "hatinh.reviewer")
    assert page.locator("h1").inner_text() != ""
    figure = page.locator("[data-figure=initiatives]")
    assert re.fullmatch(r"[\d.]+", figure.inner_text().strip())
    # Every chart draws into a canvas (ECharts, from the page's own static files).
    for kind in ("field", "year", "org_kind", "map"):
        page.locator(f"[data-chart={kind}] canvas").first.wait_for()
    # The map's canvas shows "loading" until its outlines arrive: wait for them to be drawn.
    page.locator("[data-chart=map][data-map-ready]").wait_for()
    assert page.locator(".user-scope", has_text="Tỉnh Hà Tĩnh").count() == 1
    screenshot(page, "dashboard")


def test_changing_the_year_reloads_the_figures_in_place(page):
    sign_in(page, "hatinh.reviewer")
    before = page.locator("[data-figure=initiatives]").inner_text()
    marker = page.evaluate("() => { window.__kept = 1; return window.__kept; }")
    with page.expect_response(lambda r: "year=all" in r.url and r.status == 200):
        page.locator("#year").select_option("all")
    page.locator("[data-chart=field] canvas").first.wait_for()
    after = page.locator("[data-figure=initiatives]").inner_text()
    # htmx swapped the figures without a new page load, and pushed the query to the address.
    assert page.evaluate("() => window.__kept") == marker
    assert "year=all" in page.url
    assert int(after.replace(".", "")) >= int(before.replace(".", ""))


def test_restated_mode_and_a_unit_below(page):
    sign_in(page, "hatinh.reviewer")
    page.locator("#mode-restated").check()
    page.wait_for_url(re.compile(r"mode=restated"))
    options = page.locator("#unit option")
    second = options.nth(1).get_attribute("value")
    with page.expect_response(lambda r: f"unit={second}" in r.url):
        page.locator("#unit").select_option(second)
    page.locator("[data-chart=map] canvas").first.wait_for()
    assert page.locator(".query-problem").count() == 0


def test_a_unit_outside_the_scope_gets_a_message(page):
    sign_in(page, "canloc.viewer")
    page.goto(page.base_url + "/?unit=1&year=abc")
    problems = page.locator(".query-problem")
    assert problems.count() == 2


def test_keyboard_reaches_the_skip_link_and_the_menu_with_a_visible_focus(page):
    sign_in(page, "hatinh.reviewer")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "skip-link" in focused
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    # On from the top: the brand, then the first links of the menu.
    page.goto(page.base_url + "/")
    names = []
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("() => document.activeElement.getAttribute('href')"))
    assert "/initiatives/" in names
    width = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert width not in ("0px", "")


def test_the_menu_collapses_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "quangyen.reviewer")
    assert not page.locator("#main-nav a[href='/initiatives/']").is_visible()
    page.locator(".navbar-toggler").click()
    page.locator("#main-nav a[href='/initiatives/']").wait_for(state="visible")
    page.locator("[data-chart=map][data-map-ready]").wait_for()
    screenshot(page, "dashboard-phone")


CHART_NAMES = """() => {
  const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="units"]'));
  const axis = chart.getOption().yAxis[0];
  const context = document.createElement("canvas").getContext("2d");
  context.font = "12px sans-serif";  // ECharts' axis labels
  return {
    room: axis.axisLabel.width,
    names: axis.data,
    widest: Math.max(...axis.data.map((name) => context.measureText(name).width)),
  };
}"""


def test_the_unit_chart_shows_whole_names_of_units_that_ended(page):
    # Over a period across 1 July 2025 the country lists a province that ended beside today's
    # one of the same name, told apart by the day it ended: the chart cut that part off.
    sign_in(page, "national.viewer")
    page.goto(page.base_url + "/?mode=as_was&from=2024-03-01&to=2025-11-30")
    page.locator("[data-chart=units] canvas").first.wait_for()
    chart = page.evaluate(CHART_NAMES)
    assert any(name.endswith("(đến 30/06/2025)") for name in chart["names"]), chart["names"]
    assert chart["widest"] <= chart["room"], chart
    # A narrower window gives the bars back their room.
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function(
        "(room) => echarts.getInstanceByDom(document.querySelector('[data-chart=\"units\"]'))"
        ".getOption().yAxis[0].axisLabel.width < room",
        arg=chart["room"],
    )
