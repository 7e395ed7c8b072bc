"""What every form page shares."""

import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe


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


class ReadyChoices(BaseChoiceIterator):
    """Choices already in Django's form, (value, label) pairs, handed to a field as they are.

    Setting a field's choices normalises them, and the field hands them to its widget, which
    normalises them again: two passes over a province's 3,300 units and organisations, a tenth
    of the review queue's time. Django passes its own lazy choice iterators through untouched;
    this is one, over a list.
    """

    def __init__(self, pairs: list[tuple]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


class LongSelect(forms.Select):
    """A select of hundreds or thousands of options (the units and organisations of a
    province's review queue), written out in Python.

    Django's ``Select`` renders every option through a template, about 60 µs apiece: with the
    2,700 organisations of a province that was most of the review queue's time. The markup is
    the same (``tests/core/test_long_select.py`` compares the two).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = [str(item) for item in self.format_value(value)]
        return format_html(
            "<select{}>{}</select>", flatatt(final), self._options(self.choices, chosen)
        )

    def _options(self, choices, chosen: list[str]) -> str:
        # Plain f-strings over escaped parts: format_html per option cost as much again.
        parts = []
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                inner = self._options(label, chosen)
                parts.append(f'<optgroup label="{_escaped(key)}">{inner}</optgroup>')
                continue
            key = "" if key is None else str(key)
            selected = ""
            if key in chosen:
                selected = " selected"
                chosen.clear()  # a single select marks its first match only, as Django's does
            parts.append(f'<option value="{_escaped(key)}"{selected}>{_escaped(label)}</option>')
        return mark_safe("".join(parts))  # every part above is escaped


def _escaped(value) -> str:
    """``conditional_escape(value)`` as a plain string: Django's ``escape`` is ``html.escape``
    wrapped to accept lazy text and to return a safe string, which cost more than the escaping
    over thousands of options."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
