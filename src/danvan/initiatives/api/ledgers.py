"""What an initiative mobilised and achieved: the contribution ledger, results and evidence,
under ``/initiatives/{initiative_pk}/``, and the national catalogue of indicators."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from danvan.api.fields import PassthroughRenderer
from danvan.api.parsers import FormParser, JSONParser, MultiPartParser
from danvan.core.downloads import file_download
from danvan.core.http import id_or_404, or_404
from danvan.initiatives.api.fields import INITIATIVE_PATH, InitiativeNestedMixin
from danvan.initiatives.api.serializers import (
    ContributionCorrectSerializer,
    ContributionInputSerializer,
    ContributionSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    IndicatorInputSerializer,
    IndicatorSerializer,
    ResultInputSerializer,
    ResultSerializer,
)
from danvan.initiatives.models import Contribution, Evidence, Indicator, Result
from danvan.initiatives.selectors import contribution_ledger
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    evidence_add,
    evidence_delete,
    indicator_create,
    result_add,
    result_delete,
)


def _nested_get(queryset, pk):
    return or_404(queryset.get, pk=id_or_404(pk))


@extend_schema_view(
    list=extend_schema(
        summary="The contribution ledger, oldest first, corrections next to their entries",
        parameters=[INITIATIVE_PATH],
    ),
    create=extend_schema(
        summary="Add an entry to the ledger (officers)",
        parameters=[INITIATIVE_PATH],
        request=ContributionInputSerializer,
        responses={201: ContributionSerializer},
    ),
)
class ContributionViewSet(InitiativeNestedMixin, viewsets.GenericViewSet):
    """The ledger: entries are never edited; a correction is a new entry with the difference."""

    serializer_class = ContributionSerializer
    parser_classes = [JSONParser]
    write_permissions = {"create": "contribution.add", "correct": "contribution.add"}

    def write_target(self):
        return self.initiative

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return contribution_ledger(initiative=self.initiative)

    def list(self, request, initiative_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ContributionSerializer(page, many=True).data)

    def create(self, request, initiative_pk=None):
        initiative = self.initiative
        data = ContributionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = contribution_add(actor=request.user, initiative=initiative, **data.validated_data)
        return Response(ContributionSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct an entry: a new entry carries the difference (officers)",
        parameters=[INITIATIVE_PATH],
        request=ContributionCorrectSerializer,
        responses={201: ContributionSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, initiative_pk=None, pk=None):
        entry = _nested_get(self.get_queryset(), pk)
        entry.initiative = self.initiative
        data = ContributionCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = contribution_correct(actor=request.user, entry=entry, **data.validated_data)
        return Response(ContributionSerializer(correction).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Measured results of an initiative", parameters=[INITIATIVE_PATH]),
    create=extend_schema(
        summary="Record a result (officers)",
        parameters=[INITIATIVE_PATH],
        request=ResultInputSerializer,
        responses={201: ResultSerializer},
    ),
    destroy=extend_schema(
        summary="Remove a result recorded by mistake (officers)",
        parameters=[INITIATIVE_PATH],
        responses={204: None},
    ),
)
class ResultViewSet(InitiativeNestedMixin, viewsets.GenericViewSet):
    """Measured outcomes; values are decimal strings in the indicator's unit."""

    serializer_class = ResultSerializer
    parser_classes = [JSONParser]
    write_permissions = {"create": "result.add", "destroy": "result.add"}

    def write_target(self):
        return self.initiative

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Result.objects.none()
        return self.initiative.results.select_related("indicator").order_by("period_end", "id")

    def list(self, request, initiative_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ResultSerializer(page, many=True).data)

    def create(self, request, initiative_pk=None):
        initiative = self.initiative
        data = ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = result_add(actor=request.user, initiative=initiative, **data.validated_data)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, initiative_pk=None, pk=None):
        result = _nested_get(self.get_queryset(), pk)
        result.initiative = self.initiative
        result_delete(actor=request.user, result=result)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Files attached to an initiative", parameters=[INITIATIVE_PATH]),
    create=extend_schema(
        summary="Attach a photo or document (multipart; officers)",
        parameters=[INITIATIVE_PATH],
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: EvidenceSerializer},
    ),
    destroy=extend_schema(
        summary="Remove an attachment and its file (officers)",
        parameters=[INITIATIVE_PATH],
        responses={204: None},
    ),
)
class EvidenceViewSet(InitiativeNestedMixin, viewsets.GenericViewSet):
    """Photos and documents, checked by their content when uploaded."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser]
    write_permissions = {"create": "evidence.add", "destroy": "evidence.add"}

    def write_target(self):
        return self.initiative

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        return self.initiative.evidence.order_by("-uploaded_at", "-id")

    def list(self, request, initiative_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EvidenceSerializer(page, many=True).data)

    def create(self, request, initiative_pk=None):
        initiative = self.initiative
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        evidence = evidence_add(
            actor=request.user, initiative=initiative, upload=values.pop("file"), **values
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, initiative_pk=None, pk=None):
        evidence = _nested_get(self.get_queryset(), pk)
        evidence.initiative = self.initiative
        evidence_delete(actor=request.user, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download an attachment, with the type found when it was uploaded",
        parameters=[INITIATIVE_PATH],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, renderer_classes=[JSONRenderer, PassthroughRenderer])
    def download(self, request, initiative_pk=None, pk=None):
        evidence = _nested_get(self.get_queryset(), pk)
        return file_download(evidence.file, content_type=evidence.content_type)


@extend_schema_view(
    list=extend_schema(summary="The national catalogue of indicators"),
    retrieve=extend_schema(summary="One indicator"),
    create=extend_schema(
        summary="Add an indicator (administrators)",
        request=IndicatorInputSerializer,
        responses={201: IndicatorSerializer},
    ),
)
class IndicatorViewSet(viewsets.GenericViewSet):
    """Indicators: what results measure, in which unit, and how they combine."""

    serializer_class = IndicatorSerializer
    parser_classes = [JSONParser]
    write_permissions = {"create": "catalogue.manage"}
    queryset = Indicator.objects.order_by("code")

    def get_object(self) -> Indicator:
        return _nested_get(self.get_queryset(), self.kwargs["pk"])

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(IndicatorSerializer(self.get_object()).data)

    def create(self, request):
        data = IndicatorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = indicator_create(actor=request.user, **data.validated_data)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)
