"""Periodic reports read back from each format, every figure compared with the stats layer."""

import datetime
import io
import re

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from docx import Document as WordDocument
from pypdf import PdfReader

from danvan.core.formats import format_number
from danvan.reports.figures import periodic_figures
from danvan.reports.narrative import COMMAS, level_phrase
from danvan.reports.periodic import periodic_document
from danvan.reports.renderers import renderer_for
from danvan.reports.renderers.pdf import html_of
from danvan.reports.wording import prose_money
from danvan.review.models import AwardStage
from danvan.stats.models import RESTATED
from tests.reports import expected
from tests.reports.helpers import built, compare_rows, data_tables, plain

LANGUAGES = ["vi", "en", "ar"]
SIX_MONTHS = {"year": 2024, "period_kind": "six_months"}
AWARDS = 6  # the awards table's place among the report's tables
SHAPED_ARABIC = re.compile("[\u064b-\u0652]|\u0644[\u0622\u0623\u0625\u0627]")


def level_names(movement):
    from danvan.stats.lineage import unplaced_label

    names = {a.pk: a.name for a in (movement.world.yen_giang, movement.lien_hoa, movement.ha_an)}
    return {**names, None: unplaced_label(movement.town)}


def test_the_figures_are_those_of_the_year_and_the_period(movement):
    """The data set itself, so a report agreeing with a wrong selector would still fail."""
    f = expected.figures(movement.town)
    assert f["units"] == 4  # the draft's youth union registered another, counted once
    assert f["totals"]["initiatives"] == 5  # the 2024 models; not the draft, not 2023's
    assert (f["totals"]["new"], f["totals"]["continued"]) == (4, 1)
    assert (f["totals"]["built"], f["totals"]["replicated"]) == (4, 1)
    assert f["totals"]["exemplary"] == 1
    # Jan–Jun 2024: not August's 350 million, not the draft's, not 2023's.
    assert f["ledger"]["money"] == 255_000_000
    assert (f["ledger"]["land"], f["ledger"]["labour"]) == (1_200, 120)
    assert f["ledger"]["in_kind"] == 200_000_000
    # Six registrations since 2013, five models: 2023's roads continued in 2024 are one model.
    # (The shared world's own registration in the town was made without the services, so it
    # is in none of the figures, the year's nor these.)
    assert f["since"]["initiatives"] == 5
    assert (f["since"]["new"], f["since"]["continued"]) == (5, 0)
    # 2024's awards: the houses nominated by the commune and commended by the district, the
    # digital model recognised at two levels, the copied houses recognised, the railings only
    # proposed; 2023's commended roads are not of the year.
    assert f["awards"] == [
        (AwardStage.PROPOSED, [1, 0, 0, 0], 1),
        (AwardStage.RECOGNISED, [2, 1, 0, 0], 2),  # the digital model once in the total
        (AwardStage.NOMINATED, [1, 0, 0, 0], 1),
        (AwardStage.COMMENDED, [0, 1, 0, 0], 1),
    ]
    assert (f["recognised"], f["commended"]) == (3, 1)
    # As the reports say it: 4 models proposed at commune level (the railings still waiting),
    # 3 recognised there, 1 of them proposed to the district; at district level 2 proposed
    # (the houses nominated up, the digital model proposed there) and 2 recognised; 3 models
    # recognised at some level. Every award went to a collective.
    levels = f["recognition"]["levels"]
    assert [
        (r["level"], r["proposed"], r["recognised"], r["nominated"], r["commended"]) for r in levels
    ] == [("commune", 4, 3, 1, 0), ("district", 2, 2, 0, 1)]
    assert [r["individuals"] for r in levels] == [0, 0]
    assert f["recognition"]["totals"]["recognised"] == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_holds_every_figure(movement, language):
    report = built(
        movement.world.quan, format="docx", language=language, area=movement.town, **SIX_MONTHS
    )
    word = WordDocument(io.BytesIO(report.file.read()))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in data_tables(word)
    ]
    want = expected.text_tables(expected.figures(movement.town), language, level_names(movement))
    assert len(tables) == len(want)
    compare_rows([row[1:] for row in tables[0][1:]], want[0])
    for index, (table, rows) in enumerate(zip(tables[1:], want[1:], strict=True), start=1):
        compare_rows(table[1:], rows, skip_columns=(3,) if index == 5 else ())
    assert [plain(cell) for cell in tables[AWARDS][0]] == expected.awards_header(language)
    assert len(data_tables(word)[AWARDS].rows) > 1  # the awards table is never empty here
    text = "\n".join(plain(p.text) for p in word.paragraphs)
    assert "Thị xã Quảng Yên" in text
    if language == "ar":
        body = word.paragraphs[1]._p
        assert (
            body.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
            is not None
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_stores_numbers_as_numbers(movement, language):
    report = built(
        movement.world.quan, format="xlsx", language=language, area=movement.town, **SIX_MONTHS
    )
    book = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    f = expected.figures(movement.town)
    summary, key, by_field, by_org, by_level, ledger, results, awards, _kinds, since, by_year = (
        book.worksheets
    )
    narrative = " ".join(str(c.value) for c in summary["A"] if c.value)
    assert format_number(f["totals"]["initiatives"], language) in plain(narrative)
    assert [c.value for c in key["B"][1:]] == expected.key_values(f)
    assert [c.value for c in awards[1]] == expected.awards_header(language)
    with translation.override(language):
        assert [list(r)[1:] for r in awards.iter_rows(min_row=2, values_only=True)] == [
            *([r[m] for m in expected.AWARD_MEASURES] for r in f["recognition"]["levels"]),
            [
                None,
                f["recognition"]["totals"]["recognised"],
                None,
                f["recognition"]["totals"]["collectives"],
                f["recognition"]["totals"]["individuals"],
            ],
        ]
    assert awards["B2"].number_format == "#,##0"
    assert bool(awards.sheet_view.rightToLeft) == (language == "ar")
    rows = list(by_field.iter_rows(min_row=2, values_only=True))
    assert [list(r[1:]) for r in rows] == [
        [row[m] for m in expected.COUNTS] for row in [*f["by_field"], f["totals"]]
    ]
    rows = list(ledger.iter_rows(min_row=2, values_only=True))
    assert [list(r[1:]) for r in rows] == [
        [row[m] for m in expected.LEDGER] for row in [*f["ledger_by_field"], f["ledger"]]
    ]
    assert ledger["B2"].number_format == '#,##0 "₫"'
    assert isinstance(ledger["B2"].value, int)
    values = [r[1] for r in results.iter_rows(min_row=2, values_only=True)]
    want = [
        float(row["value"]) / 100 if row["unit"] == "percent" else float(row["value"])
        for _indicator, row in f["results"]
    ]
    assert values == pytest.approx(want)
    assert results["B3"].number_format == "0.0%"
    rows = list(since.iter_rows(min_row=2, values_only=True))
    assert [list(r[1:]) for r in rows] == [
        [row[m] for m in expected.COUNTS] for row in [*f["since_by_field"], f["since"]]
    ]
    assert [r[0] for r in by_year.iter_rows(min_row=2, values_only=True)] == ["2023", "2024"]
    assert by_level.max_row == 1 + len(f["by_level"])
    assert by_org.max_row == 2 + len(f["by_org"])
    assert bool(key.sheet_view.rightToLeft) == (language == "ar")


def _pdf_text(content: bytes) -> str:
    """Return the PDF's text, read by pypdf (a Python library: nothing to install by hand)."""
    reader = PdfReader(io.BytesIO(content))
    return plain("\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages))


def _holds(text: str, phrase: str) -> bool:
    """Whether the PDF's text holds ``phrase``; right-to-left text may come out in visual
    order (reversed), which is as good for finding it."""
    return phrase in text or phrase[::-1] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_holds_every_figure(movement, language):
    report = built(
        movement.world.quan, format="pdf", language=language, area=movement.town, **SIX_MONTHS
    )
    content = report.file.read()
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    want = expected.text_tables(expected.figures(movement.town), language, level_names(movement))
    for table in want:
        for row in table:
            for cell in row[1:]:
                # A figure's digits survive whatever order bidi text comes out in.
                figure = plain(cell).replace("₫", "").replace("%", "").strip()
                assert figure in text, (figure, row)
    assert "Thị xã Quảng Yên" in text
    with translation.override(language):
        labels = expected.awards_header(language)
    for label in labels:
        # Narrow columns wrap a header over lines, so its words are looked for one by one;
        # text extraction splits Arabic vowel marks and lam-alef ligatures, so those words are not.
        for word in plain(label).split():
            if not SHAPED_ARABIC.search(word):
                assert _holds(text, word), (word, label)
    if language == "ar":
        assert _holds(text, "قنوات حقلية جديدة")  # the indicator's Arabic name
        assert _holds(text, "الثقافة والمجتمع")  # a field's label from the catalogue


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_html_direction_and_language(movement, language):
    figures = periodic_figures(
        area=movement.town,
        mode="as_was",
        year=2024,
        start=expected.START,
        cutoff=expected.CUTOFF,
        since=2013,
    )
    html = html_of(periodic_document(figures, language=language, period_kind="six_months"))
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "<svg" in html and "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_narrative_numbers_are_the_stats_figures(movement, language):
    from danvan.reports.narrative import narrative

    figures = periodic_figures(
        area=movement.town,
        mode="as_was",
        year=2024,
        start=expected.START,
        cutoff=expected.CUTOFF,
        since=2013,
    )
    paragraphs = [plain(p) for p in narrative(figures, language)]
    f = expected.figures(movement.town)
    n = lambda value: plain(format_number(value, language))  # noqa: E731
    registrations, contributions, results, cumulative = paragraphs
    for value in (f["units"], *(f["totals"][m] for m in expected.COUNTS)):
        assert n(value) in registrations
    for value in (f["ledger"]["money"], f["ledger"]["in_kind"]):
        assert plain(prose_money(value, language)) in contributions
    for name in ("land", "labour", "households"):
        assert n(f["ledger"][name]) in contributions
    assert n(f["since"]["initiatives"]) in cumulative and "2013" in cumulative
    for row in f["since_by_field"]:
        assert n(row["initiatives"]) in cumulative
    assert n(43.3) in results  # 7.1 + 36.2 km summed
    with translation.override(language):
        commune, district = f["recognition"]["levels"]
        said = [
            ngettext(
                "%(count)s model was recognised %(level)s",
                "%(count)s models were recognised %(level)s",
                commune["recognised"],
            )
            % {"count": n(commune["recognised"]), "level": level_phrase("commune")},
            ngettext(
                "%(count)s model was proposed %(level)s",
                "%(count)s models were proposed %(level)s",
                district["proposed"],
            )
            % {"count": n(district["proposed"]), "level": level_phrase("district")},
            ngettext(
                "%(count)s model was recognised %(level)s",
                "%(count)s models were recognised %(level)s",
                district["recognised"],
            )
            % {"count": n(district["recognised"]), "level": level_phrase("district")},
        ]
    assert registrations.endswith(plain(COMMAS.get(language, ", ").join(said) + "."))
    assert "92" in results and "92.8" not in results.replace(",", ".").replace("92.8", "")


def test_narrative_reads_as_the_published_reports(movement):
    from danvan.reports.narrative import narrative

    figures = periodic_figures(
        area=movement.town,
        mode="as_was",
        year=2024,
        start=expected.START,
        cutoff=expected.CUTOFF,
        since=2013,
    )
    first, _contributions, results, cumulative = narrative(figures, "en")
    assert first.startswith(
        "In 2024, 4 units and agencies in Thị xã Quảng Yên registered 5 “Skilled Mass "
        "Mobilization” models."
    )
    assert first.endswith(
        "3 models were recognised at commune level, 2 models were proposed at district level, "
        "2 models were recognised at district level."
    )
    assert cumulative.startswith("Since 2013, Thị xã Quảng Yên has built and replicated 5 models")
    # An average of percentages, never their sum (96 + 89.5 would be 185.5).
    assert "92.8%" in results and "185" not in results


def test_nationwide_restated_report(movement):
    report = built(
        movement.central, format="docx", language="en", area=None, mode=RESTATED, **SIX_MONTHS
    )
    word = WordDocument(io.BytesIO(report.file.read()))
    f = expected.figures(None, mode=RESTATED)
    key = [row.cells[1].text for row in data_tables(word)[0].rows[1:]]
    assert key == [format_number(v, "en") for v in expected.key_values(f)]
    assert f["recognised"] == 3  # restated on today's units, the nation holds them all
    awards = [[cell.text for cell in row.cells] for row in data_tables(word)[AWARDS].rows[1:]]
    compare_rows(awards, expected.awards_rows(f, "en"))
    assert "the whole country" in "\n".join(p.text for p in word.paragraphs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_year_without_awards_keeps_an_empty_awards_table(movement, language):
    """2022 has no awards: the table is there with its header and no row, the key figures say
    none was recognised, the narrative says nothing of awards, and every format renders it."""
    figures = periodic_figures(
        area=movement.town,
        mode="as_was",
        year=2022,
        start=datetime.date(2022, 1, 1),
        cutoff=datetime.date(2022, 6, 30),
        since=2013,
    )
    assert (figures.awards, figures.recognised, figures.commended) == ([], 0, 0)
    document = periodic_document(figures, language=language, period_kind="six_months")
    awards = document.tables[AWARDS]
    assert [column.label for column in awards.columns] == expected.awards_header(language)
    assert (awards.rows, awards.total) == ([], None)
    with translation.override(language):
        assert document.tables[0].rows[-1] == [gettext("Initiatives recognised"), 0]
    assert "recognised" not in " ".join(document.narrative)
    word = WordDocument(io.BytesIO(renderer_for("docx").render(document)))
    # The header, and one row saying there are no figures, as the PDF says it.
    assert [len(row.cells) for row in data_tables(word)[AWARDS].rows] == [6, 6]
    book = openpyxl.load_workbook(io.BytesIO(renderer_for("xlsx").render(document)))
    sheet = book.worksheets[1 + AWARDS]
    assert [c.value for c in sheet[1]] == expected.awards_header(language)
    assert sheet.max_row == 1
    assert '<td colspan="6">' in html_of(document)
    assert renderer_for("pdf").render(document).startswith(b"%PDF")
