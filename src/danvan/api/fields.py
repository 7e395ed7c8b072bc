"""Fields the viewsets share: ids that cannot overflow, references that never name a record
the caller may not see."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
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


class ExactNumberField(serializers.Field):
    """An exact amount as a JSON number: ``38000000`` for a whole amount, ``350.5`` otherwise.

    Read as a ``Decimal`` from the number's own digits (350.5 stays 350.5, never 350.4999…);
    text, booleans and what is not finite are refused, since the schema says a number. How
    many decimals a value may have is the service's rule (it depends on other fields).
    """

    default_error_messages = {
        "invalid": _("Enter a number."),
        # DRF's own words for the limits, as its number fields say them (and translate them).
        "max_value": serializers.DecimalField.default_error_messages["max_value"],
        "min_value": serializers.DecimalField.default_error_messages["min_value"],
    }

    def __init__(self, *, max_value: int | None = None, min_value: int | None = None, **kwargs):
        self.max_value, self.min_value = max_value, min_value
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        number = Decimal(data) if isinstance(data, int) else Decimal(repr(data))
        if not number.is_finite():
            self.fail("invalid")
        if self.max_value is not None and number > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if self.min_value is not None and number < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        return number

    def to_representation(self, value) -> int | float:
        number = Decimal(value)
        if number == number.to_integral_value():
            return int(number)
        return float(number)


class ExactNumberFieldSchema(OpenApiSerializerFieldExtension):
    """``ExactNumberField`` in the schema: a number, with its limits."""

    target_class = ExactNumberField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        schema = {"type": "number"}
        if self.target.min_value is not None:
            schema["minimum"] = self.target.min_value
        if self.target.max_value is not None:
            schema["maximum"] = self.target.max_value
        return schema


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
