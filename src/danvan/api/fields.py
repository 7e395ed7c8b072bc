"""Fields the viewsets share: ids that cannot overflow, references that never name a record
the caller may not see."""

from django.utils.translation import gettext_lazy as _
from rest_framework import renderers, serializers

from danvan.core.ids import MAX_ID

NOT_FOUND = _("No such record (it does not exist, or you may not see it).")


class StrictIntegerField(serializers.IntegerField):
    """A whole number written with ASCII digits only ("²", "٣" or " 7" are not numbers here)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            text = data[1:] if data.startswith("-") else data
            if not text.isascii() or not text.isdigit():
                self.fail("invalid")
        return super().to_internal_value(data)


def id_field(**kwargs) -> serializers.IntegerField:
    return StrictIntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by id whose value is checked as a number before it reaches the database.

    An id that does not exist and one the caller may not see get the same message, which never
    names the record: a scoped queryset cannot leak a name through an error.
    """

    default_error_messages = {
        "does_not_exist": NOT_FOUND,
        "incorrect_type": _("Give the id as a whole number."),
    }

    def __init__(self, *, visible=None, **kwargs):
        """``visible(actor=user)``, when given, returns the records the caller may see: any
        other id is refused as missing (the serializer needs the request in its context)."""
        self.visible = visible
        kwargs.setdefault("pk_field", id_field())
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.visible is None:
            return queryset
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return self.visible(actor=request.user)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets a download answer any ``Accept``; errors on such a request are still JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)
