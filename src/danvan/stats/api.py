"""``/api/v1/stats/``: the figures of the dashboards, read from the stats layer and nothing else.

Every endpoint takes the same scope (a unit or the whole country, the boundary mode, a year
range or a registration round) and answers what the matching selector returns, so a client
sees the number a page or a report shows. A unit outside the caller's scope is refused, and the
whole country needs a nationwide role.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts.scope import require_unit
from danvan.api.fields import ExactNumberField, IdField
from danvan.areas.models import Area
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Indicator
from danvan.review.models import RecognitionLevel, RegistrationRound
from danvan.stats import lineage, recognition, selectors
from danvan.stats.models import Mode
from danvan.stats.shape import (
    CONTRIBUTION_GROUPS,
    FIGURE_MEASURES,
    GROUPS,
    LEDGER_MEASURES,
    plain,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ScopeSerializer(serializers.Serializer):
    """The query parameters every figure takes, checked like any other input; the schema states
    them from these fields (``parameters=[…Query]``), so its limits are the ones enforced."""

    area = IdField(
        queryset=Area.objects.all(),
        required=False,
        help_text=_("A unit; the whole country when absent."),
    )
    # No default: a unit nobody chose a mode for is read in the mode that answers the question
    # (``danvan.stats.lineage.default_mode``), and the answer says which.
    mode = serializers.ChoiceField(
        choices=Mode.choices, required=False, help_text=_("Boundaries of the figures.")
    )
    round = IdField(
        queryset=RegistrationRound.objects.all(),
        required=False,
        help_text=_("A registration round: its unit and year."),
    )
    year_from = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    year_to = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    field = serializers.MultipleChoiceField(choices=Field.choices, required=False)
    status = serializers.MultipleChoiceField(choices=Status.choices, required=False)

    def validate(self, attrs):
        if attrs.get("round") is not None and "area" in attrs:
            raise serializers.ValidationError(
                {"area": _("A round sets its own unit; give either a round or a unit.")}
            )
        if attrs.get("round") is not None and {"year_from", "year_to"} & set(attrs):
            raise serializers.ValidationError(
                {"year_from": _("A round sets its own year; give either a round or years.")}
            )
        low, high = attrs.get("year_from"), attrs.get("year_to")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"year_to": _("The last year cannot be before the first.")}
            )
        return attrs


def _group_field(allowed: dict[str, str]):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(allowed)), required=False, max_length=3
    )


class InitiativeQuery(ScopeSerializer):
    group_by = _group_field(GROUPS)


class ContributionQuery(ScopeSerializer):
    group_by = _group_field(CONTRIBUTION_GROUPS)
    start = serializers.DateField(required=False)
    cutoff = serializers.DateField(required=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start, cutoff = attrs.get("start"), attrs.get("cutoff")
        if start and cutoff and start > cutoff:
            raise serializers.ValidationError(
                {"cutoff": _("The cut-off cannot be before the start.")}
            )
        return attrs


class ResultQuery(ScopeSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class CumulativeQuery(ScopeSerializer):
    since = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    group_by = _group_field(GROUPS)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "year_from" in attrs:
            raise serializers.ValidationError(
                {"year_from": _("Totals since a year start at “since”; give no first year.")}
            )
        if attrs.get("round") is not None:
            raise serializers.ValidationError(
                {"round": _("Totals since a year are not those of a round; give a unit.")}
            )
        since, high = attrs.get("since"), attrs.get("year_to")
        if since is not None and high is not None and since > high:
            raise serializers.ValidationError(
                {"year_to": _("The last year cannot be before the first.")}
            )
        return attrs


def _scope(request, serializer_class):
    """Validate the query, check the caller may see the unit, and return selector arguments.

    A round stands for its unit, its year and, for contributions, its cut-off date.
    """
    query = serializer_class(data=_query_dict(request))
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    round_ = data.pop("round", None)
    if round_ is not None:
        data.update(selectors.round_scope(round=round_))
    for name in ("field", "status"):
        data[name] = sorted(data[name]) if data.get(name) else None
    if "group_by" in data:
        data["group_by"] = tuple(data["group_by"])
    area = data.get("area")
    require_unit(request.user, area)
    first = data.get("since", data.get("year_from", data.get("year")))
    request.reading = lineage.reading(area, data.get("mode"), first, data.get("year_to", first))
    data["mode"] = request.reading.mode
    return data


def _answer(request, payload) -> Response:
    """Answer with the figures and how they were read: the mode and the units it used, in
    headers (the figures keep their shape) and in the ``reading`` endpoint's body."""
    response = Response(plain(payload))
    reading = request.reading
    response["Boundary-Mode"] = reading.mode
    response["Boundary-Mode-Chosen"] = "1" if reading.chosen else "0"
    response["Boundary-Units"] = ",".join(str(unit.pk) for unit in reading.units)
    return response


def _query_dict(request) -> dict:
    """Read repeated parameters (``field=a&field=b``) and comma lists alike."""
    data = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        if key in {"field", "status", "group_by"}:
            data[key] = [part for value in values for part in value.split(",") if part]
        else:
            data[key] = values[-1]
    return data


# Land (m²) and labour (person-days) carry decimals; every other figure is whole.
DECIMAL_MEASURES = ("land", "labour")


def _numbers(names) -> dict:
    return {
        name: (ExactNumberField() if name in DECIMAL_MEASURES else serializers.IntegerField())
        for name in names
    }


FigureRow = inline_serializer(
    "FigureRow",
    {
        **_numbers(FIGURE_MEASURES),
        "year": serializers.IntegerField(required=False),
        "field": serializers.CharField(required=False),
        "status": serializers.CharField(required=False),
        "registration_kind": serializers.CharField(required=False),
        "org_kind": serializers.CharField(required=False),
        "is_replicated": serializers.BooleanField(required=False),
        # Grouped by level: the unit of the row; null on the row of what cannot be placed on
        # a unit below the one asked for.
        "area_id": serializers.IntegerField(required=False, allow_null=True),
    },
    many=True,
)
LedgerRow = inline_serializer(
    "LedgerRow",
    {
        **_numbers(LEDGER_MEASURES),
        "year": serializers.IntegerField(required=False),
        "field": serializers.CharField(required=False),
        "status": serializers.CharField(required=False),
        "contribution_year": serializers.IntegerField(required=False),
        "contribution_month": serializers.IntegerField(required=False),
        # Grouped by level: null on the row of what cannot be placed on a unit below the one
        # asked for, as in FigureRow.
        "area_id": serializers.IntegerField(required=False, allow_null=True),
    },
    many=True,
)


class ResultFigure(serializers.Serializer):
    """One indicator's figure. A class, not an ``inline_serializer`` (an instance): the view
    serialises the figure with it."""

    indicator = serializers.CharField()
    unit = serializers.CharField()
    aggregation = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


AwardRow = inline_serializer(
    "AwardRow",
    {
        "stage": serializers.CharField(),
        "level": serializers.CharField(),
        "awards": serializers.IntegerField(),
        "initiatives": serializers.IntegerField(),
    },
    many=True,
)
# The recognition levels with their labels, so the schema names them as everywhere else.
_LEVEL_CHOICES = RecognitionLevel.choices
RecognitionLevelRow = inline_serializer(
    "RecognitionLevelRow",
    {
        "level": serializers.ChoiceField(choices=_LEVEL_CHOICES),
        "proposed": serializers.IntegerField(
            help_text="Models proposed at the level (any stage, nominations included)."
        ),
        "recognised": serializers.IntegerField(help_text="Models recognised at the level."),
        "nominated": serializers.IntegerField(
            help_text="Models recognised here and proposed to the next level."
        ),
        "commended": serializers.IntegerField(),
        "collectives": serializers.IntegerField(
            help_text="Organisations whose models were recognised at the level."
        ),
        "individuals_proposed": serializers.IntegerField(),
        "individuals": serializers.IntegerField(help_text="Persons recognised at the level."),
    },
    many=True,
)
RecognitionFigures = inline_serializer(
    "RecognitionFigures",
    {
        "levels": RecognitionLevelRow,
        "totals": inline_serializer(
            "RecognitionTotals",
            {
                "recognised": serializers.IntegerField(),
                "collectives": serializers.IntegerField(),
                "individuals": serializers.IntegerField(),
            },
        ),
        "by_org_kind": inline_serializer(
            "RecognitionByOrgKind",
            {
                "org_kind": serializers.CharField(),
                "level": serializers.ChoiceField(choices=_LEVEL_CHOICES),
                "recognised": serializers.IntegerField(),
            },
            many=True,
        ),
        "grades": inline_serializer(
            "GradeRow",
            {
                "level": serializers.CharField(
                    help_text="The evaluating commission's level; blank on older evaluations."
                ),
                "grade": serializers.CharField(),
                "initiatives": serializers.IntegerField(
                    help_text="Models whose latest evaluation at the level has this grade."
                ),
            },
            many=True,
        ),
    },
)
UnitsFigure = inline_serializer("UnitsFigure", {"registering_units": serializers.IntegerField()})
Reading = inline_serializer(
    "BoundaryReading",
    {
        "mode": serializers.ChoiceField(choices=Mode.choices),
        "chosen": serializers.BooleanField(),
        "units": inline_serializer(
            "BoundaryUnit",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "scheme": serializers.CharField(),
            },
            many=True,
        ),
        "note": serializers.CharField(),
    },
)
Cumulative = inline_serializer(
    "CumulativeFigures",
    {
        "since": serializers.IntegerField(),
        "total": FigureRow.child,
        "rows": FigureRow,
        "reading": Reading,
    },
)


class StatsViewSet(viewsets.ViewSet):
    """Figures for a scope, grouped as asked."""

    @extend_schema(
        summary="Initiatives and what they mobilised",
        parameters=[InitiativeQuery],
        responses=FigureRow,
    )
    @action(detail=False)
    def initiatives(self, request):
        scope = _scope(request, InitiativeQuery)
        scope.pop("cutoff", None)
        return _answer(request, selectors.initiative_figures(**scope))

    @extend_schema(
        summary="Contributions by kind, optionally from a start date up to a cut-off",
        parameters=[ContributionQuery],
        responses=LedgerRow,
    )
    @action(detail=False)
    def contributions(self, request):
        scope = _scope(request, ContributionQuery)
        return _answer(request, selectors.contribution_figures(**scope))

    @extend_schema(
        summary="One indicator's figure, combined by its own rule",
        parameters=[ResultQuery],
        responses=ResultFigure,
    )
    @action(detail=False)
    def results(self, request):
        scope = _scope(request, ResultQuery)
        figure = selectors.result_figures(
            area=scope.get("area"),
            mode=scope["mode"],
            year=scope["year"],
            indicator=scope["indicator"],
        )
        return _answer(request, ResultFigure(figure).data)

    @extend_schema(
        summary="Awards by stage and level", parameters=[ScopeSerializer], responses=AwardRow
    )
    @action(detail=False)
    def awards(self, request):
        scope = _scope(request, ScopeSerializer)
        scope.pop("cutoff", None)
        scope.pop("status", None)
        return _answer(request, selectors.award_figures(**scope))

    @extend_schema(
        summary="Recognition per level as reports give it: models proposed and recognised, "
        "proposed upward, collectives and individuals, recognised models by kind of "
        "organisation, evaluation grades",
        parameters=[ScopeSerializer],
        responses=RecognitionFigures,
    )
    @action(detail=False)
    def recognition(self, request):
        scope = _scope(request, ScopeSerializer)
        scope.pop("cutoff", None)
        scope.pop("status", None)
        figures = recognition.recognition_figures(**scope)
        figures["grades"] = recognition.grade_figures(**scope)
        return _answer(request, figures)

    @extend_schema(
        summary="How many organisations registered initiatives",
        parameters=[ScopeSerializer],
        responses=UnitsFigure,
    )
    @action(detail=False, url_path="registering-units")
    def registering_units(self, request):
        scope = _scope(request, ScopeSerializer)
        scope.pop("cutoff", None)
        return _answer(request, {"registering_units": selectors.registering_units(**scope)})

    @extend_schema(
        summary='Totals since a year ("since 2013 …") and their breakdown',
        parameters=[CumulativeQuery],
        responses=Cumulative,
    )
    @action(detail=False)
    def cumulative(self, request):
        scope = _scope(request, CumulativeQuery)
        figures = selectors.cumulative_since(
            scope["since"],
            area=scope.get("area"),
            mode=scope["mode"],
            year_to=scope.get("year_to"),
            field=scope.get("field"),
            status=scope.get("status"),
            group_by=scope.get("group_by", ("field",)),
        )
        return _answer(request, {**figures, "reading": request.reading.as_dict()})

    @extend_schema(
        summary="How figures of a unit and years are read: the mode and the units it uses",
        parameters=[ScopeSerializer],
        responses=Reading,
    )
    @action(detail=False)
    def reading(self, request):
        _scope(request, ScopeSerializer)
        return _answer(request, request.reading.as_dict())
