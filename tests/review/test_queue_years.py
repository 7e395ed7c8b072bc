"""The years the evaluation list opens on: those holding a model the reviewer has still to
evaluate, newest first, asked one year at a time in a single statement."""

import pytest

from danvan.initiatives.catalogues import Status
from danvan.review.models import Evaluation
from danvan.review.queue import queue_years
from danvan.review.selectors import queue_evaluations_due
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thien_loc(world):
    """Hội LHPN xã Thiên Lộc (Hà Tĩnh, Hòa's province) registered a model in several years."""

    def model(year, status, title):
        return InitiativeFactory(
            title=title, organisation=world.wu_thien_loc, year=year, status=status
        )

    return {
        2015: model(2015, Status.REGISTERED, "Tổ phụ nữ tiết kiệm"),
        2016: model(2016, Status.IN_PROGRESS, "Đường hoa nông thôn mới"),
        2017: model(2017, Status.DRAFT, "Bản nháp chưa gửi"),
        2018: model(2018, Status.COMPLETED, "Camera an ninh thôn xóm"),
        2019: model(2019, Status.DISCONTINUED, "Mô hình đã dừng"),
    }


def _plain(queryset) -> list[int]:
    """What ``SELECT DISTINCT year`` answers: the definition the faster reading must keep."""
    return sorted(set(queryset.values_list("year", flat=True)), reverse=True)


def test_the_years_holding_work_newest_first(world, thien_loc):
    due = queue_evaluations_due(actor=world.hoa, year=None)
    years = queue_years(due)
    assert years == _plain(due)
    assert {2015, 2016, 2018} <= set(years)
    assert not {2017, 2019} & set(years)  # a draft and a discontinued model are not due


def test_a_year_the_reviewer_has_evaluated_drops_out_but_not_for_another(world, thien_loc):
    Evaluation.objects.create(
        initiative=thien_loc[2018], reviewer=world.hoa, archived=True, grade="Xuất sắc"
    )
    hoa = queue_evaluations_due(actor=world.hoa, year=None)
    assert 2018 not in queue_years(hoa)
    assert queue_years(hoa) == _plain(hoa)
    root = queue_evaluations_due(actor=world.root, year=None)
    assert 2018 in queue_years(root)


def test_an_empty_list_has_no_years(world):
    nothing = queue_evaluations_due(actor=world.lan, year=None)
    assert queue_years(nothing) == []
    assert queue_years(nothing.none()) == []


def test_no_initiative_at_all_has_no_years(db):
    from danvan.initiatives.models import Initiative

    assert queue_years(Initiative.objects.all()) == []


def test_one_statement_after_the_span_of_years(world, thien_loc, django_assert_num_queries):
    due = queue_evaluations_due(actor=world.hoa, year=None)
    with django_assert_num_queries(2):  # the first and last year, then every year at once
        queue_years(due)


def test_on_sqlite_the_reviewers_units_are_read_once_not_once_per_year(world, thien_loc):
    """Asked as one ``EXISTS`` per year, the statement held the scope's subquery of units
    once per year (fifteen at national scale), and SQLite read the units that often.
    (PostgreSQL reads them once for all the ``EXISTS`` and keeps that shape.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the statement's shape for SQLite")
    due = queue_evaluations_due(actor=world.hoa, year=None)
    with CaptureQueriesContext(connection) as queries:
        years = queue_years(due)
    assert len(years) >= 3
    statement = queries.captured_queries[-1]["sql"]
    once = str(due.order_by().values("year").query).count('"areas_area"')
    assert once >= 1
    assert statement.count('"areas_area"') == once
