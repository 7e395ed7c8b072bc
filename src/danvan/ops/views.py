"""``/health/``: for the load balancer, the monitoring and the person on call."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from danvan.ops.health import run_checks


@never_cache
@require_safe
def health(request):
    """Answer 200 when the database, the task queue and the disk are fine, else 503 naming the
    failing checks. Open without signing in; it says nothing an attacker could use."""
    healthy, report = run_checks()
    return JsonResponse(report, status=200 if healthy else 503)
