"""The base of every request body the API reads: a key it does not take is refused by name.

Without it a client that sends ``{"status": "registered"}`` or ``{"exemplary": true}`` in a
PATCH gets 200 and believes the change was made. Here such a key is a 400 that names it and,
where the value changes elsewhere, says how; nothing is written.
"""

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

# Values that change through a request of their own, or never: what to tell a client that
# sends them in a body that cannot change them.
HOW_IT_CHANGES = {
    "status": _("The status changes only through a workflow step: POST …/transitions/."),
    "exemplary": _("The exemplary mark changes only through POST …/exemplary/ (reviewers)."),
    "replicated_from": _("What an initiative replicates changes through …/replication/."),
    "organisation": _("The registering organisation is fixed when the record is created."),
    "code": _("The code is given by the system and never changes."),
    "year": _("The year is fixed at registration; continue the initiative into another year."),
    "round": _("The round is fixed at registration; continue the initiative into another round."),
    "continued_from": _("The initiative continued is fixed when the continuation is created."),
    "successor": _("The successor is set when the organisation is closed: POST …/close/."),
    "valid_to": _("An organisation ends by being closed: POST …/close/."),
    "id": _("Ids are given by the system."),
    "version": _("The version is counted by the system."),
    "created_at": _("Set by the system."),
    "updated_at": _("Set by the system."),
    "created_by": _("Set by the system."),
    "corrects": _("A correction is made with POST …/correct/."),
    "stage": _("An award's stage changes through …/recognise/, …/nominate/ and …/commend/."),
    "total": _("The total is computed from the scores."),
    "grade": _("The grade is computed from the total."),
    "reviewer": _("The reviewer is the person who sends the evaluation."),
    "is_active": _("Set by the system."),
    "roles": _("Roles are given with POST …/roles/."),
}


EMPTY_FORM_VALUE = _("An empty value is not one: leave the field out instead.")


def _text(value) -> bool:
    return value is None or isinstance(value, str)


# A decimal as the schema writes it: digits with an optional point, no exponent nor spaces
# (DRF's own reading takes "1e5" and " 5 " too).
DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _decimal(value) -> bool:
    """Return whether ``value`` is a decimal as the schema states it (or a JSON number)."""
    if isinstance(value, str):
        return DECIMAL.fullmatch(value) is not None
    return not isinstance(value, bool)


def _texts(field) -> bool:
    """Return whether ``field`` is a list of text values."""
    return isinstance(field, serializers.ListField) and isinstance(
        field.child, serializers.CharField
    )


# DRF is lenient where the schema is not: a text field takes the JSON number 0 as "0", a decimal
# takes "1e5" and " 5", and a form's empty value is read as null for any nullable field (an empty
# ``valid_from`` became "no date"). A client must not believe a malformed value was read as it
# meant, so a JSON value for a text field must be a string, a decimal is written as the schema's
# pattern says, and a form's empty value is refused for a field that is not text. (The class
# docstring is the schema's description of every request body: it speaks to clients.)
class InputSerializer(serializers.Serializer):
    """A request body: every key must be a field this request writes, each value of the type the
    schema states."""

    #: A PATCH with this body is read whole, its required fields required (the view does not
    #: pass ``partial=True``); the schema hook states them required on the PATCH body too.
    whole_on_patch = False

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = sorted(str(key) for key in data if key not in writable)
            if refused:
                raise serializers.ValidationError(
                    {name: [self.refusal(name, writable)] for name in refused}
                )
            malformed = self.malformed(data)
            if malformed:
                raise serializers.ValidationError(malformed)
        return super().to_internal_value(data)

    def malformed(self, data: Mapping) -> dict[str, list[str]]:
        """Return the values whose type is not the one the schema states, by field."""
        form = html.is_html_input(data)
        errors = {}
        for name, field in self.fields.items():
            if field.read_only or name not in data:
                continue
            if form:
                text = isinstance(field, serializers.CharField | serializers.ChoiceField)
                if data.get(name) == "" and field.allow_null and not text:
                    errors[name] = [str(EMPTY_FORM_VALUE)]
                continue
            value = data[name]
            text = isinstance(field, serializers.CharField)
            decimal = isinstance(field, serializers.DecimalField)
            if (text and not _text(value)) or (decimal and not _decimal(value)):
                errors[name] = [str(field.error_messages["invalid"])]
            elif _texts(field) and isinstance(value, list) and not all(map(_text, value)):
                errors[name] = [str(field.child.error_messages["invalid"])]
        return errors

    @staticmethod
    def refusal(name: str, writable: set[str]) -> str:
        hint = HOW_IT_CHANGES.get(name)
        if hint is not None:
            return str(_("This field cannot be set here. %(how)s") % {"how": hint})
        return str(
            _("This field cannot be set here; this request takes: %(fields)s.")
            % {"fields": ", ".join(sorted(writable))}
        )
