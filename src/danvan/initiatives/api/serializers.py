"""What the initiatives API reads and writes: output shapes and the checked input of each use case.

Contribution amounts are JSON numbers: whole VND for money and in kind (38000000), m² of land and
person-days of labour to two decimals at most (350.5); measured results are decimal strings.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from danvan.api.fields import ExactNumberField, IdField, id_field
from danvan.api.serializers import InputSerializer
from danvan.areas.models import Area
from danvan.core import limits
from danvan.initiatives.api.fields import ScopedInitiativeField
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    EvidenceKind,
    Field,
    Unit,
)
from danvan.initiatives.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Contribution,
    Evidence,
    Indicator,
    Initiative,
    Result,
)
from danvan.initiatives.selectors import ORDERINGS
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_list
from danvan.review.models import RegistrationRound
from danvan.stats.selectors import initiative_contribution_totals

# The limits of every door (``danvan.core.limits``): the schema states the largest of them; the
# service refuses an amount above its own kind's limit.
MAX_AMOUNT = limits.AMOUNT_MAX
MAX_PEOPLE = limits.CONTRIBUTORS_MAX
AMOUNT_HELP = (
    f"Whole VND for money and in kind (at most {limits.MONEY_MAX:,}; a decimal is refused), "
    f"m² for land (at most {limits.LAND_MAX:,}) and "
    f"person-days for labour (at most {limits.LABOUR_MAX:,}), to two decimals at most."
)
AMOUNT_READ_HELP = (
    "Whole VND for money and in kind, m² for land, person-days for labour; a whole amount is "
    "an integer (38000000), land and labour may have two decimals (350.5)."
)
RESULT_HELP = "In the indicator's unit; at most, by unit: {limits}.".format(
    limits=", ".join(f"{unit} {value:,}" for unit, value in limits.RESULT_MAX.items())
)
PLAN_DATE_HELP = (
    f"From {limits.EARLIEST_DATE.isoformat()} to {limits.PLAN_YEARS_AHEAD} years ahead."
)
RECORD_DATE_HELP = f"From {limits.EARLIEST_DATE.isoformat()}; not in the future."


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind"]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    """An initiative as lists show it."""

    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "code",
            "title",
            "field",
            "status",
            "year",
            "registration_kind",
            "organisation",
            "organisation_name",
            "area",
            "area_name",
            "round",
            "continued_from",
            "replicated_from",
            "exemplary",
            "start_date",
            "end_date",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class KindTotalSerializer(serializers.Serializer):
    amount = ExactNumberField(read_only=True, help_text=AMOUNT_READ_HELP)
    contributors = serializers.IntegerField()
    entries = serializers.IntegerField()


class ContributionTotalsSerializer(serializers.Serializer):
    money = KindTotalSerializer()
    land = KindTotalSerializer()
    labour = KindTotalSerializer()
    in_kind = KindTotalSerializer()


class InitiativeDetailSerializer(InitiativeSerializer):
    """An initiative with everything its page shows, and the version to send back on a change."""

    co_organisations = OrganisationBriefSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    totals = serializers.SerializerMethodField()

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "summary",
            "people_in_charge",
            "co_organisations",
            "tags",
            "totals",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ContributionTotalsSerializer)
    def get_totals(self, initiative: Initiative) -> dict:
        return initiative_contribution_totals(initiative=initiative)


class InitiativeFilterSerializer(serializers.Serializer):
    """The list's query parameters, checked like any other input; the schema states them from
    these fields, so its limits are the ones enforced."""

    field = serializers.ChoiceField(choices=Field.choices, required=False)
    status = serializers.ChoiceField(
        choices=Initiative._meta.get_field("status").choices, required=False
    )
    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, help_text="Year registered."
    )
    round = IdField(
        queryset=RegistrationRound.objects.all(),
        required=False,
        help_text="Id of a registration round.",
    )
    area = IdField(
        queryset=Area.objects.all(),
        required=False,
        help_text="Within this unit's subtree, including the historical units it succeeds.",
    )
    organisation = IdField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Registered by this organisation.",
    )
    exemplary = serializers.BooleanField(required=False, allow_null=True, default=None)
    replicated = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: copied from elsewhere; false: built where it is.",
    )
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Title contains this (ignoring diacritics), or code.",
    )
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False, default="-year")


class InitiativeCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=500)
    field = serializers.ChoiceField(choices=Field.choices)
    organisation = IdField(queryset=Organisation.objects.all(), visible=organisation_list)
    area = IdField(queryset=Area.objects.all())
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    co_organisations = IdField(queryset=Organisation.objects.all(), many=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=50
    )
    continued_from = ScopedInitiativeField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True, help_text=PLAN_DATE_HELP)
    end_date = serializers.DateField(required=False, allow_null=True, help_text=PLAN_DATE_HELP)
    people_in_charge = serializers.CharField(required=False, allow_blank=True, max_length=500)


class InitiativeUpdateSerializer(InputSerializer):
    """A change to an initiative's facts; ``version`` is the one read, so no change is lost."""

    whole_on_patch = True  # ``version`` is required on every PATCH

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you read; a newer one on the server answers 409.",
    )
    title = serializers.CharField(max_length=500, required=False)
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    area = IdField(queryset=Area.objects.all(), required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    co_organisations = IdField(queryset=Organisation.objects.all(), many=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=50
    )
    start_date = serializers.DateField(required=False, allow_null=True, help_text=PLAN_DATE_HELP)
    end_date = serializers.DateField(required=False, allow_null=True, help_text=PLAN_DATE_HELP)
    people_in_charge = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RestoreSerializer(InputSerializer):
    history_id = id_field(help_text="A version's id, from the timeline.")


class ContributionSerializer(serializers.ModelSerializer):
    amount = ExactNumberField(read_only=True, help_text=AMOUNT_READ_HELP)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "date",
            "kind",
            "amount",
            "contributor_type",
            "contributors",
            "description",
            "corrects",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class ContributionInputSerializer(InputSerializer):
    date = serializers.DateField(help_text=RECORD_DATE_HELP)
    kind = serializers.ChoiceField(choices=ContributionKind.choices)
    amount = ExactNumberField(min_value=0, max_value=MAX_AMOUNT, help_text=AMOUNT_HELP)
    contributor_type = serializers.ChoiceField(choices=ContributorType.choices)
    contributors = serializers.IntegerField(
        min_value=0, max_value=MAX_PEOPLE, required=False, default=0
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ContributionCorrectSerializer(InputSerializer):
    amount = ExactNumberField(
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text="The corrected amount of the entry, in its kind's unit. " + AMOUNT_HELP,
    )
    contributors = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, required=False)
    reason = serializers.CharField(max_length=500)
    date = serializers.DateField(required=False, help_text=RECORD_DATE_HELP)


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "name_vi", "name_en", "name_ar", "unit", "aggregation"]
        read_only_fields = fields


class IndicatorInputSerializer(InputSerializer):
    code = serializers.RegexField(r"^[a-z0-9_]+$", max_length=40)
    name_vi = serializers.CharField(max_length=255)
    name_en = serializers.CharField(max_length=255)
    name_ar = serializers.CharField(max_length=255)
    unit = serializers.ChoiceField(choices=Unit.choices)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices)


class ResultSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.ChoiceField(source="indicator.unit", choices=Unit.choices, read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "indicator_name",
            "unit",
            "value",
            "target",
            "period_start",
            "period_end",
            "note",
        ]
        read_only_fields = fields


class ResultInputSerializer(InputSerializer):
    indicator = IdField(queryset=Indicator.objects.all())
    value = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=0,
        max_value=limits.RESULT_ANY_MAX,
        help_text=RESULT_HELP,
    )
    target = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=0,
        max_value=limits.RESULT_ANY_MAX,
        required=False,
        allow_null=True,
        help_text=RESULT_HELP,
    )
    period_start = serializers.DateField(
        required=False, allow_null=True, help_text=RECORD_DATE_HELP
    )
    period_end = serializers.DateField(help_text=RECORD_DATE_HELP)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "title",
            "content_type",
            "size",
            "uploaded_at",
            "uploaded_by",
        ]
        read_only_fields = fields


class EvidenceInputSerializer(InputSerializer):
    file = serializers.FileField(max_length=200)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)
