"""``/initiatives/``: the scoped list with its filters, one initiative, registering and changing."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.api.parsers import JSONParser
from danvan.core.http import id_or_404, or_404
from danvan.initiatives.api.serializers import (
    InitiativeCreateSerializer,
    InitiativeDetailSerializer,
    InitiativeFilterSerializer,
    InitiativeSerializer,
    InitiativeUpdateSerializer,
    RestoreSerializer,
)
from danvan.initiatives.lifecycle import initiative_restore
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import (
    initiative_detail,
    initiative_facts,
    initiative_list,
    initiative_visible,
)
from danvan.initiatives.services import initiative_create, initiative_delete, initiative_update

# The list's query parameters, stated from the serializer that checks them.
LIST_PARAMETERS = [InitiativeFilterSerializer]


def detail_of(request, initiative: Initiative) -> dict:
    """Return the full representation of ``initiative`` as the user now sees it."""
    fresh = initiative_detail(actor=request.user, pk=initiative.pk)
    return InitiativeDetailSerializer(fresh, context={"request": request}).data


@extend_schema_view(
    list=extend_schema(summary="Initiatives you may see", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(
        summary="One initiative, with its contribution totals",
        responses=InitiativeDetailSerializer,
    ),
    create=extend_schema(
        summary="Register an initiative as a draft (officers of its organisation)",
        request=InitiativeCreateSerializer,
        responses={201: InitiativeDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an initiative's facts, sending the version you read",
        request=InitiativeUpdateSerializer,
        responses=InitiativeDetailSerializer,
    ),
)
class InitiativeViewSet(viewsets.GenericViewSet):
    """Initiatives ("mô hình"): every read is scoped to the user, every write is the service's."""

    serializer_class = InitiativeSerializer
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    write_permissions = {
        "create": "initiative.create",
        "partial_update": "initiative.update",
        "destroy": "initiative.update",
        "restore": "history.restore",
    }

    def write_target(self):
        if self.action == "create":
            return None
        return or_404(initiative_visible, actor=self.request.user, pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Initiative.objects.none()
        return initiative_list(actor=self.request.user)

    def get_object(self) -> Initiative:
        return or_404(initiative_visible, actor=self.request.user, pk=self.kwargs["pk"], full=True)

    def list(self, request):
        # As a plain dict: an empty value (``?q=``) is refused as the schema says, not read
        # as absent the way DRF reads a form.
        params = InitiativeFilterSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        filters["search"] = filters.pop("q", None)
        queryset = initiative_list(actor=request.user, **filters)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(InitiativeSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        initiative = or_404(initiative_facts, actor=request.user, pk=id_or_404(pk))
        return Response(InitiativeDetailSerializer(initiative).data)

    def create(self, request):
        data = InitiativeCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        initiative = initiative_create(actor=request.user, **data.validated_data)
        return Response(detail_of(request, initiative), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        initiative = self.get_object()
        data = InitiativeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        initiative = initiative_update(
            actor=request.user, initiative=initiative, expected_version=version, **changes
        )
        return Response(detail_of(request, initiative))

    @extend_schema(
        summary="Delete a draft that was never submitted (officers of its organisation)",
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        initiative_delete(actor=request.user, initiative=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Bring back the facts of an earlier version (administrators)",
        request=RestoreSerializer,
        responses=InitiativeDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        initiative = self.get_object()
        data = RestoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = initiative_restore(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        return Response(detail_of(request, initiative))
