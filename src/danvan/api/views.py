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


def bad_request(request, exception=None):
    """Answer a request Django refused before any view (a body over the size limit, too many
    fields): the API's shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        from django.core.exceptions import RequestDataTooBig

        if isinstance(exception, RequestDataTooBig):
            status, code = 413, "too_large"
            message = _("The request body is too large.")
        else:
            status, code, message = 400, "bad_request", _("The request could not be read.")
        body = {"error": {"code": code, "message": message, "fields": {}}}
        return JsonResponse(body, status=status)
    from django.views.defaults import bad_request as django_bad_request

    return django_bad_request(request, exception)


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
