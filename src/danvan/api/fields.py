"""Fields and lookups the viewsets share: ids that cannot overflow, initiatives seen by scope."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers, serializers

from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_list

# The largest id a database column holds; a larger number is refused, never sent to the database.
MAX_ID = 2**63 - 1


def parse_id(value) -> int:
    """Return ``value`` (from a URL) as an id, or raise ``Http404``."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by id whose value is checked as a number before it reaches the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", id_field())
        super().__init__(**kwargs)


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
