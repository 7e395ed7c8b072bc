"""Open an uploaded spreadsheet safely and stream its rows as ``{column: raw value}``.

The type is decided by the content, never by the file name: XLSX and ODS (zip packages, checked
against zip bombs first), XLS, and CSV in UTF-8 with or without a BOM. Anything that would make
the import silently wrong is refused before a single row is read — formulas (their value depends
on the spreadsheet, not on the file), merged cells, unknown or missing columns, a text encoding
other than UTF-8 — with a message saying what to fix. Rows are yielded one by one.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from danvan.imports.cells import is_blank, match_key, raw_text
from danvan.imports.scanning import (
    CSV,
    ODS,
    XLSX,
    FileRefused,
    cell_name,
    cells_message,
    check_utf8,
    column_letter,
    csv_formulas,
    csv_lines,
    ods_problems,
    sniff,
    xlsx_problems,
)

# The size, unpacked size and row caps are settings (IMPORT_MAX_BYTES,
# IMPORT_MAX_UNPACKED_BYTES, IMPORT_MAX_ROWS), read when a file is checked.
MAX_COLUMNS = 100
HEADER_SEARCH_ROWS = 10
# Text that was UTF-8, read as Windows-1252/1258 and saved again: "Ä‘" for "đ", "Ã¢" for "â".


@dataclass(frozen=True)
class Column:
    """A column of an import: its key, its header (translated), and whether it must be there."""

    key: str
    label: object  # a lazy translation, read in each language to match headers
    required: bool = False
    help: object = ""
    example: object = ""
    choices: tuple[str, ...] = ()

    def header(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language()):
            return capfirst(str(self.label))


@dataclass
class Row:
    number: int  # as the spreadsheet shows it, from 1
    values: dict[str, object]


@dataclass
class Table:
    """A sheet ready to read: which column holds what, and a generator of its rows."""

    kind: str
    language: str
    header_row: int
    positions: dict[str, int]
    estimated_rows: int
    rows: Iterator[Row] = field(repr=False)

    def letter(self, key: str) -> str:
        return column_letter(self.positions[key]) if key in self.positions else ""


def _header_index(columns: list[Column]) -> dict[str, tuple[str, set[str]]]:
    """Return ``{folded header: (column key, languages it is written in)}``."""
    index: dict[str, tuple[str, set[str]]] = {}
    for column in columns:
        index.setdefault(match_key(column.key), (column.key, set()))
        for language, _name in settings.LANGUAGES:
            key, languages = index.setdefault(
                match_key(column.header(language)), (column.key, set())
            )
            if key == column.key:
                languages.add(language)
    return index


def _read_header(
    values: list, columns: list[Column], row_number: int
) -> tuple[dict[str, int], str, list[str]]:
    index = _header_index(columns)
    positions: dict[str, int] = {}
    votes: dict[str, int] = {}
    errors: list[str] = []
    for position, value in enumerate(values):
        if is_blank(value):
            continue
        text = raw_text(value)
        found = index.get(match_key(text))
        where = cell_name(row_number - 1, position)
        if found is None:
            errors.append(
                _("Column %(cell)s “%(header)s” is not a column of this import.")
                % {"cell": where, "header": text}
            )
            continue
        key, languages = found
        if key in positions:
            errors.append(
                _("Column %(cell)s “%(header)s” appears twice.") % {"cell": where, "header": text}
            )
            continue
        positions[key] = position
        for language in languages:
            votes[language] = votes.get(language, 0) + 1
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(
                _("The required column “%(header)s” is missing.") % {"header": column.header()}
            )
    # Headers equal in several languages (untranslated ones) leave the choice to the
    # uploader's language when it is among the best, else to the order of the settings.
    active = (translation.get_language() or "vi")[:2]
    best = max(votes.values(), default=0)
    leaders = [language for language, _name in settings.LANGUAGES if votes.get(language) == best]
    language = active if active in leaders or not leaders else leaders[0]
    return positions, language, errors


# --- Opening ---------------------------------------------------------------------------------


def sheet_matches(name: str, label) -> bool:
    """Whether a sheet called ``name`` is the one ``label`` (a lazy translation) names, in any
    of the site's languages."""
    wanted = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            wanted.add(match_key(str(label)))
    return match_key(name) in wanted


class _NoSuchSheet(Exception):
    """The workbook has no sheet of the name asked for."""


def _sheet_rows(path: Path, label=None) -> tuple[str, int, Iterator[tuple[int, list]]]:
    """Return the chosen sheet's name, its height and a generator of ``(row number, values)``:
    the first sheet, or the one ``label`` names."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise FileRefused(
            _("The spreadsheet is damaged and cannot be read (%(error)s).") % {"error": error}
        ) from None
    names = workbook.sheet_names
    if not names:
        raise FileRefused(_("The spreadsheet has no sheet."))
    # The data sheet is the first one; a template's instructions come after it. A second data
    # sheet (an archive's awards) is found by its name.
    index = 0
    if label is not None:
        index = next((i for i, name in enumerate(names) if sheet_matches(name, label)), None)
        if index is None:
            raise _NoSuchSheet
    sheet = workbook.get_sheet_by_index(index)
    if sheet.total_height > settings.IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS:
        raise FileRefused(
            _("The sheet has %(rows)s rows; at most %(limit)s can be imported at once.")
            % {"rows": sheet.total_height, "limit": settings.IMPORT_MAX_ROWS}
        )
    if sheet.total_width > MAX_COLUMNS:
        raise FileRefused(
            _("The sheet has %(columns)s columns; an import has at most %(limit)s.")
            % {"columns": sheet.total_width, "limit": MAX_COLUMNS}
        )
    first_row, first_column = sheet.start or (0, 0)

    def rows() -> Iterator[tuple[int, list]]:
        for offset, values in enumerate(sheet.iter_rows()):
            yield first_row + offset + 1, [None] * first_column + list(values)

    return names[index], sheet.height, rows()


def _csv_rows(path: Path) -> tuple[int, Iterator[tuple[int, list]]]:
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    if lines > settings.IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS:
        raise FileRefused(
            _("The sheet has %(rows)s rows; at most %(limit)s can be imported at once.")
            % {"rows": lines, "limit": settings.IMPORT_MAX_ROWS}
        )
    return lines, ((number, values) for number, values in enumerate(csv_lines(path), start=1))


def open_sheet(path: Path | str, columns: list[Column], label) -> "Table | None":
    """The sheet ``label`` names (in any language) as a table, or None when the workbook has
    no such sheet (a CSV file never has)."""
    path = Path(path)
    if sniff(path) == CSV:
        return None
    try:
        return open_table(path, columns, sheet=label)
    except _NoSuchSheet:
        return None


def open_table(path: Path | str, columns: list[Column], *, sheet=None) -> Table:
    """Check the file at ``path`` and return its table; raise ``FileRefused`` with every reason.

    Nothing is read beyond the header here: the rows come from ``Table.rows``, a generator.
    ``sheet``: the (lazy) name of the sheet to read, instead of the first one.
    """
    path = Path(path)
    kind = sniff(path)
    if kind == CSV:
        check_utf8(path)
        problems = csv_formulas(path)
        height, numbered = _csv_rows(path)
    else:
        sheet_name, height, numbered = _sheet_rows(path, sheet)
        problems = []
        if kind == XLSX:
            problems = xlsx_problems(path, sheet_name)
        elif kind == ODS:
            problems = ods_problems(path, sheet_name)
    if problems:
        raise FileRefused(problems)
    header_number, header = 0, None
    for number, values in numbered:
        if any(not is_blank(value) for value in values):
            header_number, header = number, values
            break
        if number > HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise FileRefused(_("The sheet has no header row: the first row must name the columns."))
    positions, language, errors = _read_header(header, columns, header_number)
    if errors:
        raise FileRefused(errors)

    def rows() -> Iterator[Row]:
        width = max(positions.values()) + 1
        known = set(positions.values())
        for number, values in numbered:
            if all(is_blank(value) for value in values):
                continue
            stray = [
                cell_name(number - 1, position)
                for position, value in enumerate(values)
                if position not in known and not is_blank(value)
            ]
            if stray:
                raise FileRefused(
                    cells_message(
                        _("Cells %(cells)s hold data under no header; name their column."),
                        stray,
                        len(stray),
                    )
                )
            padded = list(values[:width]) + [None] * (width - len(values))
            yield Row(number, {key: padded[position] for key, position in positions.items()})

    return Table(
        kind=kind,
        language=language,
        header_row=header_number,
        positions=positions,
        estimated_rows=max(height - header_number, 0),
        rows=rows(),
    )
