"""The dashboard's recognition card: per level, the models proposed and recognised, those
proposed upward, collectives and individuals apart, and the evaluation grades per level — the
numbers of ``stats.recognition`` for the unit and year shown."""

import datetime
import re

import pytest

from danvan.review.models import RecognitionLevel
from danvan.review.services import (
    award_nominate,
    award_propose,
    award_recognise,
    evaluation_create,
)
from tests.factories_review import (
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
)

pytestmark = pytest.mark.django_db

DECISION = {
    "decision_number": "12/QĐ-UBND",
    "decision_date": datetime.date(2024, 12, 5),
    "issuing_body": "UBND phường Quảng Yên",
}


def _row(html: str, level: str) -> list[str]:
    match = re.search(rf'<tr data-level="{level}">(.*?)</tr>', html, re.S)
    assert match, level
    return re.findall(r'<td class="text-end">([^<]*)</td>', match.group(1))


def test_the_card_shows_recognition_per_level(client, cast):
    title = AwardTitleFactory()
    collective = award_propose(
        actor=cast.minh, initiative=cast.digital, title=title, level=RecognitionLevel.COMMUNE
    )
    award_recognise(actor=cast.minh, award=collective, **DECISION)
    award_nominate(actor=cast.minh, award=collective)
    person = award_propose(
        actor=cast.minh,
        initiative=cast.digital,
        title=title,
        level=RecognitionLevel.COMMUNE,
        recipient_kind="individual",
        recipient_name="Nguyễn Thị Hoa",
        recipient_role="resident",
    )
    award_recognise(actor=cast.minh, award=person, **DECISION)
    criteria = CriteriaSetFactory()
    criterion = CriterionFactory(criteria_set=criteria)
    GradeThresholdFactory(criteria_set=criteria, min_total=50, grade="Hiệu quả")
    evaluation_create(
        actor=cast.minh,
        initiative=cast.digital,
        criteria_set=criteria,
        scores={criterion.pk: 8},
        level=RecognitionLevel.COMMUNE,
    )
    client.force_login(cast.quan)
    response = client.get("/", {"year": "2024", "mode": "restated"})
    html = response.content.decode()
    assert 'id="recognition"' in html
    # proposed, recognised, proposed upward, collectives, individuals
    assert _row(html, "commune") == ["1", "1", "1", "1", "1"]
    assert _row(html, "district") == ["1", "0", "0", "0", "0"]  # the nomination waits
    assert 'data-grade="Hiệu quả"' in html
    assert "Commune level · Hiệu quả: 1" in html


def test_no_card_without_awards_or_evaluations(client, cast):
    client.force_login(cast.quan)
    html = client.get("/", {"year": "2024"}).content.decode()
    assert 'id="recognition"' not in html
