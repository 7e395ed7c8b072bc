"""Figures in a report's sentences: what was mobilised and achieved, with the model they belong to.

A figure is a number with a unit ("7,1 km", "hơn 180 triệu đồng", "34 vườn tạp"). It is kept with
its sentence as evidence, with the qualifier written before it ("hơn" → more than), and linked to
the model the sentence names: a name in quotes after "mô hình", or the title of a model from the
report's tables written out in the sentence. In a sentence naming several models, a figure
belongs to the last model named before it; a sentence naming none continues its paragraph's model,
or the model a short heading above named. Numbers without a unit (years, zone numbers, "10/10")
are not figures; dimensions ("rộng 3 m", "từ 5 m trở lên") are not either.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from danvan.core.text import fold
from danvan.imports.word_reports import vocabulary as words
from danvan.imports.word_reports.numbers import (
    NUMBER_RE,
    SCALES,
    VI,
    parse_number,
    qualifier_before,
    whole_vnd,
)
from danvan.imports.word_reports.numbers import folded as fold_same_length
from danvan.initiatives.catalogues import ContributionKind, Unit

CONTRIBUTION, RESULT = "contribution", "result"
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9-])|\n+")
QUOTED_MODEL = re.compile(r"mo hinh\s*[\"“”«'‘](?P<name>[^\"“”»'’]{4,300})[\"“”»'’]")
HEADING_MAX = 220


@dataclass
class Figure:
    """A figure found in the text, as the reader understood it."""

    value: Decimal
    unit: str  # a ``Unit`` code
    raw: str  # the words it was read from: "hơn 180 triệu đồng"
    qualifier: str = ""  # "more_than", "nearly", "about", "at_least" or ""
    qualifier_words: str = ""
    noun: str = ""  # what a count counts: "vườn tạp"
    record: str = RESULT  # CONTRIBUTION or RESULT
    contribution_kind: str = ""
    model: str = ""  # the title of the model it belongs to, "" when no model is named
    evidence: str = ""  # the sentence or the cell it came from
    source: str = ""  # where: "đoạn 12", "bảng 1, dòng 3"
    unsure: bool = False  # shown to the person, never suggested
    unsure_reason: str = ""

    def key(self) -> tuple:
        """What two readings of the same figure share (the benchmark compares these)."""
        return (self.value.normalize(), self.unit, self.qualifier, fold(self.model))


@dataclass
class Mention:
    start: int
    title: str


@dataclass
class ModelNames:
    """The models a report names (its tables' titles, then those found in quotes), to link
    sentences to them."""

    titles: list[str] = field(default_factory=list)
    _folded: dict[str, str] = field(default_factory=dict)

    def add(self, title: str) -> str:
        key = fold(title).strip(" .,;:")
        if key and key not in self._folded:
            self._folded[key] = title
            self.titles.append(title)
        return self._folded.get(key, title)

    def best(self, name: str) -> str:
        """The known title ``name`` stands for, or ``name`` itself as a new model."""
        key = fold(name).strip(" .,;:")
        if key in self._folded:
            return self._folded[key]
        for known, title in self._folded.items():
            # "Thắp sáng đường quê" for "Thắp sáng đường quê, xóm Đông"
            if len(key) >= 12 and (key in known or known in key):
                return title
        return self.add(name)

    def mentions(self, sentence: str) -> list[Mention]:
        """The models ``sentence`` names, by where they are named."""
        low = fold_same_length(sentence)
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for match in QUOTED_MODEL.finditer(low):
            start, end = match.span("name")
            found.append(Mention(match.start(), self.best(sentence[start:end].strip())))
            taken.append(match.span())
        squeezed = " ".join(low.split())
        for key, title in self._folded.items():
            if len(key) < 12:
                continue  # too short to find without quotes
            start = low.find(key) if squeezed == low else _find_loose(low, key)
            while start >= 0:
                # A title written without quotes names the model when "mô hình" comes just
                # before it, or when it is long enough not to be an ordinary phrase
                # ("kênh mương nội đồng" is both a model's title and what a canal is).
                named = "mo hinh" in low[max(0, start - 12) : start] or len(key.split()) >= 6
                if named and not any(a <= start < b for a, b in taken):
                    found.append(Mention(start, title))
                start = low.find(key, start + len(key))
        return sorted(found, key=lambda mention: mention.start)


def _find_loose(low: str, key: str) -> int:
    match = re.search(r"\s+".join(re.escape(word) for word in key.split()), low)
    return match.start() if match else -1


def sentences(paragraph: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(paragraph) if part and part.strip()]


def _unit_after(rest: str) -> tuple[str, int, int, str, int] | None:
    """Read the unit after a number: ``(unit, scale, length, noun, money?)``."""
    two = words.MONEY_TWO_SCALES.match(rest)
    if two and SCALES[two.group("big")] > SCALES[two.group("small")]:
        return Unit.VND, SCALES[two.group("big")], two.end(), two.group("rest"), 2
    money = words.MONEY.match(rest)
    if money:
        scale = SCALES.get(money.group("scale") or "", 1)
        return Unit.VND, scale, money.end(), "", 1
    for unit, pattern, factor in words.UNIT_PATTERNS:
        match = pattern.match(rest)
        if match:
            return unit, factor, match.end(), "", 0
    count = words.COUNT_RE.match(rest)
    if count:
        return Unit.COUNT, 1, count.end(), count.group("noun"), 0
    return None


def figures_in(text: str, *, habit: str = VI) -> list[Figure]:
    """Every figure with a unit in ``text`` (one sentence or one cell), in order."""
    low = fold_same_length(text)
    found: list[Figure] = []
    consumed = 0
    for match in NUMBER_RE.finditer(text):
        start, end = match.span(1)
        if start < consumed:
            continue  # the second number of "1 tỷ 200 triệu đồng"
        rest = low[end:]
        unit_read = _unit_after(rest)
        if unit_read is None:
            continue
        unit, factor, length, noun, is_money = unit_read
        before = low[max(0, start - 40) : start]
        dimension = words.DIMENSION_BEFORE.search(before) or words.DIMENSION_AFTER.match(
            rest[length:]
        )
        if dimension and unit in (Unit.KM, Unit.M, Unit.M2):
            continue
        if words.RANGE_AFTER.match(rest) or before.rstrip().endswith(("-", "–", "/")):
            continue  # "5-7 km", "10/10 thôn": not one figure
        written_after = text[end + length : end + length + 20].lower()
        written_before = text[max(0, start - 40) : start].lower()
        if words.RANGE_BEFORE.search(before) or words.RATE_AFTER.match(written_after):
            continue  # the end of a range, or a rate ("120 triệu đồng/hộ")
        if unit == Unit.PERCENT and words.CHANGE_BEFORE.search(before):
            continue  # "tăng 3,2%": a change, not a level
        reading = parse_number(match.group(1), habit)
        if reading is None:
            continue
        qualifier, qualifier_words = qualifier_before(before)
        unsure_reason = "separator" if reading.unsure else ""
        if words.PER_EACH_BEFORE.search(written_before):
            unsure_reason = unsure_reason or "per_each"
        if qualifier_words == "tren" and unit in (Unit.KM, Unit.M, Unit.M2):
            # "trên 3,5 km đường" is "on 3.5 km of road" after a verb of place, else perhaps
            # "more than": only the person can tell.
            if words.PLACE_VERB.search(before[: before.rfind("tren")]):
                qualifier, qualifier_words = "", ""
            else:
                unsure_reason = unsure_reason or "qualifier"
        value = reading.value * factor
        if is_money == 2:  # "1 tỷ 200 triệu": the smaller part, in its own scale
            small = words.MONEY_TWO_SCALES.match(rest).group("small")
            value += Decimal(noun) * SCALES[small]
            noun = ""
        if unit == Unit.VND:
            vnd = whole_vnd(value)
            if vnd is None:
                continue
            value = Decimal(vnd)
        q_start = start - len(qualifier_words) - 1 if qualifier_words else start
        raw = " ".join(text[max(q_start, 0) : end + length].split())
        figure = Figure(
            value=value,
            unit=unit,
            raw=raw,
            qualifier=qualifier,
            qualifier_words=" ".join(text[max(q_start, 0) : start].split()),
            noun=" ".join(text[end : end + length].split()) if noun else "",
            unsure=bool(unsure_reason),
            unsure_reason=unsure_reason,
        )
        # The words around the figure, not the whole sentence, say what it is.
        clause = max(low.rfind(";", 0, start), start - 50, 0)
        window = low[clause : end + length + 20]
        figure.record, figure.contribution_kind = _record_of(figure, window)
        found.append(figure)
        consumed = end + length
    return found


def _record_of(figure: Figure, sentence: str) -> tuple[str, str]:
    """Whether a figure is a contribution of the people or a result, and of which kind."""
    if figure.unit == Unit.VND:
        kind = (
            ContributionKind.IN_KIND if words.IN_KIND.search(sentence) else ContributionKind.MONEY
        )
        return CONTRIBUTION, kind
    if figure.unit == Unit.M2 and words.LAND.search(sentence) and "hien" in sentence:
        return CONTRIBUTION, ContributionKind.LAND
    if figure.unit == Unit.PERSON_DAYS:
        return CONTRIBUTION, ContributionKind.LABOUR
    return RESULT, ""


def _is_heading(paragraph: str) -> bool:
    """A short line that opens a part ("2. Mô hình “…”", "II. KẾT QUẢ"), not a sentence."""
    text = paragraph.strip()
    if len(text) > HEADING_MAX:
        return False
    return not text.endswith((".", ";")) or bool(re.match(r"^(?:[IVX]+|\d+|[a-zđ])[.)]\s", text))


def read_paragraphs(
    paragraphs: list[tuple[str, str]], names: ModelNames, *, habit: str = VI
) -> list[Figure]:
    """Figures of ``paragraphs`` (``(source, text)`` in order), each linked to its model."""
    found: list[Figure] = []
    heading_model = ""
    for source, paragraph in paragraphs:
        heading = _is_heading(paragraph)
        paragraph_model = "" if heading else heading_model
        named_here = ""
        for sentence in sentences(paragraph):
            mentions = names.mentions(sentence)
            for figure in figures_in(sentence, habit=habit):
                at = sentence.find(figure.raw)
                before = [mention for mention in mentions if mention.start <= max(at, 0)]
                if before:
                    figure.model = before[-1].title
                elif mentions and not paragraph_model:
                    # "Hơn 180 triệu đồng cho mô hình “…”": the model named after the figure.
                    figure.model = mentions[0].title
                else:
                    figure.model = paragraph_model
                figure.evidence = sentence
                figure.source = source
                found.append(figure)
            if mentions:
                paragraph_model = named_here = mentions[-1].title
        if heading:
            heading_model = named_here  # a heading naming no model ends the last one's part
    return found
