"""Every list runs the same number of queries whether it shows 5 rows or 100."""

import pytest

from danvan.orgs.models import OrgKind
from tests.api.conftest import count_queries
from tests.factories import OrganisationFactory
from tests.factories_review import (
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
)


def assert_flat(client, url: str, expected_rows: int | None = None) -> None:
    """Assert ``url`` runs as many queries for 5 rows as for up to 100."""
    sep = "&" if "?" in url else "?"
    client.get(url)  # the first request reads the user's roles once
    small, body = count_queries(client, f"{url}{sep}page_size=5")
    large, body_large = count_queries(client, f"{url}{sep}page_size=100")
    if expected_rows is None:
        expected_rows = min(100, body["count"])
        assert expected_rows > 5
    assert len(body["results"]) == 5
    assert len(body_large["results"]) == expected_rows
    assert small == large, f"{url}: {small} queries for 5 rows, {large} for {expected_rows}"


def test_organisations(world, api):
    OrganisationFactory.create_batch(
        30, kind=OrgKind.FARMERS_ASSOCIATION, seat_area=world.yen_giang
    )
    assert_flat(api(world.tuan), f"/api/v1/organisations/?area={world.quang_yen.pk}", 32)


def test_areas(world, api):
    province = world.quang_ninh
    children = province.children.count()
    assert children > 5
    assert_flat(api(world.quan), f"/api/v1/areas/?parent={province.pk}", children)
    assert_flat(api(world.quan), "/api/v1/areas/?q=yen")


def test_awards_and_criteria_sets(world, api):
    from danvan.review.services import award_propose

    title = AwardTitleFactory()
    for _ in range(12):
        award_propose(actor=world.root, initiative=world.digital, title=title, level="commune")
    assert_flat(api(world.minh), "/api/v1/awards/", 12)
    for _ in range(8):
        criteria_set = CriteriaSetFactory()
        CriterionFactory.create_batch(3, criteria_set=criteria_set)
        GradeThresholdFactory(criteria_set=criteria_set)
    assert_flat(api(world.minh), "/api/v1/criteria-sets/", 8)


@pytest.mark.parametrize("ledger", ["results", "evidence"])
def test_other_ledgers(world, api, ledger, media_root):
    from tests.factories import ResultFactory

    if ledger == "results":
        ResultFactory.create_batch(7, initiative=world.digital)
    else:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from danvan.initiatives.files import image_bytes_for_tests
        from danvan.initiatives.services import evidence_add

        for n in range(7):
            upload = SimpleUploadedFile(f"anh-{n}.png", image_bytes_for_tests())
            evidence_add(actor=world.root, initiative=world.digital, upload=upload)
    assert_flat(api(world.minh), f"/api/v1/initiatives/{world.digital.pk}/{ledger}/", 7)
