"""What every form page shares."""

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ``ValidationError`` on the form: each message next to its field.

    ``aliases`` maps a service's field names to the form's (``scores.12`` → ``score_12``; a
    name mapped to None goes above the form); a message about a field the form does not show
    goes above the form too, so no refusal is ever lost from the page.
    """
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        target = aliases.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
