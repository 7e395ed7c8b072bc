"""``/imports/``: upload a spreadsheet, follow its check, read its problems, apply, roll back.

Checking and applying run in the background: the upload and the apply answer 202 at once, and
the client polls the import for its ``status`` and ``progress``.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from danvan.api.fields import PassthroughRenderer
from danvan.api.parsers import FormParser, JSONParser, MultiPartParser
from danvan.api.serializers import InputSerializer
from danvan.core.downloads import bytes_download
from danvan.core.http import id_or_404, or_404
from danvan.imports.models import SPREADSHEET_KINDS, ImportBatch, ImportIssue, Severity
from danvan.imports.selectors import batch_issues, batch_list, issue_place
from danvan.imports.services import ACTIONS as IMPORT_ACTIONS
from danvan.imports.services import batch_apply, batch_rollback_request, batch_upload
from danvan.imports.workbooks import workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportBatchSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text="Percent of rows processed.")
    processed_rows = serializers.IntegerField(
        source="rows_done", read_only=True, help_text="Rows processed in the current step."
    )
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "file_type",
            "language",
            "total_rows",
            "processed_rows",
            "progress",
            "creates",
            "updates",
            "unchanged",
            "error_count",
            "warning_count",
            "requested_by",
            "created_at",
            "validated_at",
            "applied_at",
            "rolled_back_at",
        ]
        read_only_fields = fields


class ImportIssueSerializer(serializers.ModelSerializer):
    place = serializers.SerializerMethodField(
        help_text="The column's header in your language and the cell, e.g. “Start date, cell H3”."
    )
    message = serializers.CharField(
        source="text",
        read_only=True,
        help_text="What is wrong, in your language (Accept-Language), whoever uploaded the file; "
        "a problem recorded before messages were kept in every language is given in the "
        "uploader's words.",
    )

    class Meta:
        model = ImportIssue
        fields = ["id", "row", "column", "cell", "place", "severity", "message"]
        read_only_fields = fields

    def get_place(self, issue: ImportIssue) -> str:
        return issue_place(issue, kind=issue.batch.kind)


class ImportUploadSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=SPREADSHEET_KINDS)
    file = serializers.FileField(max_length=255)


@extend_schema_view(
    list=extend_schema(summary="Your imports (every import for administrators), newest first"),
    retrieve=extend_schema(summary="One import: its status, progress and counts"),
    create=extend_schema(
        summary="Upload a spreadsheet; it is checked in the background without writing anything",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportBatchSerializer},
    ),
)
class ImportBatchViewSet(viewsets.GenericViewSet):
    """Spreadsheet imports of initiatives, their ledgers, organisations, villages and people."""

    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    # The kind (and so the permission) is in the body: any kind the caller may import.
    write_permissions = {"create": tuple(IMPORT_ACTIONS.values())}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportBatch.objects.none()
        return batch_list(actor=self.request.user)

    def get_object(self) -> ImportBatch:
        return or_404(self.get_queryset().get, pk=id_or_404(self.kwargs["pk"]))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ImportBatchSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ImportBatchSerializer(self.get_object()).data)

    def create(self, request):
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = batch_upload(
            actor=request.user, kind=data.validated_data["kind"], upload=data.validated_data["file"]
        )
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The problems found, by row and column (the file's own first)",
        parameters=[OpenApiParameter("severity", str, enum=Severity.values)],
        responses=ImportIssueSerializer(many=True),
    )
    @action(detail=True)
    def issues(self, request, pk=None):
        severity = request.query_params.get("severity")
        if severity and severity not in Severity.values:
            raise serializers.ValidationError({"severity": ["Unknown severity."]})
        page = self.paginate_queryset(batch_issues(batch=self.get_object(), severity=severity))
        return self.get_paginated_response(ImportIssueSerializer(page, many=True).data)

    @extend_schema(
        summary="Apply a checked import, all or nothing, in the background (its uploader)",
        request=None,
        responses={202: ImportBatchSerializer},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        batch = batch_apply(actor=request.user, batch=self.get_object())
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Undo an applied import in the background (administrators of every unit it "
        "touched); follow its status and progress on the import",
        request=None,
        responses={202: ImportBatchSerializer},
    )
    @action(detail=True, methods=["post"])
    def rollback(self, request, pk=None):
        batch = batch_rollback_request(actor=request.user, batch=self.get_object())
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The XLSX template of an import, in your language",
        parameters=[
            OpenApiParameter(
                "template_kind",
                str,
                OpenApiParameter.PATH,
                enum=[kind for kind, _label in SPREADSHEET_KINDS],
            )
        ],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        url_path=r"templates/(?P<template_kind>[a-z_]+)",
        renderer_classes=[JSONRenderer, PassthroughRenderer],
    )
    def template(self, request, template_kind=None):
        if template_kind not in dict(SPREADSHEET_KINDS):
            raise Http404
        return bytes_download(
            workbook(template_kind), content_type=XLSX_TYPE, name=f"danvan-{template_kind}.xlsx"
        )
