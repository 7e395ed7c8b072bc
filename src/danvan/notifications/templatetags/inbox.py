"""``{% unread_notifications as count %}``: the menu's badge, counted once a request."""

from django import template

from danvan.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return 0
    count = getattr(request, "_danvan_unread", None)
    if count is None:
        count = notification_unread_count(user=user)
        request._danvan_unread = count
    return count
