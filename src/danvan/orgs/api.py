"""API of registering organisations: scoped lists, and writes through the services."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.api.fields import IdField
from danvan.api.serializers import InputSerializer
from danvan.areas.models import Area
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.selectors import organisation_list
from danvan.orgs.services import (
    organisation_close,
    organisation_create,
    organisation_move_to_successor,
    organisation_update,
)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "seat_area",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
        ]
        read_only_fields = fields


class OrganisationInputSerializer(InputSerializer):
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    seat_area = IdField(queryset=Area.objects.all())
    parent = IdField(
        queryset=Organisation.objects.all(),
        visible=organisation_list,
        required=False,
        allow_null=True,
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class OrganisationUpdateSerializer(OrganisationInputSerializer):
    # The code never changes: sending it is refused by name, not silently dropped.
    code = None
    name = serializers.CharField(max_length=255, required=False)
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    seat_area = IdField(queryset=Area.objects.all(), required=False)


class OrganisationCloseSerializer(InputSerializer):
    valid_to = serializers.DateField()
    successor = IdField(
        queryset=Organisation.objects.all(),
        visible=organisation_list,
        required=False,
        allow_null=True,
    )


class OrganisationMoveSerializer(InputSerializer):
    successor = IdField(queryset=Area.objects.all(), required=False, allow_null=True)


class OrganisationFilterSerializer(serializers.Serializer):
    """The list's query parameters; the schema states them from these fields."""

    area = IdField(
        queryset=Area.objects.all(),
        required=False,
        help_text="Seated in this unit's subtree or its historical predecessors.",
    )
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    q = serializers.CharField(
        required=False,
        max_length=100,
        source="search",
        help_text="Name contains this, ignoring diacritics.",
    )
    active_on = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Organisations you may see",
        parameters=[OrganisationFilterSerializer],
    ),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(
        summary="Register an organisation (administrators in scope)",
        request=OrganisationInputSerializer,
        responses={201: OrganisationSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an organisation (administrators in scope)",
        request=OrganisationUpdateSerializer,
        responses=OrganisationSerializer,
    ),
)
class OrganisationViewSet(viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_permissions = {
        "create": "organisation.manage",
        "partial_update": "organisation.manage",
        "close": "organisation.manage",
        "move_to_successor": "organisation.manage",
    }

    def write_target(self):
        return None if self.action == "create" else self.get_object()

    def get_queryset(self):
        actor = self.request.user
        if self.action != "list":
            return organisation_list(actor=actor)
        # As a plain dict: an empty value (``?q=``) is refused as the schema says, not read
        # as absent the way DRF reads a form.
        params = OrganisationFilterSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        return organisation_list(actor=actor, **params.validated_data).order_by("name", "id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(OrganisationSerializer(self.get_object()).data)

    def create(self, request):
        data = OrganisationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        organisation = organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        organisation = organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(
        summary="Close an organisation, naming its successor",
        request=OrganisationCloseSerializer,
        responses=OrganisationSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationCloseSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        organisation = organisation_close(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(
        summary="Move an organisation seated on a unit that ended to a unit that carries it on",
        description=(
            "Without a successor, the unit's default successor. Its initiatives stay on the "
            "units of their day; the history keeps the old seat."
        ),
        request=OrganisationMoveSerializer,
        responses=OrganisationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="move-to-successor")
    def move_to_successor(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationMoveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        organisation = organisation_move_to_successor(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)
