"""The inbox page: a person's own notifications, read and unread, and their e-mail settings.

Another person's notification is not found (404), whoever asks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.notifications.forms import EmailChoicesForm
from danvan.notifications.models import Notification
from danvan.notifications.selectors import (
    email_choices_of,
    notification_inbox,
    notification_of,
    notification_unread_count,
)
from danvan.notifications.services import (
    email_preferences_set,
    notification_mark_read,
    notification_mark_unread,
    notifications_mark_all_read,
)

PAGE_SIZE = 25


def _own(request, pk: int) -> Notification:
    try:
        return notification_of(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def _back(request, default: str = "notifications:inbox"):
    """Return to the inbox page the person came from (its filter and page), never elsewhere."""
    target = request.POST.get("next", "")
    if target.startswith("/inbox/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(default)


@login_required
def inbox(request):
    """The signed-in person's notifications, newest first; ``?unread=1`` shows the unread."""
    unread_only = request.GET.get("unread") == "1"
    queryset = notification_inbox(user=request.user, unread_only=unread_only)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": notification_unread_count(user=request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark(request, pk: int, read: bool):
    notification = _own(request, pk)
    if read:
        notification_mark_read(user=request.user, notification=notification)
    else:
        notification_mark_unread(user=request.user, notification=notification)
    return _back(request)


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark a notification read and go to the initiative it is about (or back to the inbox)."""
    notification = _own(request, pk)
    notification_mark_read(user=request.user, notification=notification)
    if notification.initiative_id:
        return redirect("initiatives:detail", pk=notification.initiative_id)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("Notifications marked read: %(count)s.") % {"count": count})
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    """Which kinds of notification are also e-mailed (every kind always reaches the inbox)."""
    choices = email_choices_of(user=request.user)
    form = EmailChoicesForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        email_preferences_set(user=request.user, enabled=form.cleaned_data["kinds"])
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:settings")
    context = {"form": form, "has_address": bool(request.user.email)}
    return render(request, "notifications/settings.html", context)
