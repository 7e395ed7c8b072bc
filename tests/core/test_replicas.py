"""The replica router's choices without a replica server (the real one: tests/scaling).

These tests run outside a test transaction on purpose: inside one, every read is a read of an
open write transaction, which the router keeps on the primary."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from danvan.core import replicas
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation


@pytest.fixture
def one_replica(monkeypatch, settings):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REPLICA_PIN_SECONDS = 5


def test_without_replicas_everything_reads_the_primary():
    router = replicas.ReplicaRouter()
    with replicas.reads_may_lag():
        assert router.db_for_read(Initiative) == "default"


def test_lag_tolerant_reads_go_to_a_replica_but_not_who_someone_is(one_replica):
    from danvan.accounts.models import User

    router = replicas.ReplicaRouter()
    assert router.db_for_read(Initiative) == "default"
    with replicas.reads_may_lag():
        assert router.db_for_read(Initiative) == "replica1"
        assert router.db_for_read(Organisation) == "replica1"
        assert router.db_for_read(User) == "default"
    assert router.db_for_write(Initiative) == "default"
    assert router.allow_migrate("replica1", "initiatives") is False
    assert router.allow_migrate("default", "initiatives") is True


@pytest.mark.django_db
def test_a_read_inside_a_write_transaction_stays_on_the_primary(one_replica):
    from django.db import transaction

    router = replicas.ReplicaRouter()
    with replicas.reads_may_lag(), transaction.atomic():
        assert router.db_for_read(Initiative) == "default"


def _through_middleware(request, seen: list):
    def view(request):
        seen.append(replicas.ReplicaRouter().db_for_read(Initiative))
        return HttpResponse(status=200)

    middleware = replicas.ReplicaReadsMiddleware(lambda r: view(r))

    def respond(req):
        req.resolver_match = resolve(req.path)
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware.get_response = respond
    return middleware(request)


def test_the_middleware_marks_only_the_lag_tolerant_pages(one_replica):
    factory = RequestFactory()
    seen: list = []
    _through_middleware(factory.get("/api/v1/stats/initiatives/"), seen)
    _through_middleware(factory.get("/initiatives/"), seen)
    _through_middleware(factory.get("/initiatives/DVK-2025-000001/"), seen)
    _through_middleware(factory.get("/imports/"), seen)
    assert seen == ["replica1", "replica1", "default", "default"]
    # Nothing leaks out of the request.
    assert replicas.ReplicaRouter().db_for_read(Initiative) == "default"


def test_a_client_that_wrote_reads_the_primary_for_a_while(one_replica):
    factory = RequestFactory()
    seen: list = []
    header = {"HTTP_AUTHORIZATION": "Token abc"}
    _through_middleware(factory.post("/api/v1/initiatives/", **header), seen)
    _through_middleware(factory.get("/api/v1/initiatives/", **header), seen)
    _through_middleware(factory.get("/api/v1/initiatives/", HTTP_AUTHORIZATION="Token other"), seen)
    assert seen == ["default", "default", "replica1"]


def test_a_refused_write_does_not_pin(one_replica):
    factory = RequestFactory()
    middleware = replicas.ReplicaReadsMiddleware(lambda r: HttpResponse(status=400))
    middleware(factory.post("/api/v1/initiatives/", HTTP_AUTHORIZATION="Token abc"))
    seen: list = []
    _through_middleware(factory.get("/api/v1/initiatives/", HTTP_AUTHORIZATION="Token abc"), seen)
    assert seen == ["replica1"]
