"""What the review API reads and writes: workflow steps, evaluations, awards and catalogues."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from danvan.api.fields import IdField, id_field
from danvan.api.serializers import InputSerializer
from danvan.core.ids import parse_id
from danvan.initiatives.api.fields import ScopedInitiativeField
from danvan.initiatives.api.serializers import InitiativeSerializer
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import TRANSITIONS
from danvan.review.bulk import MAX_BATCH
from danvan.review.models import (
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    CriteriaSet,
    Criterion,
    Evaluation,
    EvaluationScore,
    GradeThreshold,
    RecipientKind,
    RecipientRole,
    RecognitionLevel,
    RegistrationRound,
)

TIMELINE_KINDS = ["created", "changed", "deleted", "transition"]
TRANSITION_NAMES = list(TRANSITIONS)


class TransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=TRANSITION_NAMES)
    label = serializers.CharField(help_text="In the request's language.")
    target = serializers.ChoiceField(choices=Status.choices)
    needs_reason = serializers.BooleanField()


class TransitionInputSerializer(InputSerializer):
    name = serializers.ChoiceField(choices=TRANSITION_NAMES)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkTransitionInputSerializer(InputSerializer):
    action = serializers.ChoiceField(choices=TRANSITION_NAMES)
    ids = serializers.ListField(
        child=id_field(),
        allow_empty=False,
        min_length=1,
        max_length=MAX_BATCH,
        help_text="The initiatives to move, by id; each is checked and recorded on its own.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="One reason for every initiative (required to return or discontinue).",
    )


class BulkOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True, help_text="Empty for an id you may not see.")
    ok = serializers.BooleanField(help_text="Whether the step was taken on this initiative.")
    status = serializers.CharField(
        allow_blank=True, help_text="The initiative's status after the batch."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Why this initiative was refused, by field, in the request's language.",
    )


class BulkResultSerializer(serializers.Serializer):
    succeeded = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = BulkOutcomeSerializer(many=True, help_text="One per id, in the order given.")


class ContinueSerializer(InputSerializer):
    round = IdField(
        queryset=RegistrationRound.objects.all(),
        required=False,
        allow_null=True,
        help_text="The round to register in; by default the next year, with no round.",
    )


class ExemplarySerializer(InputSerializer):
    exemplary = serializers.BooleanField()


class ReplicationSerializer(InputSerializer):
    source = ScopedInitiativeField(
        allow_null=True, help_text="The initiative this one copies; null when it copies none."
    )


class ReplicationChainSerializer(serializers.Serializer):
    ancestors = InitiativeSerializer(many=True, help_text="Copied from, nearest first.")
    descendants = InitiativeSerializer(many=True, help_text="Every copy, and copies of copies.")


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    kind = serializers.ChoiceField(choices=TIMELINE_KINDS)
    subject = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    sentence = serializers.CharField(
        allow_blank=True, help_text="A workflow step in words, in the language asked for."
    )
    changes = ChangeSerializer(many=True)
    history_id = serializers.IntegerField(
        allow_null=True, help_text="Give it to …/restore/ to bring this version back."
    )


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "max_score", "order"]
        read_only_fields = fields


class GradeThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeThreshold
        fields = ["min_total", "grade"]
        read_only_fields = fields


class CriteriaSetSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    thresholds = GradeThresholdSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaSet
        fields = ["id", "name", "area", "round", "criteria", "thresholds"]
        read_only_fields = fields


class EvaluationScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = EvaluationScore
        fields = ["criterion", "criterion_name", "score"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    criteria_set_name = serializers.CharField(
        source="criteria_set.name", read_only=True, allow_null=True, default=None
    )
    reviewer_name = serializers.SerializerMethodField()
    scores = EvaluationScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "initiative",
            "criteria_set",
            "criteria_set_name",
            "reviewer",
            "reviewer_name",
            "total",
            "grade",
            "comment",
            "archived",
            "created_at",
            "scores",
        ]
        read_only_fields = fields

    def get_reviewer_name(self, evaluation: Evaluation) -> str:
        reviewer = evaluation.reviewer
        if reviewer is None:
            return ""
        return reviewer.get_full_name() or reviewer.get_username()


class EvaluationInputSerializer(InputSerializer):
    criteria_set = IdField(queryset=CriteriaSet.objects.all())
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        allow_empty=False,
        help_text="A score for every criterion of the set, by criterion id.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate_scores(self, scores: dict) -> dict[int, object]:
        parsed = {}
        for key, value in scores.items():
            criterion = parse_id(key)
            if criterion is None:
                raise serializers.ValidationError(_("Give scores by criterion id."))
            parsed[criterion] = value
        return parsed


class AwardTitleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = AwardTitle
        fields = ["id", "code", "name", "name_vi", "name_en", "name_ar"]
        read_only_fields = fields


class AwardFormSerializer(AwardTitleSerializer):
    class Meta(AwardTitleSerializer.Meta):
        model = AwardForm


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistrationRound
        fields = ["id", "year", "theme", "area", "opens_on", "closes_on", "cutoff_on"]
        read_only_fields = fields


class AwardSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="title.name", read_only=True)
    form_name = serializers.CharField(source="form.name", read_only=True, allow_null=True)
    has_decision_file = serializers.SerializerMethodField()
    recipient = serializers.CharField(
        read_only=True,
        help_text="Who receives it: the person's name, or the initiative's organisation.",
    )
    # Empty for an award to the collective: the schema says so.
    recipient_role = serializers.ChoiceField(
        choices=RecipientRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="What the person awarded is; empty for an award to the collective.",
    )

    class Meta:
        model = Award
        fields = [
            "id",
            "initiative",
            "title",
            "title_name",
            "form",
            "form_name",
            "level",
            "stage",
            "recipient_kind",
            "recipient_name",
            "recipient_role",
            "recipient_detail",
            "recipient_user",
            "recipient",
            "decision_number",
            "decision_date",
            "issuing_body",
            "has_decision_file",
            "nominated_to",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_decision_file(self, award: Award) -> bool:
        return bool(award.decision_file)


class AwardProposeSerializer(InputSerializer):
    title = IdField(queryset=AwardTitle.objects.all())
    level = serializers.ChoiceField(choices=RecognitionLevel.choices)
    form = IdField(queryset=AwardForm.objects.all(), required=False, allow_null=True)
    recipient_kind = serializers.ChoiceField(
        choices=RecipientKind.choices,
        required=False,
        help_text="The initiative's collective (default) or one person.",
    )
    recipient_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="The person's full name; only for an award to a person.",
    )
    recipient_role = serializers.ChoiceField(
        choices=RecipientRole.choices,
        required=False,
        allow_blank=True,
        help_text="What the person is; only for an award to a person.",
    )
    recipient_detail = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="The person's position or address; only for an award to a person.",
    )
    recipient_user = IdField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The person's account, when they have one in the initiative's province.",
    )


class AwardDecisionSerializer(InputSerializer):
    decision_number = serializers.CharField(max_length=80)
    decision_date = serializers.DateField()
    issuing_body = serializers.CharField(max_length=255)


class AwardRecogniseSerializer(AwardDecisionSerializer):
    form = IdField(queryset=AwardForm.objects.all(), required=False, allow_null=True)
    decision_file = serializers.FileField(required=False, max_length=200)


class AwardFilterSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=AwardStage.choices, required=False)
    level = serializers.ChoiceField(choices=RecognitionLevel.choices, required=False)
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices, required=False)
