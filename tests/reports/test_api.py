"""``/api/v1/reports/``: ask (202), poll, download; people see only their own reports."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from danvan.initiatives.selectors import initiative_list
from danvan.reports.build import run_report
from danvan.reports.models import Report

URL = "/api/v1/reports/"
PERIODIC = {
    "kind": "periodic",
    "format": "xlsx",
    "language": "en",
    "year": 2024,
    "period_kind": "nine_months",
}


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_ask_poll_and_download(movement, django_capture_on_commit_callbacks):
    quan = client_of(movement.world.quan)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = quan.post(URL, {**PERIODIC, "area": movement.town.pk}, format="json")
    assert answer.status_code == 202, answer.json()
    body = answer.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert body["cutoff"] == "2024-09-30" and len(callbacks) == 1
    early = quan.get(f"{URL}{body['id']}/download/")
    assert early.status_code == 409 and early.json()["error"]["code"] == "conflict"
    run_report(body["id"])
    detail = quan.get(f"{URL}{body['id']}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100
    download = quan.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'attachment; filename="nine_months-2024' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_people_see_only_their_own_reports(movement):
    mine = (
        client_of(movement.world.quan)
        .post(URL, {**PERIODIC, "area": movement.town.pk}, format="json")
        .json()
    )
    tuan = client_of(movement.world.tuan)
    assert tuan.get(URL).json()["count"] == 0
    assert tuan.get(f"{URL}{mine['id']}/").status_code == 404
    assert tuan.get(f"{URL}{mine['id']}/download/").status_code == 404
    assert client_of(movement.world.quan).get(URL).json()["count"] == 1
    assert client_of(movement.world.root).get(URL).json()["count"] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"format": "csv"}, "format"),
        ({"language": "fr"}, "language"),
        ({"year": "twenty"}, "year"),
        ({"period_kind": "custom"}, "cutoff"),
        ({"cutoff": "2024-13-01"}, "cutoff"),
        ({"period_start": "2024-10-01"}, "period_start"),
        ({"area": 10**30}, "area"),
        ({"kind": "initiatives", "format": "csv", "filters": {"field": "sport"}}, "filters.field"),
    ],
)
def test_bad_requests_answer_400_naming_the_field(movement, changes, field):
    answer = client_of(movement.world.quan).post(
        URL, {**PERIODIC, "area": movement.town.pk, **changes}, format="json"
    )
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_a_scope_outside_the_role_answers_403(movement):
    hoa = client_of(movement.world.hoa)
    assert hoa.post(URL, {**PERIODIC, "area": movement.town.pk}, format="json").status_code == 403
    quan = client_of(movement.world.quan)
    assert quan.post(URL, PERIODIC, format="json").status_code == 403  # the whole country
    assert APIClient().post(URL, PERIODIC, format="json").status_code in {401, 403}


def test_a_list_export_through_the_api(movement):
    answer = client_of(movement.world.quan).post(
        URL,
        {
            "kind": "initiatives",
            "format": "csv",
            "language": "vi",
            "filters": {"field": "economy", "year": 2024},
        },
        format="json",
    )
    assert answer.status_code == 202, answer.json()
    run_report(answer.json()["id"])
    download = client_of(movement.world.quan).get(f"{URL}{answer.json()['id']}/download/")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    want = initiative_list(actor=movement.world.quan, field="economy", year=2024)
    assert [row[0] for row in rows[1:]] == [i.code for i in want]
    assert movement.roads_2024.code in {row[0] for row in rows}
