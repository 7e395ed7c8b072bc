"""What every initiative page shares: finding an initiative through scope, and turning a
service's refusal into errors on the form the person filled in."""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404

from danvan.core.ids import parse_id
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_detail, initiative_list


def parse_pk(value) -> int:
    """Return ``value`` from a URL as an id, or raise ``Http404`` (never an overflow)."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def initiative_or_404(request, pk, *, full: bool = False) -> Initiative:
    """Return initiative ``pk`` if the user may read it; else 404, never telling which."""
    try:
        if full:
            return initiative_detail(actor=request.user, pk=parse_pk(pk))
        return initiative_list(actor=request.user).get(pk=parse_pk(pk))
    except Initiative.DoesNotExist:
        raise Http404 from None


def errors_onto(form: Form, error: ValidationError, *, aliases: dict | None = None) -> None:
    """Put a service's ``ValidationError`` on the form: each message on its field when the form
    has that field (or an alias of it), the others above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        target = aliases.get(name, name)
        if target not in form.fields:
            target = None
        for item in errors:
            for message in item.messages if hasattr(item, "messages") else [str(item)]:
                form.add_error(target, message)
