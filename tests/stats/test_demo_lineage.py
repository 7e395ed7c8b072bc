"""On the demo: every unit, legacy and current, province and commune, every year 2013–2026,
answers in both modes with the same total where the territory is the same, national totals
equal, no figure lost between a unit and its breakdown rows, and models counted once."""

import random

import pytest
from django.db import transaction
from django.utils import translation

from danvan.areas.models import Area, CodeScheme
from danvan.demo.loader import load_demo
from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.initiatives.models import Initiative
from danvan.stats.lineage import reading, territory_q
from danvan.stats.models import AS_WAS, MODES, RESTATED
from danvan.stats.selectors import cumulative_since, initiative_figures

YEARS = range(2013, 2027)
MEASURES = ("initiatives", "built", "replicated", "exemplary", "money", "land", "labour")


@pytest.fixture(scope="module")
def loaded_once(official_areas, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(background=0.02)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once, db):
    return loaded_once


def unit(scheme, name):
    return Area.objects.get(scheme=scheme, name=name, level=1)


def total(area, mode, year):
    rows = initiative_figures(area=area, mode=mode, year_from=year, year_to=year)
    return {m: rows[0][m] for m in MEASURES} if rows else dict.fromkeys(MEASURES, 0)


def summed(rows):
    return {m: sum(row[m] for row in rows) for m in MEASURES}


def picked_units():
    """The demo's provinces in both lists, Lâm Đồng, and a fixed sample of the communes that
    carry figures (legacy and current), drawn with a fixed seed."""
    provinces = [
        unit(CodeScheme.LEGACY, "Tỉnh Quảng Ninh"),
        unit(CodeScheme.CURRENT, "Tỉnh Quảng Ninh"),
        unit(CodeScheme.LEGACY, "Tỉnh Thái Bình"),
        unit(CodeScheme.CURRENT, "Tỉnh Hưng Yên"),
        unit(CodeScheme.LEGACY, "Tỉnh Hà Tĩnh"),
        unit(CodeScheme.CURRENT, "Tỉnh Hà Tĩnh"),
        unit(CodeScheme.CURRENT, "Tỉnh Lâm Đồng"),
    ]
    communes = []
    for scheme in (CodeScheme.LEGACY, CodeScheme.CURRENT):
        ids = sorted(
            Initiative.objects.filter(area__scheme=scheme, area__level=3)
            .values_list("area_id", flat=True)
            .distinct()
        )
        communes += list(Area.objects.filter(pk__in=random.Random(13).sample(ids, 3)))
    return provinces + communes


@pytest.mark.django_db
def test_every_unit_every_year_both_modes(demo):
    for year in YEARS:
        assert total(None, AS_WAS, year) == total(None, RESTATED, year), year
    for area in picked_units():
        for year in YEARS:
            totals = {mode: total(area, mode, year) for mode in MODES}
            assert totals[AS_WAS] == totals[RESTATED], (area, year)
            for mode in MODES:
                rows = initiative_figures(
                    area=area, mode=mode, year_from=year, year_to=year, group_by=("level",)
                )
                assert summed(rows) == totals[mode], (area, mode, year)
                assert [row["area_id"] for row in rows].count(None) <= 1
                assert reading(area, mode, year, year).mode == mode


@pytest.mark.django_db
def test_a_province_that_carried_on_has_the_same_figures_under_both_lists(demo):
    legacy, current = (
        unit(CodeScheme.LEGACY, "Tỉnh Quảng Ninh"),
        unit(CodeScheme.CURRENT, "Tỉnh Quảng Ninh"),
    )
    for year in YEARS:
        for mode in MODES:
            assert total(legacy, mode, year) == total(current, mode, year), (year, mode)
    # Quảng Ninh 2024 as it was is not empty: the legacy province's figures, by its districts.
    assert total(current, AS_WAS, 2024)["initiatives"] > 0
    rows = initiative_figures(
        area=current, mode=AS_WAS, year_from=2024, year_to=2024, group_by=("level",)
    )
    places = Area.objects.filter(pk__in=[r["area_id"] for r in rows if r["area_id"]])
    assert {place.scheme for place in places} == {CodeScheme.LEGACY}


@pytest.mark.django_db
def test_a_merged_province_restated_places_every_figure_or_says_it_cannot(demo):
    hung_yen = unit(CodeScheme.CURRENT, "Tỉnh Hưng Yên")
    thai_binh = unit(CodeScheme.LEGACY, "Tỉnh Thái Bình")
    for year in range(2013, 2025):
        rows = initiative_figures(
            area=hung_yen, mode=RESTATED, year_from=year, year_to=year, group_by=("level",)
        )
        assert summed(rows) == total(hung_yen, RESTATED, year), year
        # Figures of Thái Bình's districts and of the province itself are carried by the
        # whole new province: they are not lost, they have their own row.
        above_communes = Initiative.objects.filter(
            territory_q(thai_binh), year=year, area__level__lt=3
        ).count()
        unplaced = [row["initiatives"] for row in rows if row["area_id"] is None]
        assert unplaced == ([above_communes] if above_communes else []), year


@pytest.mark.django_db
def test_cumulative_counts_distinct_models(demo):
    for area in picked_units()[:6]:
        for mode in MODES:
            figures = cumulative_since(
                2013, area=area, mode=mode, year_to=2025, status=REGISTERED_STATUSES
            )
            total_ = figures["total"]
            assert total_["built"] + total_["replicated"] == total_["initiatives"]
            assert total_["new"] + total_["continued"] == total_["initiatives"]
            assert sum(row["initiatives"] for row in figures["rows"]) == total_["initiatives"]
            # Each model once: follow every registration back along its continuations.
            registered = Initiative.objects.filter(
                territory_q(area), year__range=(2013, 2025), status__in=REGISTERED_STATUSES
            )
            parent = dict(registered.values_list("pk", "continued_from_id"))
            roots = set()
            for pk in parent:
                while parent.get(pk) in parent:
                    pk = parent[pk]
                roots.add(pk)
            assert total_["initiatives"] == len(roots), (area, mode)


@pytest.mark.django_db
def test_a_breakdown_across_schemes_from_the_rollups_equals_the_base_tables(demo):
    """The provinces of the demo broken down by unit across schemes (read through the nodes
    that cover their rows, ``danvan.stats.cover``) give the base tables' rows."""
    import datetime

    from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
    from danvan.stats.selectors import contribution_figures, level_from_rollups

    for area in picked_units()[:7]:
        for mode in MODES:
            if level_from_rollups(area, mode):
                continue
            for years in ({}, {"year_from": 2024, "year_to": 2024}, {"year_from": 2025}):
                for group_by in (("level",), ("level", "field")):
                    args = {"area": area, "mode": mode, "group_by": group_by, **years}
                    assert initiative_figures(**args) == initiative_figures_direct(**args), args
                args = {
                    "area": area,
                    "mode": mode,
                    "group_by": ("level",),
                    "cutoff": datetime.date(2024, 11, 15),
                    **years,
                }
                assert contribution_figures(**args) == contribution_figures_direct(**args), args


# --- Reports on the demo: the same figures in every document, in both modes --------------


def _report(actor, area, year, mode, format, language="vi"):
    """Ask for the annual report as a person would and build it as the worker does."""
    from danvan.reports.build import run_report
    from danvan.reports.services import report_request

    report = report_request(
        actor=actor,
        kind="periodic",
        format=format,
        language=language,
        area=area,
        mode=mode,
        year=year,
        period_kind="annual",
        enqueue=False,
    )
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == "done", report.message
    with report.file.open("rb") as handle:
        return report, handle.read()


def _digits(text) -> int:
    return int("".join(ch for ch in str(text) if ch.isdigit()))


def _titled_tables(word) -> list:
    """The Word report's tables of figures in order, each with the paragraph above it (its
    title); the official form's header and signature blocks are not tables of figures."""
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    def data_tables_style(table) -> bool:  # as tests.reports.helpers.data_tables
        return table.style is not None and table.style.name == "Table Grid"

    titled, title = [], ""
    for element in word.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = Paragraph(element, word).text.strip()
            title = text or title
        elif element.tag.endswith("}tbl"):
            table = WordTable(element, word)
            if data_tables_style(table):
                titled.append((title, table))
    return titled


def _read(format, content):
    """Return a report's text (its lines and narrative), its registered initiatives and its
    models since 2013, as the file gives them."""
    import io

    from tests.reports.helpers import plain

    if format == "docx":
        from docx import Document as WordDocument

        word = WordDocument(io.BytesIO(content))
        text = "\n".join(plain(p.text) for p in word.paragraphs)
        titled = _titled_tables(word)
        key = titled[0][1]
        # The table of models since 2013 is the one its title names the year of.
        since = next(table for title, table in titled if "2013" in title)
        return text, _digits(key.rows[2].cells[1].text), _digits(since.rows[-1].cells[1].text)
    if format == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        # The report closes with its two tables since 2013: by field, then by year.
        summary, key, since = book.worksheets[0], book.worksheets[1], book.worksheets[-2]
        text = "\n".join(plain(str(c.value)) for c in summary["A"] if c.value)
        return text, key["B3"].value, since.cell(since.max_row, 2).value
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    text = plain("\n".join(page.extract_text() for page in pages))
    return " ".join(text.split()), None, None


def _distinct_models(area, year_to):
    """Models registered 2013..year_to in ``area``'s territory, each followed back along its
    continuations to its first registration: the count the reports' "since 2013" must give."""
    registered = Initiative.objects.filter(
        territory_q(area), year__range=(2013, year_to), status__in=REGISTERED_STATUSES
    )
    parent = dict(registered.values_list("pk", "continued_from_id"))
    roots = set()
    for pk in parent:
        while parent.get(pk) in parent:
            pk = parent[pk]
        roots.add(pk)
    return len(roots)


def _check_reports(actor, area, years):
    """Build ``area``'s annual reports of ``years`` in every format, in both modes and in the
    mode nobody chose; check each says its mode and counts every model once, the same in both
    modes; return what they said, by (year, mode)."""
    from django.utils import translation

    from danvan.core.formats import format_number
    from danvan.stats.lineage import default_mode

    said = {}
    for year in years:
        models = _distinct_models(area, year)
        stats_count = cumulative_since(
            2013, area=area, mode=AS_WAS, year_to=year, status=REGISTERED_STATUSES
        )["total"]["initiatives"]
        assert stats_count == models, (area, year)
        [registered] = initiative_figures(
            area=area, mode=RESTATED, year_from=year, year_to=year, status=REGISTERED_STATUSES
        )
        assert registered["initiatives"] > 0, (area, year)
        for mode in (AS_WAS, RESTATED, None):
            wanted = mode or default_mode(area, year, year)
            with translation.override("vi"):
                mode_line = (
                    translation.gettext("Boundaries: units as they were at the time")
                    if wanted == AS_WAS
                    else translation.gettext("Boundaries: restated on today's units")
                )
                note = reading(area, wanted, year, year).note
                sentence = translation.gettext(
                    "Since %(since)s, %(scope)s has built and replicated %(total)s models, of "
                    "which %(list)s."
                ).split("%(list)s")[0] % {
                    "since": 2013,
                    "scope": area.name,
                    "total": format_number(models, "vi"),
                }
            for format in ("docx", "pdf", "xlsx") if mode else ("docx",):
                report, content = _report(actor, area, year, mode, format)
                assert (report.mode, report.mode_chosen) == (wanted, mode is not None)
                text, initiatives, since = _read(format, content)
                assert mode_line in text, (format, mode, text[:500])
                if note:
                    assert " ".join(note.split()) in " ".join(text.split()), (format, note)
                assert " ".join(sentence.split()) in text, (format, mode, sentence)
                if format != "pdf":
                    assert since == models, (format, mode, year)
                    assert initiatives == registered["initiatives"], (format, mode, year)
                said[(year, mode, format)] = text
    return said


@pytest.mark.django_db
def test_quang_ninh_annual_reports_count_the_same_models_in_both_modes(demo, media_root):
    """The default 2025 report once said "since 2013 … 78 models" and the restated 2024 one
    1,921: every report of today's Quảng Ninh now counts the same territory's distinct models,
    whatever the mode, and 2024 "as it was" is not empty."""
    from danvan.accounts.models import User

    quang_ninh = unit(CodeScheme.CURRENT, "Tỉnh Quảng Ninh")
    assert total(quang_ninh, AS_WAS, 2024)["initiatives"] > 0
    assert _distinct_models(quang_ninh, 2025) >= _distinct_models(quang_ninh, 2024) > 0
    said = _check_reports(User.objects.get(username="quangninh.admin"), quang_ninh, (2024, 2025))
    # 2024 predates today's province: the report nobody chose a mode for says why.
    assert reading(quang_ninh, None, 2024, 2024).mode == RESTATED
    with translation.override("vi"):  # the reports are in Vietnamese
        note = reading(quang_ninh, None, 2024, 2024).note
    assert note in said[(2024, None, "docx")]
    assert reading(quang_ninh, None, 2025, 2025).mode == AS_WAS


@pytest.mark.django_db
def test_a_merged_provinces_year_read_on_its_successor_in_both_modes(demo, media_root):
    """Legacy Thái Bình's 2024, read on today's Hưng Yên (formed from Thái Bình and Hưng Yên):
    not empty, the same totals in both modes, counted on legacy units as it was."""
    from danvan.accounts.models import User

    hung_yen = unit(CodeScheme.CURRENT, "Tỉnh Hưng Yên")
    assert total(hung_yen, AS_WAS, 2024)["initiatives"] > 0
    said = _check_reports(User.objects.get(username="national.viewer"), hung_yen, (2024,))
    units = reading(hung_yen, AS_WAS, 2024, 2024).units
    assert "Tỉnh Thái Bình" in {u.name for u in units}
    assert "Tỉnh Thái Bình" in said[(2024, AS_WAS, "docx")]
