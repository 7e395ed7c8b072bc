"""JSON answers for the API's URLs that no view handles."""

from django.http import JsonResponse
from django.utils.translation import gettext as _


def not_found(request, exception=None):
    """Answer an unknown URL: JSON in the API's shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error(request):
    """Answer an unexpected failure without leaking details."""
    if request.path.startswith("/api/"):
        body = {
            "error": {
                "code": "server_error",
                "message": _("Something went wrong on our side; it has been logged."),
                "fields": {},
            }
        }
        return JsonResponse(body, status=500)
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request)
