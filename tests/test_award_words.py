"""One word per step of an award, on every page, export and report.

An award goes proposed → recognised at a level → nominated to the next level → commended. The
dashboard, the reports' narrative and tables, the review pages and the import templates must
call each step by the same word, in the words a province publishes: "được đề nghị cấp tỉnh",
"được công nhận cấp huyện", "đề nghị lên cấp trên", "được khen thưởng". A message that names a
step in English is checked to name it with that step's word in Vietnamese (and in Arabic), and
the recognised figures are never called "khen thưởng", the word of the commendation.
"""

import re
import unicodedata

import pytest
from django.utils import translation

from danvan.reports.narrative import level_phrase
from danvan.review.models import AwardStage
from tests.test_translations import entries, forms

# step: (the English words that name it, outside URLs; its Vietnamese words; its Arabic root)
STEPS = {
    "propose": (r"propos", "đề nghị", "قترح|قتراح"),
    # "recognised", "recognition"; the bare verb is everyday English ("a session you do not
    # recognise") and the award's action is a URL (".../recognise/").
    "recognise": (r"recogni[sz](?!e\b)", "công nhận", "عتمد|عتماد"),
    "nominate": (r"nominat", "đề nghị", "رشح|رشيح"),
    "commend": (r"commend", "khen thưởng", "منح"),
}
# The commendation's word may stand beside "recognised" only where the message also speaks of
# an award (the noun "khen thưởng") or of the commendation itself.
AWARD_NOUN = re.compile(r"\b(award|commend|honour)", re.IGNORECASE)


def english(step: str) -> re.Pattern:
    return re.compile(rf"(?<![/\w]){STEPS[step][0]}", re.IGNORECASE)


def plain_arabic(text: str) -> str:
    """Arabic without its short vowels and shadda, so a root is found however it is voweled."""
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def ids(message) -> list[str]:
    return list(message.id) if message.pluralizable else [message.id]


def messages_naming(step: str, language: str):
    pattern = english(step)
    return [m for m in entries(language) if any(pattern.search(text) for text in ids(m))]


@pytest.mark.parametrize("step", sorted(STEPS))
def test_vietnamese_names_each_step_with_its_word(step):
    word = STEPS[step][1]
    wrong = [
        (m.id, text)
        for m in messages_naming(step, "vi")
        for text in forms(m)
        if word not in text.lower()
    ]
    assert wrong == [], f"these should say “{word}”: {wrong}"


@pytest.mark.parametrize("step", sorted(STEPS))
def test_arabic_names_each_step_with_its_word(step):
    root = re.compile(STEPS[step][2])
    wrong = [
        (m.id, text)
        for m in messages_naming(step, "ar")
        for text in forms(m)
        if not root.search(plain_arabic(text))
    ]
    assert wrong == [], wrong


def test_recognised_is_never_called_commended():
    """The dashboard's "recognised" figure once read "được khen thưởng", the report's word for
    a commendation; a message about recognition that speaks of no award may not use it."""
    recognised = english("recognise")
    wrong = [
        (m.id, text)
        for m in entries("vi")
        if any(recognised.search(t) and not AWARD_NOUN.search(t) for t in ids(m))
        for text in forms(m)
        if "khen thưởng" in text.lower()
    ]
    assert wrong == [], wrong


def test_the_stages_have_four_distinct_words():
    with translation.override("vi"):
        labels = {stage: str(stage.label).lower() for stage in AwardStage}
    assert len(set(labels.values())) == 4, labels
    assert "đề nghị" in labels[AwardStage.PROPOSED]
    assert "công nhận" in labels[AwardStage.RECOGNISED]
    assert "đề nghị" in labels[AwardStage.NOMINATED] and "cấp trên" in labels[AwardStage.NOMINATED]
    assert "khen thưởng" in labels[AwardStage.COMMENDED]
    for stage, label in labels.items():
        if stage != AwardStage.COMMENDED:
            assert "khen thưởng" not in label, labels
        if stage != AwardStage.RECOGNISED:
            assert "công nhận" not in label, labels


def test_the_report_and_the_dashboard_say_it_as_a_province_publishes():
    with translation.override("vi"):
        recognised = translation.ngettext(
            "%(count)s model was recognised %(level)s",
            "%(count)s models were recognised %(level)s",
            612,
        ) % {"count": "612", "level": level_phrase("district")}
        proposed = translation.ngettext(
            "%(count)s model was proposed %(level)s",
            "%(count)s models were proposed %(level)s",
            35,
        ) % {"count": "35", "level": level_phrase("province")}
        card = translation.gettext("recognised with an award / exemplary")
        column = translation.gettext("Models recognised")
    assert recognised == "612 mô hình được công nhận cấp huyện"
    assert proposed == "35 mô hình được đề nghị cấp tỉnh"
    assert "được công nhận" in card and "khen thưởng" not in card
    assert "được công nhận" in column
