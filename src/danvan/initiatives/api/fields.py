"""Fields and lookups of the initiatives' API: an initiative is reached only through the
reader's scope."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from danvan.api.fields import IdField
from danvan.core.http import or_404
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_list, initiative_visible


class ScopedInitiativeField(IdField):
    """An initiative the requesting user may read; any other id is "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Initiative.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Initiative.objects.none()
        return initiative_list(actor=request.user)


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
            self._initiative = or_404(
                initiative_visible, actor=self.request.user, pk=self.kwargs["initiative_pk"]
            )
        return self._initiative
