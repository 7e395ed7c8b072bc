"""Read-only API of the administrative tree: browse, search, as of a date, succession."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.api.fields import id_field
from danvan.areas.models import Area, AreaKind, AreaLevel, CodeScheme
from danvan.areas.selectors import (
    area_current_successors,
    area_historical_predecessors,
    area_search,
)


class AreaSerializer(serializers.ModelSerializer):
    # Provinces have no parent: the schema must say the value can be null.
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "scheme",
            "code",
            "name",
            "kind",
            "level",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "latitude",
            "longitude",
        ]


class SuccessorSerializer(serializers.Serializer):
    area = AreaSerializer()
    share = serializers.DecimalField(max_digits=9, decimal_places=6)
    is_default = serializers.BooleanField()


class AreaFilterSerializer(serializers.Serializer):
    """The query parameters of the list, checked like any other input; the schema states them
    from these fields, so its limits are the ones enforced."""

    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Name contains this, ignoring diacritics.")
    )
    scheme = serializers.ChoiceField(choices=CodeScheme.choices, required=False)
    kind = serializers.ChoiceField(choices=AreaKind.choices, required=False)
    level = serializers.ChoiceField(choices=AreaLevel.choices, required=False)
    parent = id_field(required=False, help_text=_("Only the children of this unit."))
    valid_on = serializers.DateField(required=False, help_text=_("Units in force that day."))
    code = serializers.CharField(required=False, max_length=32)


LIST_PARAMETERS = [AreaFilterSerializer]


@extend_schema_view(
    list=extend_schema(parameters=LIST_PARAMETERS, summary="List or search administrative units"),
    retrieve=extend_schema(summary="One administrative unit"),
)
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Vietnam's administrative units in both official lists and the local units below."""

    serializer_class = AreaSerializer
    queryset = Area.objects.all()

    def get_queryset(self):
        if self.action != "list":
            return Area.objects.all()
        # As a plain dict: an empty value (``?q=``) is refused as the schema says, not read
        # as absent the way DRF reads a form.
        params = AreaFilterSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        values = params.validated_data
        queryset = (
            area_search(text=values["q"]) if values.get("q") else Area.objects.all()
        ).order_by("path")
        for name in ("scheme", "kind", "level", "code"):
            if values.get(name) is not None:
                queryset = queryset.filter(**{name: values[name]})
        if values.get("parent"):
            queryset = queryset.filter(parent_id=values["parent"])
        if values.get("valid_on"):
            queryset = queryset.valid_on(values["valid_on"])
        return queryset

    @extend_schema(summary="The units directly under this one", responses=AreaSerializer(many=True))
    @action(detail=True)
    def children(self, request, pk=None):
        area = self.get_object()
        page = self.paginate_queryset(area.children.order_by("name"))
        return self.get_paginated_response(AreaSerializer(page, many=True).data)

    @extend_schema(
        summary="Today's units that carry this one on (with shares)",
        responses=SuccessorSerializer(many=True),
    )
    @action(detail=True, pagination_class=None)
    def successors(self, request, pk=None):
        successors = area_current_successors(area=self.get_object())
        return Response(SuccessorSerializer(successors, many=True).data)

    @extend_schema(
        summary="Every historical unit this one succeeds",
        responses=AreaSerializer(many=True),
    )
    @action(detail=True, pagination_class=None)
    def predecessors(self, request, pk=None):
        queryset = area_historical_predecessors(area=self.get_object()).order_by("path")
        return Response(AreaSerializer(queryset, many=True).data)
