"""``/health/``: 200 when the database, the task queue, its workers and the disk are fine, 503
naming what is not, and nothing secret in either answer."""

import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from danvan.core.worker import HEARTBEAT_KEY, beat
from tests.ops.tasks import noop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def live_worker():
    """A worker that beat just now, so each test watches one check at a time."""
    beat("test-worker")
    yield
    cache.delete(HEARTBEAT_KEY)


def test_healthy_answers_200_with_each_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "tasks", "worker", "figures", "disk"}
    assert body["checks"]["figures"]["entries_pending"] == 0
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["latency_ms"] >= 0
    assert body["checks"]["tasks"]["backlog"] == 0
    assert body["checks"]["disk"]["data"]["free_mb"] > 0
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]


def test_needs_no_sign_in_and_sets_no_cookie(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert not response.cookies


def _old_ready_task(minutes: int) -> DBTaskResult:
    result = noop.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return row


def test_a_waiting_task_fresher_than_the_limit_is_no_backlog(client, settings):
    settings.HEALTH_TASK_MAX_AGE_MINUTES = 10
    _old_ready_task(minutes=2)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"]["backlog"] == 0


def test_tasks_waiting_too_long_fail_the_tasks_check(client, settings):
    settings.HEALTH_TASK_MAX_AGE_MINUTES = 10
    _old_ready_task(minutes=30)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["tasks"]
    assert body["checks"]["tasks"]["backlog"] == 1


def test_backlog_allowance_is_configurable(client, settings):
    settings.HEALTH_TASK_BACKLOG_MAX = 1
    _old_ready_task(minutes=30)
    assert client.get("/health/").status_code == 200
    _old_ready_task(minutes=30)
    assert client.get("/health/").json()["failing"] == ["tasks"]


def test_finished_tasks_are_no_backlog(client):
    row = _old_ready_task(minutes=60)
    DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    assert client.get("/health/").status_code == 200


def test_a_task_running_for_hours_is_stuck(client, settings):
    """Its worker was killed (kill -9, a reboot): nothing will ever finish it."""
    settings.HEALTH_TASK_MAX_RUNNING_MINUTES = 60
    fresh, old = _old_ready_task(minutes=1), _old_ready_task(minutes=1)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=fresh.pk).update(status="RUNNING", started_at=now)
    assert client.get("/health/").status_code == 200
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="RUNNING", started_at=now - datetime.timedelta(minutes=90)
    )
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["tasks"]
    assert response.json()["checks"]["tasks"]["stuck"] == 1


def test_tasks_waiting_while_no_worker_beats_fail_the_worker_check(client, settings):
    """A worker whose loop died (its process may live on) writes no heartbeat: tasks wait."""
    settings.HEALTH_WORKER_STALE_SECONDS = 60
    settings.HEALTH_TASK_MAX_AGE_MINUTES = 10
    cache.delete(HEARTBEAT_KEY)
    assert client.get("/health/").status_code == 200  # nothing waits: no worker is needed
    row = _old_ready_task(minutes=0)
    assert client.get("/health/").status_code == 200  # just queued: a worker may be busy
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=90)
    )
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    worker = response.json()["checks"]["worker"]
    assert (worker["heartbeat_seconds_ago"], worker["tasks_waiting"]) == (None, True)
    cache.set(HEARTBEAT_KEY, {"at": time.time() - 300, "worker": "w1"})  # stopped 5 min ago
    response = client.get("/health/")
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"]["heartbeat_seconds_ago"] >= 300
    beat("w1")  # back: it takes the job
    assert client.get("/health/").status_code == 200


def test_low_disk_fails_the_disk_check(client, settings):
    settings.HEALTH_DISK_MIN_FREE_MB = 10**12  # an exabyte: no disk has that free
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["disk"]


def test_missing_media_folder_is_measured_on_its_parent(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not" / "yet" / "there"
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["disk"]["media"]["free_mb"] > 0


def test_immediate_task_backend_has_no_queue_to_watch(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"]["backend"] == "ImmediateBackend"


def test_tells_nothing_secret(client, settings):
    text = client.get("/health/").content.decode()
    for secret in (
        settings.SECRET_KEY,
        str(connection.settings_dict["NAME"]),
        str(django_settings.DATA_DIR),
        str(settings.MEDIA_ROOT),
    ):
        assert secret not in text


def test_only_reads(client):
    assert client.post("/health/").status_code == 405
    assert client.head("/health/").status_code == 200


def test_fails_when_saved_entries_wait_too_long_for_the_figures(client, settings):
    """With the upkeep deferred, entries wait for the fold a few milliseconds; two minutes
    means nothing folds them, and the dashboards leave them out."""
    from danvan.stats.models import PendingEntry

    settings.HEALTH_WORKER_STALE_SECONDS = 120
    waiting = PendingEntry.objects.create(contribution_id=1, initiative_id=1)
    assert client.get("/health/").status_code == 200  # just saved: the fold is on its way
    PendingEntry.objects.filter(pk=waiting.pk).update(
        saved_at=timezone.now() - datetime.timedelta(seconds=300)
    )
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["figures"]
    figures = response.json()["checks"]["figures"]
    assert figures["entries_pending"] == 1
    assert figures["oldest_pending_seconds"] >= 300
