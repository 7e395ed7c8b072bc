"""Tables of models in a report: found by their headers, read row by row.

A table is a table of models when one of its first rows names the model's title ("Tên mô hình",
"Mô hình", "Nội dung mô hình"); the other columns are recognised by their usual wordings (STT,
đơn vị đăng ký, lĩnh vực, kết quả, năm, ghi chú). Headers may span two rows (a merged "Kết quả"
over its parts); a header repeated on each page, a "Tổng cộng" row and an empty row are skipped;
a row spanning the whole table ("I. LĨNH VỰC KINH TẾ") gives the field of the rows under it; a
cell merged down the rows ("Hội LHPN xã …" for three models) belongs to each of them.
"""

import re
from dataclasses import dataclass, field

from danvan.core.text import fold
from danvan.imports.word_reports import vocabulary as words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER_ROWS = 3


@dataclass
class Cell:
    text: str
    span: int = 1
    continued: bool = False  # the lower part of a cell merged down the rows


@dataclass
class ModelRow:
    """A model as its table row gives it."""

    title: str
    unit: str = ""
    field: str = ""  # a ``Field`` code, "" when neither the row nor its group says
    field_text: str = ""
    org_kind: str = ""
    area_name: str = ""
    year: int | None = None
    result: str = ""
    note: str = ""
    source: str = ""  # "bảng 1, dòng 4"
    cells: str = ""  # the row as written, the evidence shown beside it
    table: int = 0
    row: int = 0


@dataclass
class ModelTable:
    number: int
    columns: dict[str, int]
    rows: list[ModelRow] = field(default_factory=list)


def cell_text(tc) -> str:
    parts = []
    for paragraph in tc.iter(f"{W}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{W}t"))
        if text.strip():
            parts.append(text.strip())
    return " ".join(" ".join(parts).split())


def grid_rows(tbl) -> list[list[Cell]]:
    """The table's rows, one ``Cell`` per grid column: a cell spanning three columns is there
    three times, and a cell merged down holds the text of the cell where the merge starts."""
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[Cell] = []
        for tc in tr.iterchildren(f"{W}tc"):
            properties = tc.find(f"{W}tcPr")
            span, merge = 1, None
            if properties is not None:
                grid_span = properties.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{W}val", "1") or 1)
                v_merge = properties.find(f"{W}vMerge")
                if v_merge is not None:
                    merge = v_merge.get(f"{W}val", "continue")
            column = len(row)
            if merge == "continue" and column in above:
                cell = Cell(above[column].text, span, continued=True)
            else:
                cell = Cell(cell_text(tc), span)
            for offset in range(span):
                row.append(cell)
                above[column + offset] = cell
        rows.append(row)
    return rows


def _header_columns(texts: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, text in enumerate(texts):
        low = fold(text)
        if not low:
            continue
        for key, pattern in words.HEADER_WORDS.items():
            if key not in columns and pattern.search(low):
                # "Đơn vị đăng ký" names the unit, "Kết quả" the results; a title column
                # also matched by "đơn vị" ("Mô hình, đơn vị") stays the title.
                if key == "unit" and "title" in columns and columns["title"] == position:
                    continue
                columns[key] = position
                break
    return columns


def _is_header(texts: list[str]) -> bool:
    return any(words.HEADER_WORDS["title"].search(fold(text)) for text in texts)


def _distinct(row: list[Cell]) -> list[Cell]:
    seen, out = set(), []
    for cell in row:
        if id(cell) not in seen:
            seen.add(id(cell))
            out.append(cell)
    return out


def _year(text: str) -> int | None:
    match = re.search(r"\b(20[12]\d)\b", text)
    return int(match.group(1)) if match else None


def read_table(tbl, number: int) -> ModelTable | None:
    """The models of ``tbl``, or None when it is not a table of models."""
    rows = grid_rows(tbl)
    header_at = None
    for index, row in enumerate(rows[:HEADER_ROWS]):
        if _is_header([cell.text for cell in row]):
            header_at = index
            break
    if header_at is None:
        return None
    header = [cell.text for cell in rows[header_at]]
    columns = _header_columns(header)
    # A second header row under merged headings ("Kết quả" over "Huy động", "Công trình").
    body_start = header_at + 1
    if body_start < len(rows) and _is_subheader(rows[body_start], rows[header_at]):
        body_start += 1
    header_key = [fold(text) for text in header]
    # The columns under a merged "Kết quả" heading are all results.
    result_at = columns.get("result")
    result_columns = [
        position
        for position, cell in enumerate(rows[header_at])
        if result_at is not None and cell is rows[header_at][result_at]
    ]
    table = ModelTable(number=number, columns=columns)
    group_field = ""
    for index in range(body_start, len(rows)):
        row = rows[index]
        texts = [cell.text for cell in row]
        if not any(texts) or [fold(text) for text in texts] == header_key:
            continue  # empty, or the header repeated on a new page
        title_at = columns.get("title")
        if title_at is not None and fold(_at(texts, title_at)) == header_key[title_at]:
            continue  # the header repeated, with a cell or two written differently
        if all(re.fullmatch(r"\(?\d{1,2}\)?", text or "") for text in texts if text):
            continue  # the row numbering the columns: (1) (2) (3)
        distinct = [cell for cell in _distinct(row) if cell.text]
        if len(distinct) == 1 and len(row) > 1:
            group_field = words.field_of(distinct[0].text) or group_field
            continue  # a group row across the table: "I. LĨNH VỰC KINH TẾ"
        first = fold(" ".join(text for text in texts[:3] if text))
        if words.TOTAL_ROW.match(first):
            continue
        title = _at(texts, columns.get("title"))
        if not title or words.TOTAL_ROW.match(fold(title)):
            continue
        unit = _at(texts, columns.get("unit"))
        field_text = _at(texts, columns.get("field"))
        table.rows.append(
            ModelRow(
                title=title,
                unit=unit,
                field=words.field_of(field_text) if field_text else group_field,
                field_text=field_text,
                org_kind=words.org_kind_of(unit),
                area_name=words.area_name_in(unit),
                year=_year(_at(texts, columns.get("year"))),
                result="; ".join(
                    text for text in dict.fromkeys(_at(texts, p) for p in result_columns) if text
                ),
                note=_at(texts, columns.get("note")),
                source=f"table {number}, row {index + 1}",
                cells=" | ".join(cell.text for cell in _distinct(row)),
                table=number,
                row=index + 1,
            )
        )
    return table


def _at(texts: list[str], position: int | None) -> str:
    if position is None or position >= len(texts):
        return ""
    return texts[position]


def _is_subheader(row: list[Cell], header: list[Cell]) -> bool:
    """A row under the header whose cells continue it (merged down) or split a merged one."""
    if any(cell.continued for cell in row):
        texts = [cell.text for cell in row if not cell.continued]
        return all(not re.fullmatch(r"\d+\.?", text) for text in texts)
    spans = any(cell.span > 1 for cell in _distinct(header))
    first = row[0].text if row else ""
    return (
        spans
        and not re.fullmatch(r"\d+\.?", first or "")
        and not words.TOTAL_ROW.match(fold(first))
    )
