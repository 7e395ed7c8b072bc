"""The public's whole journey, without signing in: find exemplary models by words and by
locality (a province, then one of its communes), open one, read what was done, what residents
gave (no empty "0 ₫"), its results against targets and its awards; the same page in Arabic."""

import re

from tests.browser.conftest import screenshot


def _first_words(title: str, count: int = 2) -> str:
    return " ".join(re.findall(r"\w+", title)[:count])


def test_a_visitor_finds_a_model_by_words_and_locality_and_reads_it(page):
    page.goto(page.base_url + "/showcase/")
    cards = page.locator(".showcase-card")
    assert cards.count() > 0
    # No card shows a zero as its money.
    for footer in page.locator(".showcase-card .card-footer").all_inner_texts():
        assert not re.search(r"(^|\s)0\s*₫", footer), footer
    screenshot(page, "public-showcase")

    # Words, typed without diacritics, find the model.
    title = page.locator(".showcase-card h2 a").first.inner_text()
    words = _first_words(title)
    page.locator("#showcase-q").fill(words.upper())
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/showcase/?q=*")
    found = page.locator(".showcase-card h2 a").all_inner_texts()
    assert title in found

    # Then a province, and one of its communes.
    page.locator("#showcase-q").fill("")
    page.locator("#province").select_option(label="Tỉnh Hà Tĩnh")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/showcase/?*province=*")
    assert page.locator("#commune").is_enabled()
    in_province = page.locator(".showcase-card").count()
    assert in_province > 0
    # The commune of the first card, chosen from the list.
    place = page.locator(".showcase-card .card-text").first.inner_text().split("·")[0]
    commune = place.split(",")[0].strip()
    options = page.locator("#commune option").all_inner_texts()
    if commune in options:
        page.locator("#commune").select_option(label=commune)
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_url("**/showcase/?*commune=*")
        assert 0 < page.locator(".showcase-card").count() <= in_province
    screenshot(page, "public-showcase-locality")

    # The model's public page.
    page.locator(".showcase-card h2 a").first.click()
    page.wait_for_url("**/showcase/DVK-*/")
    assert page.locator("article h2").count() >= 2  # what was done, what residents gave
    figures = page.locator("[data-figure]").all_inner_texts()
    assert figures, "the page says what residents gave, or that nothing is recorded yet"
    for figure in figures:
        assert not re.fullmatch(r"0\s*₫?", figure.strip()), figures
    screenshot(page, "public-showcase-detail")

    # The same page in Arabic: right to left, the same figures.
    page.locator("#language-select").select_option("ar")
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert len(page.locator("[data-figure]").all_inner_texts()) == len(figures)
    screenshot(page, "public-showcase-detail-ar")
