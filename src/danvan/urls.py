"""URL routes: sign-in and password reset, and the Django admin; the product's own pages mount
here as they land.

No route serves MEDIA_ROOT, in any mode: evidence (photos with GPS positions), reports and
uploaded import files are read only through the views that check the person's scope, and the
showcase's public photos through ``web:showcase_photo``, which strips their metadata."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from danvan.accounts.forms import HeldPasswordResetForm


def _superadmins_only(request) -> bool:
    """The Django admin reads past the scope selectors (it writes nothing): only super
    administrators."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superadmins_only
admin.site.site_header = _("danvan administration")
admin.site.site_title = _("danvan")

urlpatterns = [
    # The admin's sign-in page offers "forgotten your password?" when this name exists.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=HeldPasswordResetForm),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    # A reset link never goes to a freshly changed, unconfirmed address (accounts.addresses).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=HeldPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("danvan.api_urls")),
    path("initiatives/", include("danvan.initiatives.urls")),
    path("review/", include("danvan.review.urls")),
    path("areas/", include("danvan.areas.urls")),
    path("organisations/", include("danvan.orgs.urls")),
    path("people/", include("danvan.accounts.urls")),
    path("reports/", include("danvan.reports.urls")),
    path("imports/", include("danvan.imports.urls")),
    path("inbox/", include("danvan.notifications.urls")),
    path("health/", include("danvan.ops.urls")),
    path("", include("danvan.web.urls")),
]
handler400 = "danvan.api.views.bad_request"
handler404 = "danvan.api.views.not_found"
handler500 = "danvan.api.views.server_error"
