"""The base of every request body the API reads: a key it does not take is refused by name.

Without it a client that sends ``{"status": "registered"}`` or ``{"exemplary": true}`` in a
PATCH gets 200 and believes the change was made. Here such a key is a 400 that names it and,
where the value changes elsewhere, says how; nothing is written.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

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


class InputSerializer(serializers.Serializer):
    """A request body: every key must be a field this request writes."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = sorted(str(key) for key in data if key not in writable)
            if refused:
                raise serializers.ValidationError(
                    {name: [self.refusal(name, writable)] for name in refused}
                )
        return super().to_internal_value(data)

    @staticmethod
    def refusal(name: str, writable: set[str]) -> str:
        hint = HOW_IT_CHANGES.get(name)
        if hint is not None:
            return str(_("This field cannot be set here. %(how)s") % {"how": hint})
        return str(
            _("This field cannot be set here; this request takes: %(fields)s.")
            % {"fields": ", ".join(sorted(writable))}
        )
