"""The downloadable import templates speak the reader's language.

Each template is generated in Vietnamese and in Arabic and read back with openpyxl, beside the
same template in English: no sheet name, header, help text or guide line may be left in
English. Codes, examples and proper names are the same in every language, so the examples of
the columns are left out, and a help sentence counts only when it is written in words.
"""

import io
import re

import openpyxl
import pytest
from django.utils import translation

from danvan.imports.kinds import IMPORTERS
from danvan.imports.kinds.awards import COLUMNS as AWARD_COLUMNS
from danvan.imports.workbooks import workbook

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "ar"]
KINDS = sorted(str(kind) for kind in IMPORTERS)
# Written the same way in every language (a loanword, not a missed translation).
SAME_EVERYWHERE = {"e-mail", "email"}
WORDS = re.compile(r"[A-Za-z]{3,}")
# A sentence of a help text: what is left between full stops, semicolons and colons.
SENTENCE = re.compile(r"[^.;:]+")


def read(kind: str, language: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook(kind, language=language)))


def texts(sheet) -> dict[tuple[int, int], str]:
    return {
        (cell.row, cell.column): cell.value.strip()
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.strip()
    }


def is_words(text: str) -> bool:
    """English prose rather than a code, a number or a name: at least two words."""
    return len(WORDS.findall(text)) >= 2 or (
        len(WORDS.findall(text)) == 1 and text.casefold() not in SAME_EVERYWHERE
    )


def leaks(kind: str, language: str) -> list[str]:
    """Every text of the template in ``language`` that is still the English one."""
    # A template may hold more than its kind's sheet (the initiatives' archive of awards).
    columns = [*IMPORTERS[kind].columns, *(AWARD_COLUMNS if kind == "initiatives" else [])]
    examples = {str(column.example).strip() for column in columns}
    english, local = read(kind, "en"), read(kind, language)
    found = []
    for en_name, name in zip(english.sheetnames, local.sheetnames, strict=True):
        if name == en_name:
            found.append(f"sheet name {name!r}")
    for position, sheet in enumerate(local.worksheets):
        if sheet.sheet_state == "hidden":
            continue  # the drop-downs' labels: catalogue names, checked with the catalogues
        en_cells = texts(english.worksheets[position])
        cells = texts(sheet)
        for where, en_text in en_cells.items():
            text = cells.get(where, "")
            if en_text in examples or not is_words(en_text):
                continue
            if text.casefold() == en_text.casefold():
                found.append(f"{sheet.title}!{where}: {text!r}")
                continue
            for sentence in SENTENCE.findall(en_text):
                sentence = sentence.strip()
                if len(WORDS.findall(sentence)) >= 3 and sentence in text:
                    found.append(f"{sheet.title}!{where}: {sentence!r} in {text!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_template_holds_no_english(kind, language):
    assert leaks(kind, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_headers_are_distinct_in_each_language(kind, language):
    """Two columns under one header could not be told apart when the file comes back."""
    for sheet in read(kind, language).worksheets:
        headers = [cell.value for cell in sheet[1] if cell.value is not None]
        assert len({header.casefold() for header in headers}) == len(headers), headers


def test_the_check_finds_english_when_it_is_there(monkeypatch):
    """A header or help text with no translation is reported (the check is not blind)."""
    from danvan.imports.reading import Column

    column = Column("note", "note of the unit", help="Anything the officer wants to add.")
    monkeypatch.setattr(IMPORTERS["villages"], "columns", [*IMPORTERS["villages"].columns, column])
    found = leaks("villages", "vi")
    assert any("note of the unit" in line.casefold() for line in found), found
    assert any("Anything the officer wants to add" in line for line in found), found


def test_the_drop_downs_point_at_the_translated_list_sheet():
    book = read("organisations", "vi")
    with translation.override("vi"):
        lists = translation.gettext("Lists")
    assert lists != "Lists"
    assert lists in book.sheetnames
    validations = book.worksheets[0].data_validations.dataValidation
    assert validations
    assert all(v.formula1.startswith(f"'{lists}'!") for v in validations), [
        v.formula1 for v in validations
    ]
