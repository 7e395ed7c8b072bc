"""Routes whose views lose the database, for the 503 tests; the site's own routes follow."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


def page_db_down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def api_db_down(request):
    raise InterfaceError("connection already closed")


class DrfDatabaseDown(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise OperationalError("server closed the connection unexpectedly")


def other_failure(request):
    raise ValueError("a bug, not an outage")


def fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("outage/page/", page_db_down),
    path("api/v1/outage/", api_db_down),
    path("api/v1/outage-drf/", DrfDatabaseDown.as_view()),
    path("outage/bug/", other_failure),
    path("outage/fine/", fine),
    path("", include("danvan.urls")),
]
