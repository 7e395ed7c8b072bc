"""Measure the Word-report reader on the corpus: precision and recall of figures and table rows,
and the time to read a 40-page report of 500 models. ``make bench-reports`` runs it.

A figure's amount counts as found when its value, unit and qualifier are right; "with its model"
also asks for the right model (none when the text names none). Figures the reader marks unsure
are left for the person and count as not found, never as wrong. Table rows count when their
title, field and unit are right. The held-out reports were written after the rules were settled.
"""

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()


def measure(directory: Path, reports=None) -> dict:
    from danvan.core.text import fold
    from danvan.imports.word_reports.extract import read_report
    from tests.imports.word_reports.builder import build
    from tests.imports.word_reports.corpus import corpus, expected_models

    reports = corpus() if reports is None else reports
    totals = Counter()
    misses: list[str] = []
    for report in reports:
        path = directory / f"{report.name}.docx"
        expected = build(report, path)
        read = read_report(path)
        want = Counter(figure.key() for figure in expected)
        got = Counter(figure.key() for figure in read.figures if not figure.unsure)
        hit = sum((want & got).values())
        totals["figures_expected"] += sum(want.values())
        totals["figures_read"] += sum(got.values())
        totals["figures_right"] += hit
        # The amount alone (value, unit, qualifier), whatever model it is linked to.
        amounts_want = Counter(key[:3] for key in want.elements())
        amounts_got = Counter(key[:3] for key in got.elements())
        totals["amounts_right"] += sum((amounts_want & amounts_got).values())
        totals["figures_unsure"] += sum(1 for figure in read.figures if figure.unsure)
        for key in got - want:
            misses.append(f"{report.name}: read {key} not in the report")
        for key in want - got:
            misses.append(f"{report.name}: missed {key}")
        rows_want = Counter((fold(t), f, fold(u)) for t, f, u in expected_models(report))
        rows_got = Counter(
            (fold(row.title), str(row.field), fold(row.unit))
            for row in read.models
            if row.source.startswith("table")
        )
        totals["rows_expected"] += sum(rows_want.values())
        totals["rows_read"] += sum(rows_got.values())
        totals["rows_right"] += sum((rows_want & rows_got).values())
        for key in rows_got - rows_want:
            misses.append(f"{report.name}: row {key} not in the report")
        for key in rows_want - rows_got:
            misses.append(f"{report.name}: missed row {key}")
    totals["reports"] = len(reports)
    return {"totals": totals, "misses": misses}


def big_report(path: Path, models: int = 500) -> float:
    """Write a 40-page report of ``models`` models and return the seconds reading it takes."""
    from danvan.imports.word_reports.extract import read_report
    from tests.imports.word_reports.builder import Report, Row, TableSpec, build
    from tests.imports.word_reports.corpus import MODELS

    rows, paragraphs = [], []
    for index in range(models):
        model = MODELS[index % len(MODELS)]
        title = f"{model.title} (số {index + 1})"
        rows.append(Row(title, model.unit, model.field, model.field_text, model.result))
        if index % 3 == 0:
            paragraphs.append(("p", f"Mô hình “{title}”: " + " ".join(model.sentences), title))
    report = Report(
        name="big",
        issuer="Ban Dân vận Tỉnh ủy Hà Tĩnh",
        place="Hà Tĩnh",
        date="ngày 20 tháng 12 năm 2023",
        title="Tổng kết 10 năm phong trào thi đua “Dân vận khéo” giai đoạn 2013 - 2023",
        blocks=[TableSpec(rows=rows, repeat_header_every=25), *paragraphs],
    )
    build(report, path)
    started = time.perf_counter()
    read = read_report(path)
    seconds = time.perf_counter() - started
    assert len([row for row in read.models if row.source.startswith("table")]) == models
    return seconds


def _print(title: str, result: dict, verbose: bool) -> None:
    totals = result["totals"]
    precision = totals["figures_right"] / max(totals["figures_read"], 1)
    recall = totals["figures_right"] / max(totals["figures_expected"], 1)
    row_precision = totals["rows_right"] / max(totals["rows_read"], 1)
    row_recall = totals["rows_right"] / max(totals["rows_expected"], 1)
    if verbose:
        for miss in result["misses"]:
            print(miss)
    print(f"{title}: {totals['reports']} reports")
    print(
        f"figures with units: {totals['figures_expected']} in the reports, "
        f"{totals['figures_read']} suggested, {totals['figures_right']} right, "
        f"{totals['figures_unsure']} left for the person as unsure"
    )
    amounts_p = totals["amounts_right"] / max(totals["figures_read"], 1)
    amounts_r = totals["amounts_right"] / max(totals["figures_expected"], 1)
    print(f"figures (amount, unit, qualifier): precision {amounts_p:.3f}, recall {amounts_r:.3f}")
    print(f"figures with their model: precision {precision:.3f}, recall {recall:.3f}")
    print(
        f"table rows: {totals['rows_expected']} in the reports, {totals['rows_read']} read, "
        f"precision {row_precision:.3f}, recall {row_recall:.3f}"
    )


def main() -> int:
    _setup()
    from tests.imports.word_reports.corpus import held_out

    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as directory:
        _print("corpus", measure(Path(directory)), verbose)
        _print("held out", measure(Path(directory), held_out()), verbose)
        seconds = big_report(Path(directory) / "big.docx")
    print(f"40-page report, 500 models: read in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
