"""Template tags of the layout: ``{% nav_items %}`` and ``{% scope_labels %}``."""

from django import forms, template

from danvan.web import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context) -> list:
    """The main pages the signed-in person's roles open, each marked when it is the current."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    items = []
    for item in navigation.nav_items_for(user):
        active = path == "/" if item.url == "/" else path.startswith(item.url)
        items.append({"url": item.url, "label": item.label, "active": active})
    return items


@register.simple_tag(takes_context=True)
def scope_labels(context) -> list[str]:
    """The person's scope in short; the layout shows it twice, so it is read once a request."""
    request = context.get("request")
    if request is None:
        return navigation.scope_labels(None)
    labels = getattr(request, "_danvan_scope_labels", None)
    if labels is None:
        labels = navigation.scope_labels(getattr(request, "user", None))
        request._danvan_scope_labels = labels
    return labels


_CONTROL_CLASSES = {
    "checkbox": "form-check-input",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.filter
def control(field):
    """Render a bound field's widget with Bootstrap's classes, and its errors and help tied to
    it for screen readers (``aria-invalid``, ``aria-describedby``)."""
    if isinstance(field.field.widget, forms.Select):  # any select, ``core.forms.LongSelect`` too
        classes = ["form-select"]
    else:
        classes = [_CONTROL_CLASSES.get(field.widget_type, "form-control")]
    attrs = {}
    described = []
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described.append(f"{field.id_for_label}-error")
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    existing = field.field.widget.attrs.get("class", "")
    attrs["class"] = " ".join(c for c in [existing, *classes] if c)
    return field.as_widget(attrs=attrs)
