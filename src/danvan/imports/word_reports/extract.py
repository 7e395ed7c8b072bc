"""A whole report read: its title, year and date, the unit that sent it, its models and figures.

Nothing here touches the database: ``resolve`` matches the names found to the official lists.
"""

import datetime
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError

from danvan.core.text import fold
from danvan.imports.word_reports import vocabulary as words
from danvan.imports.word_reports.numbers import VI, convention
from danvan.imports.word_reports.numbers import folded as fold_same_length
from danvan.imports.word_reports.prose import (
    QUOTED_MODEL,
    Figure,
    ModelNames,
    figures_in,
    read_paragraphs,
    sentences,
)
from danvan.imports.word_reports.tables import ModelRow, W, cell_text, read_table

DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
DATE_DIGITS = re.compile(r"ngay\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
YEAR_IN_TITLE = re.compile(r"nam\s+(20\d\d)(?!\d)|(20\d\d)\s*[-–]\s*(20\d\d)|giai doan.*?(20\d\d)")
OWNER = re.compile(r"\bcua\s+(?P<unit>[^,;.()]{4,120})")
END_OF_BODY = re.compile(r"^(?:noi nhan|noi gui)\b")


@dataclass
class Report:
    title: str = ""
    year: int | None = None
    date: datetime.date | None = None
    issuer: str = ""
    habit: str = VI
    models: list[ModelRow] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables_found: int = 0
    seconds: float = 0.0

    def day(self) -> datetime.date | None:
        """The day the report speaks of: its date, else the end of its year."""
        if self.date is not None:
            return self.date
        return datetime.date(self.year, 12, 31) if self.year else None


def _blocks(document) -> tuple[list[str], list]:
    """The body in order: paragraphs' text, and the tables (as XML elements) between them."""
    texts, tables = [], []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            texts.append("".join(node.text or "" for node in child.iter(f"{W}t")).strip())
        elif child.tag == f"{W}tbl":
            texts.append(None)
            tables.append(child)
    return texts, tables


def _title_and_year(lines: list[str]) -> tuple[str, int | None]:
    for index, line in enumerate(lines):
        if fold(line).startswith("bao cao"):
            following = [part for part in lines[index + 1 : index + 3] if part]
            title = " ".join([line, *following[:1]])
            match = YEAR_IN_TITLE.search(fold(title)) or YEAR_IN_TITLE.search(
                fold(" ".join(following[1:2]))
            )
            year = None
            if match:
                year = int(match.group(1) or match.group(3) or match.group(4))
            return title, year
    return "", None


def _date(lines: list[str]) -> datetime.date | None:
    for line in lines:
        low = fold(line)
        match = DATE_WORDS.search(low) or DATE_DIGITS.search(low)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


def _issuer(lines: list[str]) -> str:
    """The unit that sent the report: the first line naming a kind of organisation, above the
    title (the national motto and the Party's name are not units)."""
    for line in lines:
        low = fold(line)
        if low.startswith("bao cao"):
            break
        if "cong hoa" in low or "dang cong san" in low or "doc lap" in low:
            continue
        if words.org_kind_of(line) or words.area_name_in(line):
            return line.strip()
    return ""


def read_report(path: Path | str) -> Report:
    """Read the .docx at ``path`` (already checked by ``document.sniff_report``)."""
    started = time.perf_counter()
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        from danvan.imports.word_reports.document import FileRefused, _refuse_not_a_report

        if isinstance(error, FileRefused):
            raise
        raise _refuse_not_a_report() from None
    texts, tables = _blocks(document)
    report = Report()
    names = ModelNames()
    paragraphs: list[tuple[str, str]] = []
    head_lines: list[str] = []
    table_index = 0
    ended = False
    for position, text in enumerate(texts):
        if text is None:
            tbl = tables[table_index]
            table_index += 1
            table = read_table(tbl, table_index)
            if table is None:
                # A layout table (the issuer beside the motto): its lines are the head's.
                head_lines.extend(
                    cell_text(tc) for tc in tbl.iter(f"{W}tc") if len(head_lines) < 40
                )
                continue
            report.tables_found += 1
            for row in table.rows:
                row.title = names.add(row.title)
                report.models.append(row)
            continue
        if not text:
            continue
        if END_OF_BODY.match(fold(text)):
            ended = True
        if len(head_lines) < 40:
            head_lines.append(text)
        if not ended:
            paragraphs.append((f"paragraph {position + 1}", text))
    report.title, report.year = _title_and_year(head_lines)
    report.date = _date(head_lines)
    if report.year is None and report.date is not None:
        report.year = report.date.year
    report.issuer = _issuer(head_lines)
    body = [text for _source, text in paragraphs] + [row.result for row in report.models]
    report.habit = convention("\n".join(body))
    # The head (title, date) holds no figures; the body starts after the title.
    title_at = next(
        (i for i, (_s, text) in enumerate(paragraphs) if fold(text).startswith("bao cao")), -1
    )
    prose = paragraphs[title_at + 2 :] if title_at >= 0 else paragraphs
    _prose_models(prose, names, report)
    for row in report.models:
        if row.result:
            for figure in figures_in(row.result, habit=report.habit):
                figure.model, figure.evidence, figure.source = row.title, row.result, row.source
                report.figures.append(figure)
    report.figures.extend(read_paragraphs(prose, names, habit=report.habit))
    report.seconds = time.perf_counter() - started
    return report


def _prose_models(paragraphs: list[tuple[str, str]], names: ModelNames, report: Report) -> None:
    """Models named in quotes in the text and in no table become rows too (a report without
    a table names its models in its sentences), with the field of the heading above them."""
    in_tables = {fold(title) for title in names.titles}
    heading_field = ""
    for source, paragraph in paragraphs:
        if len(paragraph) <= 120 and not paragraph.rstrip().endswith("."):
            heading_field = words.field_of(paragraph) or heading_field
        for sentence in sentences(paragraph):
            low = fold_same_length(sentence)
            for match in QUOTED_MODEL.finditer(low):
                start, end = match.span("name")
                name = " ".join(sentence[start:end].split())
                title = names.best(name)
                if fold(title) in in_tables:
                    continue
                in_tables.add(fold(title))
                owner = OWNER.search(low, match.end())
                unit = ""
                if owner and owner.start() - match.end() < 8:
                    unit = " ".join(sentence[owner.start("unit") : owner.end("unit")].split())
                report.models.append(
                    ModelRow(
                        title=title,
                        unit=unit,
                        field=heading_field,
                        org_kind=words.org_kind_of(unit),
                        area_name=words.area_name_in(unit),
                        source=source,
                        cells=sentence,
                    )
                )
