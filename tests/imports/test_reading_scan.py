"""The quick scan for formulas and merged cells that spares a clean sheet the cell-by-cell
parse: it must find every such tag, whatever its prefix and wherever a block ends."""

import io

import pytest

from danvan.imports import scanning


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<row><c r="A1"><v>1</v></c></row>', False),
        (b'<c r="A1" t="inlineStr"><is><t>&lt;f&gt; =SUM(A1)</t></is></c>', False),
        (b"<font/><fill/><format/>", False),
        (b'<c r="F2"><f>SUM(A1:A3)</f><v>6</v></c>', True),
        (b'<c r="F3"><f t="shared" si="0"/></c>', True),
        (b'<x:c r="F2"><x:f>A1*2</x:f></x:c>', True),
        (b'<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>', True),
    ],
)
def test_finds_formula_and_merge_tags_only(xml, found):
    assert scanning.may_have_problems(io.BytesIO(xml)) is found


def test_a_tag_across_two_blocks_is_found(monkeypatch):
    monkeypatch.setattr(scanning, "_SCAN_BYTES", 7)
    xml = b'<row><c r="A1"><v>1</v></c><c r="B1"><f>A1</f></c></row>'
    for start in range(len(xml)):
        padded = b" " * start + xml
        assert scanning.may_have_problems(io.BytesIO(padded))
    assert not scanning.may_have_problems(io.BytesIO(b"<row>" * 50))
