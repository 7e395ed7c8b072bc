"""A leader's journey through the dashboard, end to end in a real browser.

The national leader of the demo signs in through the sign-in page and finds the dashboard
open on the year that has figures; narrows it by field, kind of organisation, status and a
period; colours the map by money and sees the Hoàng Sa and Trường Sa archipelagos; drills
down by the map (country → province), the chart (province → commune) and the table
(commune → organisation), and climbs back by the breadcrumb; reads the headline figures at
1366 px and on a phone without a broken number or a sideways scroll; and reads the same page
in Arabic, the map not mirrored. Screenshots go to var/screenshots/ (docs/screenshots/ holds
the current copies).
"""

import re

import shapely
from shapely.geometry import shape

from tests.browser.conftest import screenshot, sign_in

LEADER = "national.viewer"


def _figure(page, name: str) -> int:
    text = page.locator(f"[data-figure={name}]").inner_text()
    digits = re.sub(r"\D", "", text)
    return int(digits or 0)


# htmx marks what it is requesting, swapping and settling; ECharts' own animation loop has
# nothing left to play once a chart has drawn its last frame.
SETTLED = """() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
    && [...document.querySelectorAll('[data-chart]')]
        .map(e => window.echarts && echarts.getInstanceByDom(e))
        .every(c => !c || c.getZr().animation.isFinished())"""


def _settled(page) -> None:
    """Wait until no htmx request, swap or settle is under way and every chart is drawn."""
    page.wait_for_function(SETTLED)


def _swap(page, url_part: str, action) -> None:
    """Do ``action`` and wait until htmx has swapped the figures it asked for."""
    with page.expect_response(lambda r: url_part in r.url and r.status == 200):
        action()
    page.wait_for_function("part => location.search.includes(part)", arg=url_part.split("?")[-1])
    page.locator("#figures").wait_for()
    _settled(page)


def _map_ready(page, figure: str = "initiatives") -> None:
    page.wait_for_selector(f"[data-chart=map][data-map-ready={figure}]", timeout=30_000)


def _map_option(page) -> dict:
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=map]'));
            const option = chart.getOption();
            return {
                regions: option.series[0].data.map(d => [d.name, d.value]),
                marks: option.series[1].data.map(d => d.label),
                max: option.visualMap[0].max,
            };
        }"""
    )


def _click_map_at(page, lon: float, lat: float) -> None:
    """Click the map canvas where ECharts draws ``lon``/``lat``."""
    x, y = page.evaluate(
        """([lon, lat]) => echarts.getInstanceByDom(document.querySelector('[data-chart=map]'))
            .convertToPixel({geoIndex: 0}, [lon, lat])""",
        [lon, lat],
    )
    page.locator("[data-chart=map] canvas").first.click(position={"x": x, "y": y})


def _numbers_fit(page) -> list[str]:
    """Return the headline figures that overflow their box or break over two lines."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.figure-value')].filter(e => {
            const style = getComputedStyle(e);
            const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
            const tall = e.getBoundingClientRect().height > line * 1.5;
            return e.scrollWidth > e.clientWidth + 1 || tall;
        }).map(e => e.textContent.trim())"""
    )


def _phone_width(page) -> None:
    """Narrow the window to a phone's; wait until every chart has followed the resize event
    to its box's new width (measuring before that would judge the old layout)."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_function(
        """() => window.innerWidth === 375 && [...document.querySelectorAll('[data-chart]')]
            .map(e => echarts.getInstanceByDom(e))
            .every(c => !c || c.getWidth() === c.getDom().clientWidth)"""
    )


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def test_a_leader_reads_filters_drills_down_and_climbs_back(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, LEADER)

    # The dashboard opens on the period that has data: the year shown holds initiatives.
    shown_year = page.locator("#year").input_value()
    assert shown_year.isdigit()
    total = _figure(page, "initiatives")
    assert total > 0
    assert page.locator(".query-problem").count() == 0
    _map_ready(page)
    screenshot(page, "leader-dashboard")

    # At 1366 px no headline figure breaks inside a number.
    assert _numbers_fit(page) == []
    assert _no_sideways_scroll(page)

    # Every filter narrows the figures in place (htmx), and says so in the address.
    _swap(page, "field=economy", lambda: page.locator("#filter-field").select_option("economy"))
    economy = _figure(page, "initiatives")
    assert 0 < economy < total
    _swap(
        page,
        "kind=womens_union",
        lambda: page.locator("#filter-kind").select_option("womens_union"),
    )
    women_economy = _figure(page, "initiatives")
    assert women_economy <= economy
    _swap(
        page, "status=completed", lambda: page.locator("#filter-status").select_option("completed")
    )
    assert _figure(page, "initiatives") <= women_economy
    # An emptied filter is no filter (htmx sends it empty).
    for name, value in (("status", "completed"), ("kind", "womens_union"), ("field", "economy")):
        page.locator(f"#filter-{name}").select_option("")
        page.wait_for_function(f"() => !location.search.includes('{name}={value}')")
        _settled(page)
    year = int(shown_year)
    _swap(page, f"from={year}-01-01", lambda: page.locator("#filter-from").fill(f"{year}-01-01"))
    _swap(page, f"to={year}-06-30", lambda: page.locator("#filter-to").fill(f"{year}-06-30"))
    assert page.locator(".filter-period").count() == 1
    assert page.locator(".query-problem").count() == 0
    half_year_money = _figure(page, "money")
    page.goto(page.base_url + "/")
    assert _figure(page, "money") >= half_year_money

    # The map: the provinces as outlines, the archipelagos Vietnam's, coloured by a figure.
    _map_ready(page)
    option = _map_option(page)
    assert len(option["regions"]) == 34
    assert any("Hoàng Sa" in mark for mark in option["marks"])
    assert any("Trường Sa" in mark for mark in option["marks"])
    units = page.evaluate(
        "() => JSON.parse(document.getElementById('dashboard-data').textContent).units"
    )
    page.locator("#map-figure").select_option("money")
    _map_ready(page, "money")
    coloured = _map_option(page)
    assert coloured["max"] == max(unit["money"] for unit in units)
    by_id = {str(unit["id"]): unit["money"] for unit in units}
    assert all(value == by_id.get(name, 0) for name, value in coloured["regions"])
    page.locator("#chart-map-title").scroll_into_view_if_needed()
    screenshot(page, "leader-map-money", full_page=False)

    # Drill down by the map: click Hà Tĩnh's outline.
    geo = page.request.get(page.base_url + "/map/").json()
    [ha_tinh] = [f for f in geo["features"] if f["properties"]["name"] == "Tỉnh Hà Tĩnh"]
    inside = shape(ha_tinh["geometry"]).representative_point()
    with page.expect_navigation():
        _click_map_at(page, inside.x, inside.y)
    assert f"unit={ha_tinh['properties']['id']}" in page.url
    crumbs = page.locator(".dashboard-breadcrumb li")
    assert crumbs.count() == 2
    assert crumbs.nth(1).inner_text() == "Tỉnh Hà Tĩnh"
    _map_ready(page)
    assert len(_map_option(page)["regions"]) > 30  # Hà Tĩnh's communes
    screenshot(page, "leader-province")

    # Drill down by the chart: click the first bar of the units chart (a commune).
    first = page.evaluate(
        "() => JSON.parse(document.getElementById('dashboard-data').textContent).units[0]"
    )
    x, y = page.evaluate(
        """value => echarts.getInstanceByDom(document.querySelector('[data-chart=units]'))
            .convertToPixel({seriesIndex: 0}, [value / 2, 0])""",
        first["initiatives"],
    )
    with page.expect_navigation():
        page.locator("[data-chart=units] canvas").first.click(position={"x": x, "y": y})
    assert f"unit={first['id']}" in page.url
    assert page.locator(".dashboard-breadcrumb li").count() == 3
    assert page.locator(".units-table tbody tr[data-kind=organisation]").count() > 0

    # Drill down by the table: the organisation's own figures.
    link = page.locator(".units-table tbody tr[data-kind=organisation] th a").first
    organisation = link.inner_text()
    with page.expect_navigation():
        link.click()
    assert "org=" in page.url
    crumbs = page.locator(".dashboard-breadcrumb li")
    assert crumbs.count() == 4
    assert crumbs.nth(3).inner_text() == organisation
    assert _figure(page, "initiatives") > 0
    screenshot(page, "leader-organisation")

    # And back up by the breadcrumb: the province, then the whole country.
    with page.expect_navigation():
        crumbs.nth(1).locator("a").click()
    assert f"unit={ha_tinh['properties']['id']}" in page.url
    assert "org=" not in page.url
    with page.expect_navigation():
        page.locator(".dashboard-breadcrumb li").nth(0).locator("a").click()
    assert "unit=" not in page.url
    assert _figure(page, "initiatives") == total

    # On a phone: no sideways scroll, and no number broken.
    _phone_width(page)
    assert _no_sideways_scroll(page)
    assert _numbers_fit(page) == []
    screenshot(page, "leader-phone")

    # In Arabic the page runs right to left, the map does not.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    _map_ready(page)
    frame = page.locator(".map-frame")
    assert frame.get_attribute("dir") == "ltr"
    assert frame.evaluate("e => getComputedStyle(e).direction") == "ltr"
    west, east = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=map]'));
            return [chart.convertToPixel({geoIndex: 0}, [103.0, 16.0])[0],
                    chart.convertToPixel({geoIndex: 0}, [109.0, 16.0])[0]];
        }"""
    )
    assert west < east
    assert any("Hoàng Sa" in mark or "هوانغ" in mark for mark in _map_option(page)["marks"])
    assert _numbers_fit(page) == []
    screenshot(page, "leader-dashboard-ar")
    _phone_width(page)
    assert _no_sideways_scroll(page)


def test_the_outlines_of_a_province_hold_its_communes_points(page):
    """The map's outlines contain the official centre of each commune drawn (approximate
    outlines: the land nearest each centre)."""
    sign_in(page, LEADER)
    geo = page.request.get(page.base_url + "/map/").json()
    [ha_tinh] = [f for f in geo["features"] if f["properties"]["name"] == "Tỉnh Hà Tĩnh"]
    province = page.request.get(page.base_url + f"/map/?unit={ha_tinh['properties']['id']}").json()
    outline = shape(ha_tinh["geometry"]).buffer(0.02)
    communes = shapely.union_all([shape(f["geometry"]) for f in province["features"]])
    assert outline.contains(communes.representative_point())
    assert abs(communes.area - shape(ha_tinh["geometry"]).area) / communes.area < 0.05


def _map_scale(page) -> dict:
    """What the map's legend says: its range and its words, from the drawn chart."""
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=map]'));
            const option = chart.getOption();
            const scale = (option.visualMap || [])[0];
            const words = (option.graphic || []).flatMap(g => g.elements || [])
                .map(e => e.style && e.style.text).filter(Boolean);
            return {
                range: scale ? [scale.min, scale.max] : null,
                text: scale ? scale.text : null,
                words: words,
                regions: option.series[0].data.map(d => [d.name, d.value]),
            };
        }"""
    )


def _in_arabic(page) -> None:
    if page.locator("html").get_attribute("lang") != "ar":
        page.locator("#language-select").select_option("ar")
        page.wait_for_function("() => document.documentElement.lang === 'ar'")


def test_a_commune_map_says_in_words_that_its_units_have_no_figures(page):
    """Can Lộc's viewer reads their commune in Arabic: its figures are by organisation, so no
    unit on its map has any; the map says so instead of a scale from 0 to 0."""
    sign_in(page, "canloc.viewer")
    _in_arabic(page)
    _map_ready(page)
    data = page.evaluate("() => JSON.parse(document.getElementById('dashboard-data').textContent)")
    scale = _map_scale(page)
    assert scale["range"] is None
    assert scale["words"] == [data["text"]["no_map_figures"]]
    assert {unit["kind"] for unit in data["units"]} == {"organisation"}
    page.locator("#chart-map-title").scroll_into_view_if_needed()
    _settled(page)
    screenshot(page, "leader-map-no-figures-ar", full_page=False)


def test_a_district_that_ended_is_drawn_and_coloured_by_the_units_its_figures_are_by(page):
    """Legacy Can Lộc district, read after the 2025 reform, in Arabic: its figures are by the
    current communes that took over its land, and so is its map; the legend is their real
    range, in the digits the rest of the page writes."""
    sign_in(page, LEADER)
    [district] = page.request.get(
        page.base_url + "/api/v1/areas/?q=Can+Loc&scheme=legacy&level=2"
    ).json()["results"]
    page.goto(page.base_url + f"/?unit={district['id']}")
    _in_arabic(page)
    _map_ready(page)
    units = page.evaluate(
        "() => JSON.parse(document.getElementById('dashboard-data').textContent).units"
    )
    scale = _map_scale(page)
    by_id = {str(unit["id"]): unit["initiatives"] for unit in units}
    assert {name for name, _value in scale["regions"]} == set(by_id)
    assert all(value == by_id[name] for name, value in scale["regions"])
    assert scale["range"] == [min(by_id.values()), max(by_id.values())]
    assert scale["range"][1] > 0
    assert scale["text"] == [str(max(by_id.values())), str(min(by_id.values()))]
    assert scale["words"] == []
