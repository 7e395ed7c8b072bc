"""Write Word reports the way communes write them, from specs whose figures are marked.

A spec's text carries its figures as ``{{kind:value[:option]…}}`` marks, rendered in the report's
own habit ("1.200,5" or "1,200.5") and recorded as the figures the reader should find:

- ``{{money:180000000:trieu:q=hơn}}`` → "hơn 180 triệu đồng" (styles ``trieu``, ``ty``, ``full``,
  ``d``: "180.000.000đ", ``vnd``: "… VNĐ", ``tytrieu``: "1 tỷ 200 triệu đồng");
- ``{{km:7.1}}``, ``{{m:916}}``, ``{{m2:1200}}``, ``{{ha:0.5}}`` (read as m²), ``{{pct:96}}``,
  ``{{days:500}}`` (ngày công), ``{{hh:45}}`` (hộ), ``{{ppl:300}}`` (người),
  ``{{count:34:vườn tạp}}``;
- ``q=`` writes a qualifier before it, ``model=`` names the model it belongs to when that is not
  the paragraph's, ``fmt=other`` writes it in the other habit (a number pasted from elsewhere),
  ``unsure`` says the reader may rightly leave it for the person.

Tables are built cell by cell with python-docx: merged group rows, units merged down the rows,
the header repeated on a new page, two-row headers, "Tổng cộng" rows.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from danvan.core.text import fold

MARK = re.compile(r"\{\{(?P<body>[^}]+)\}\}")
UNITS = {
    "km": ("km", "km"),
    "m": ("m", "m"),
    "m2": ("m2", "m²"),
    "pct": ("percent", "%"),
    "days": ("person_days", "ngày công"),
    "hh": ("households", "hộ"),
    "ppl": ("people", "người"),
}
QUALIFIERS = {
    "hơn": "more_than",
    "trên": "more_than",
    "gần": "nearly",
    "khoảng": "about",
    "xấp xỉ": "about",
    "ít nhất": "at_least",
}


@dataclass(frozen=True)
class Expected:
    value: Decimal
    unit: str
    qualifier: str
    model: str
    unsure: bool = False

    def key(self) -> tuple:
        return (self.value.normalize(), self.unit, self.qualifier, fold(self.model))


@dataclass
class Row:
    title: str
    unit: str
    field: str  # the Field code expected
    field_text: str = ""  # the words in the field column ("" when the table has none)
    result: str = ""  # a "Kết quả" cell, with marks
    year: str = ""


@dataclass
class TableSpec:
    rows: list[Row]
    headers: tuple[str, ...] = ("STT", "Tên mô hình", "Đơn vị đăng ký", "Lĩnh vực", "Kết quả")
    grouped: bool = False  # field group rows ("I. LĨNH VỰC KINH TẾ") instead of a field column
    merge_units: bool = False  # equal units of consecutive rows merged down
    repeat_header_every: int = 0  # the header written again every N rows (a new page)
    total: bool = True
    two_row_header: bool = False  # "Kết quả" over "Huy động" and "Công trình, phần việc"
    numbering_row: bool = False  # a row "(1) (2) (3) …" under the header


@dataclass
class Report:
    name: str
    issuer: str
    place: str
    date: str  # "ngày 15 tháng 12 năm 2023" or "15/12/2023"
    title: str
    blocks: list = field(default_factory=list)  # ("p", text[, model]) | ("h", text) | TableSpec
    habit: str = "vi"
    state_form: bool = False

    def table_rows(self) -> list[Row]:
        return [row for block in self.blocks if isinstance(block, TableSpec) for row in block.rows]


# --- Rendering numbers ----------------------------------------------------------------------------


def _number(value: Decimal, habit: str) -> str:
    decimal_sign, group_sign = (",", ".") if habit == "vi" else (".", ",")
    text = format(value.normalize(), "f")
    whole, _, part = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = group_sign.join(groups)
    return f"{out}{decimal_sign}{part}" if part else out


def _money(vnd: int, style: str, habit: str) -> str:
    if style == "trieu":
        return f"{_number(Decimal(vnd) / 1_000_000, habit)} triệu đồng"
    if style == "ty":
        return f"{_number(Decimal(vnd) / 1_000_000_000, habit)} tỷ đồng"
    if style == "d":
        return f"{_number(Decimal(vnd), habit)}đ"
    if style == "vnd":
        return f"{_number(Decimal(vnd), habit)} VNĐ"
    if style == "tytrieu":  # "1 tỷ 200 triệu đồng"
        billions, rest = divmod(vnd, 1_000_000_000)
        return f"{billions} tỷ {rest // 1_000_000} triệu đồng"
    return f"{_number(Decimal(vnd), habit)} đồng"


def render(text: str, habit: str, model: str) -> tuple[str, list[Expected]]:
    """``text`` with its marks written out, and the figures they are."""
    expected: list[Expected] = []

    def one(match: re.Match) -> str:
        kind, *rest = match.group("body").split(":")
        options = dict(part.split("=", 1) for part in rest if "=" in part)
        plain = [part for part in rest if "=" not in part]
        value = Decimal(plain[0])
        own = habit if options.get("fmt") != "other" else ("en" if habit == "vi" else "vi")
        qualifier = options.get("q", "")
        if kind == "money":
            written = _money(int(value), plain[1] if len(plain) > 1 else "full", own)
            unit = "vnd"
        elif kind == "count":
            written = f"{_number(value, own)} {plain[1]}"
            unit = "count"
        elif kind == "ha":
            written = f"{_number(value, own)} ha"
            unit = "m2"
        else:
            unit, word = UNITS[kind]
            space = "" if kind == "pct" else " "
            written = f"{_number(value, own)}{space}{word}"
        expected.append(
            Expected(
                value * 10000 if kind == "ha" else value,
                unit,
                QUALIFIERS.get(qualifier, ""),
                options.get("model", model),
                unsure="unsure" in plain,
            )
        )
        return f"{qualifier} {written}" if qualifier else written

    return MARK.sub(one, text), expected


# --- Writing the document -------------------------------------------------------------------------


def _merge_right(row_cells, text: str) -> None:
    merged = row_cells[0].merge(row_cells[-1])
    merged.text = text


def _vmerge(cell, value: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    element = OxmlElement("w:vMerge")
    if value == "restart":
        element.set(qn("w:val"), "restart")
    properties.append(element)


def _mark_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    properties.append(element)


FIELD_GROUPS = {
    "economy": "I. LĨNH VỰC KINH TẾ",
    "culture_society": "II. LĨNH VỰC VĂN HÓA - XÃ HỘI",
    "defence_security": "III. LĨNH VỰC QUỐC PHÒNG - AN NINH",
    "party_building": "IV. LĨNH VỰC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ",
}


def _write_table(document, spec: TableSpec, habit: str, expected: list[Expected]) -> None:
    headers = list(spec.headers)
    table = document.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    keys = [fold(header) for header in headers]

    def position(word: str) -> int | None:
        return next((i for i, key in enumerate(keys) if word in key), None)

    title_at, unit_at = position("mo hinh"), position("don vi")
    field_at, result_at = position("linh vuc"), position("ket qua")
    year_at = position("nam")
    header = table.add_row()
    _mark_header(header)
    for index, text in enumerate(headers):
        header.cells[index].text = text
    if spec.two_row_header and result_at is not None:
        # "Kết quả" spans its column and one more; the row below names the parts.
        table.add_column(docx.shared.Cm(3))
        header = table.rows[0]
        header.cells[result_at].merge(header.cells[result_at + 1])
        sub = table.add_row()
        for index in range(len(headers) + 1):
            if index in (result_at, result_at + 1):
                sub.cells[index].text = "Huy động" if index == result_at else "Công trình"
            else:
                _vmerge(header.cells[index], "restart")
                _vmerge(sub.cells[index], "continue")
    if spec.numbering_row:
        numbers = table.add_row()
        for index in range(len(table.columns)):
            numbers.cells[index].text = f"({index + 1})"
    current_group = None
    previous_unit = None
    unit_cell = None
    for number, row in enumerate(spec.rows, start=1):
        if spec.repeat_header_every and number > 1 and (number - 1) % spec.repeat_header_every == 0:
            again = table.add_row()
            for index, text in enumerate(headers):
                again.cells[index].text = text
            previous_unit = None
        if spec.grouped and row.field != current_group:
            group = table.add_row()
            _merge_right(group.cells, FIELD_GROUPS[row.field])
            current_group = row.field
            previous_unit = None
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[title_at].text = row.title
        if unit_at is not None:
            if spec.merge_units and row.unit == previous_unit and unit_cell is not None:
                _vmerge(cells[unit_at], "continue")
            else:
                cells[unit_at].text = row.unit
                if spec.merge_units:
                    _vmerge(cells[unit_at], "restart")
                    unit_cell = cells[unit_at]
            previous_unit = row.unit
        if field_at is not None:
            cells[field_at].text = row.field_text
        if year_at is not None:
            cells[year_at].text = row.year
        if result_at is not None and row.result:
            text, found = render(row.result, habit, row.title)
            if spec.two_row_header:
                parts = text.split("; ", 1)
                cells[result_at].text = parts[0]
                cells[result_at + 1].text = parts[1] if len(parts) > 1 else ""
            else:
                cells[result_at].text = text
            expected.extend(found)
    if spec.total:
        total = table.add_row().cells
        total[title_at if title_at else 1].text = "Tổng cộng"
        total[0].text = ""
        if unit_at is not None:
            total[unit_at].text = f"{len(spec.rows)} mô hình"


def build(report: Report, path: Path) -> list[Expected]:
    """Write ``report`` as a .docx at ``path``; return the figures it holds."""
    document = docx.Document()
    expected: list[Expected] = []
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = report.issuer.upper()
    if report.state_form:
        head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        head.cell(1, 1).text = "Độc lập - Tự do - Hạnh phúc"
    else:
        head.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    head.cell(1, 0).text = "Số: 45/BC-DV"
    when = f"ngày {report.date}" if "/" in report.date else report.date
    document.add_paragraph(f"{report.place}, {when}")
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph(report.title)
    for block in report.blocks:
        if isinstance(block, TableSpec):
            _write_table(document, block, report.habit, expected)
            continue
        kind, text, *model = block
        written, found = render(text, report.habit, model[0] if model else "")
        if kind == "h":
            document.add_paragraph(written, style="Heading 2")
        else:
            document.add_paragraph(written)
        expected.extend(found)
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Ban Dân vận Tỉnh ủy (b/c);")
    document.add_paragraph("- Lưu VT.")
    document.save(str(path))
    return expected
