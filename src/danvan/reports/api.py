"""``/reports/``: ask for a report (202, built in the background), follow it, download it."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from danvan.accounts.scope import require
from danvan.api.fields import IdField, PassthroughRenderer
from danvan.api.parsers import JSONParser
from danvan.api.serializers import InputSerializer
from danvan.areas.models import Area
from danvan.core.downloads import file_download
from danvan.core.http import id_or_404, or_404
from danvan.core.validation import ConflictError
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR
from danvan.initiatives.selectors import ORDERINGS
from danvan.reports.letterheads import settings_of
from danvan.reports.models import (
    MOVEMENT_START,
    DocumentSettings,
    MoneyStyle,
    PeriodKind,
    Report,
    ReportFormat,
    ReportKind,
)
from danvan.reports.official_form import FormKind
from danvan.reports.renderers import renderer_for
from danvan.reports.selectors import report_detail, report_list
from danvan.reports.services import report_request, save_document_settings
from danvan.stats.models import Mode


class ReportSerializer(serializers.ModelSerializer):
    # A nationwide report has no unit, and a list export no period: both may be empty.
    area_name = serializers.CharField(
        source="area.name", read_only=True, default=None, allow_null=True
    )
    period_kind = serializers.ChoiceField(
        choices=PeriodKind.choices, read_only=True, allow_blank=True
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "area",
            "area_name",
            "mode",
            "mode_chosen",
            "year",
            "period_kind",
            "period_start",
            "cutoff",
            "since",
            "filters",
            "number",
            "issued_on",
            "language",
            "format",
            "status",
            "progress",
            "message",
            "download_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if not report.is_ready:
            return None
        return f"/api/v1/reports/{report.pk}/download/"


class ExportFiltersSerializer(InputSerializer):
    """The initiative list's filters, as the ``/initiatives/`` list takes them."""

    field = serializers.ChoiceField(choices=Field.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    round = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    exemplary = serializers.BooleanField(required=False, allow_null=True, default=None)
    replicated = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, max_length=100)
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False)


class ReportRequestSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    area = IdField(
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the unit; leave out for the whole country (needs a nationwide role).",
    )
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        help_text=(
            "Leave out for the mode that answers the question (restated for a year before the "
            "unit existed), as the dashboard and the statistics API choose it; the report "
            "says which mode it used and whether it was chosen."
        ),
    )
    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, allow_null=True
    )
    period_kind = serializers.ChoiceField(
        choices=PeriodKind.choices, required=False, allow_blank=True, default=""
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    cutoff = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Figures are counted up to this day; defaults to the period's end.",
    )
    since = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, default=MOVEMENT_START
    )
    filters = ExportFiltersSerializer(required=False, help_text="List exports only.")
    number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        default="",
        help_text="Periodic reports: the document's number (digits); empty leaves it blank "
        "on the official form for the clerk.",
    )
    issued_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Periodic reports: the document's date; empty leaves the day and month "
        "blank on the official form.",
    )

    def validate_filters(self, value: dict) -> dict:
        return {name: item for name, item in value.items() if item is not None}


class DocumentSettingsSerializer(InputSerializer):
    """How a unit's documents are headed and signed; lines are lists of strings."""

    unit = serializers.IntegerField(read_only=True, allow_null=True)
    saved = serializers.BooleanField(
        read_only=True, help_text="False: not set yet, these are the defaults from its name."
    )
    form = serializers.ChoiceField(choices=FormKind.choices)
    issuer_lines = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=1, max_length=5
    )
    symbol = serializers.CharField(max_length=40)
    place = serializers.CharField(max_length=80)
    authority = serializers.CharField(max_length=120, allow_blank=True, required=False)
    position = serializers.CharField(max_length=120)
    signatory = serializers.CharField(max_length=120, allow_blank=True, required=False)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=30, required=False
    )
    money_style = serializers.ChoiceField(choices=MoneyStyle.choices)
    template = serializers.CharField(
        read_only=True, help_text="The name of the unit's Word template; empty: the built-in form."
    )

    @staticmethod
    def of(row: DocumentSettings) -> dict:
        return {
            "unit": row.area_id,
            "saved": row.pk is not None,
            "form": row.form,
            "issuer_lines": DocumentSettings.lines(row.issuer_lines),
            "symbol": row.symbol,
            "place": row.place,
            "authority": row.authority,
            "position": row.position,
            "signatory": row.signatory,
            "recipients": DocumentSettings.lines(row.recipients),
            "money_style": row.money_style,
            "template": row.template.name.rsplit("/", 1)[-1] if row.template else "",
        }


UNIT_PARAMETER = OpenApiParameter(
    "unit", int, description="Id of the unit; leave out for the whole country."
)


@extend_schema_view(
    list=extend_schema(summary="The reports you asked for, newest first"),
    retrieve=extend_schema(summary="One report: its status, progress and any failure message"),
    create=extend_schema(
        summary="Ask for a periodic report or a list export; it is built in the background",
        request=ReportRequestSerializer,
        responses={202: ReportSerializer},
    ),
)
class ReportViewSet(viewsets.GenericViewSet):
    """Reports are built by the worker: ask, poll the status, then download the file."""

    serializer_class = ReportSerializer
    parser_classes = [JSONParser]
    write_permissions = {"create": "initiative.view", "document_settings": "area.manage"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return report_list(actor=self.request.user)

    def get_object(self) -> Report:
        # OPTIONS on a list-level action (the settings) asks for an object too: there is none.
        if "pk" not in self.kwargs:
            raise Http404
        return or_404(report_detail, actor=self.request.user, pk=id_or_404(self.kwargs["pk"]))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ReportSerializer(self.get_object()).data)

    def create(self, request):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_request(actor=request.user, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Download the report's file (409 while it is not built)",
        responses={
            (200, "*/*"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The report is not built yet, or its build failed."),
        },
    )
    @action(detail=True, renderer_classes=[JSONRenderer, PassthroughRenderer])
    def download(self, request, pk=None):
        report = self.get_object()
        if not report.is_ready:
            raise ConflictError(report.message or _not_ready_message(report.get_status_display()))
        return file_download(report.file, content_type=renderer_for(report.format).content_type)

    @extend_schema(
        methods=["GET"],
        summary="A unit's document settings (its defaults when not set yet)",
        parameters=[UNIT_PARAMETER],
        responses=DocumentSettingsSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set how a unit's documents are headed and signed (its administrators)",
        parameters=[UNIT_PARAMETER],
        request=DocumentSettingsSerializer,
        responses=DocumentSettingsSerializer,
    )
    @action(detail=False, methods=["get", "put"], url_path="settings")
    def document_settings(self, request):
        """The letterhead, symbol, signatory, recipients and money style of a unit's
        documents, for its administrators; the Word template is uploaded on the page."""
        raw = request.query_params.get("unit")
        area = Area.objects.filter(pk=id_or_404(raw)).first() if raw else None
        if raw and area is None:
            raise Http404
        require(request.user, "area.manage", area=area)
        if request.method == "GET":
            return Response(DocumentSettingsSerializer.of(settings_of(area)))
        data = DocumentSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        for name in ("issuer_lines", "recipients"):
            if name in values:
                values[name] = "\n".join(line.strip() for line in values[name] if line.strip())
        saved = save_document_settings(actor=request.user, area=area, values=values)
        return Response(DocumentSettingsSerializer.of(saved))


def _not_ready_message(state: str) -> str:
    return _("The report is not ready yet (%(state)s).") % {"state": state}
