"""Fields and lookups the viewsets share: ids that cannot overflow, initiatives seen by scope."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers, serializers

from danvan.core.ids import MAX_ID
from danvan.core.ids import parse_id as read_id
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_list

NOT_FOUND = _("No such record (it does not exist, or you may not see it).")


def parse_id(value) -> int:
    """Return ``value`` (from a URL) as an id, or raise ``Http404``."""
    number = read_id(value)
    if number is None:
        raise Http404
    return number


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


class ScopedInitiativeField(IdField):
    """An initiative the requesting user may read; any other id is "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Initiative.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Initiative.objects.none()
        return initiative_list(actor=request.user)


def initiative_in_scope(request, pk) -> Initiative:
    """Return the initiative ``pk`` if the user may read it; else 404 (never telling which)."""
    try:
        return initiative_list(actor=request.user).get(pk=parse_id(pk))
    except Initiative.DoesNotExist:
        raise Http404 from None


INITIATIVE_PATH = OpenApiParameter(
    "initiative_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Id of the initiative.",
)


class InitiativeNestedMixin:
    """For viewsets under ``/initiatives/{initiative_pk}/``: the parent, fetched through scope."""

    @property
    def initiative(self) -> Initiative:
        if not hasattr(self, "_initiative"):
            self._initiative = initiative_in_scope(self.request, self.kwargs["initiative_pk"])
        return self._initiative


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
