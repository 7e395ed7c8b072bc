"""Evaluation and recognition: scores and awards of an initiative, the award path's decisions,
and the catalogues reviewers choose from (criteria sets, award titles and forms, rounds)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from danvan.api.fields import PassthroughRenderer
from danvan.api.parsers import JSONParser, MultiPartParser
from danvan.core.downloads import file_download
from danvan.core.http import id_or_404, or_404
from danvan.initiatives.api.fields import INITIATIVE_PATH, InitiativeNestedMixin
from danvan.review.api.serializers import (
    AwardDecisionSerializer,
    AwardFilterSerializer,
    AwardFormSerializer,
    AwardProposeSerializer,
    AwardRecogniseSerializer,
    AwardSerializer,
    AwardTitleSerializer,
    CriteriaSetSerializer,
    EvaluationInputSerializer,
    EvaluationSerializer,
    RoundSerializer,
)
from danvan.review.models import (
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    CriteriaSet,
    Evaluation,
    RecipientKind,
    RecognitionLevel,
    RegistrationRound,
)
from danvan.review.selectors import award_list, awards_of, evaluations_of
from danvan.review.services import (
    award_commend,
    award_nominate,
    award_propose,
    award_recognise,
    evaluation_create,
)


@extend_schema_view(
    list=extend_schema(summary="Evaluations of an initiative", parameters=[INITIATIVE_PATH]),
    create=extend_schema(
        summary="Score an initiative against a criteria set (reviewers)",
        parameters=[INITIATIVE_PATH],
        request=EvaluationInputSerializer,
        responses={201: EvaluationSerializer},
    ),
)
class EvaluationViewSet(InitiativeNestedMixin, viewsets.GenericViewSet):
    """Scores against a criteria set; the total is out of 100 and earns the set's grade."""

    serializer_class = EvaluationSerializer
    parser_classes = [JSONParser]
    pagination_class = None
    write_permissions = {"create": "initiative.evaluate"}

    def write_target(self):
        return self.initiative

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        return evaluations_of(initiative=self.initiative).order_by("-created_at", "-id")

    def list(self, request, initiative_pk=None):
        return Response(EvaluationSerializer(self.get_queryset(), many=True).data)

    def create(self, request, initiative_pk=None):
        initiative = self.initiative
        data = EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = evaluation_create(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        fresh = evaluations_of(initiative=initiative).get(pk=evaluation.pk)
        return Response(EvaluationSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Awards of an initiative", parameters=[INITIATIVE_PATH]),
    create=extend_schema(
        summary="Propose an initiative for recognition at a level (reviewers)",
        parameters=[INITIATIVE_PATH],
        request=AwardProposeSerializer,
        responses={201: AwardSerializer},
    ),
)
class InitiativeAwardViewSet(InitiativeNestedMixin, viewsets.GenericViewSet):
    """Proposals and awards of one initiative."""

    serializer_class = AwardSerializer
    parser_classes = [JSONParser]
    pagination_class = None
    write_permissions = {"create": "initiative.award"}

    def write_target(self):
        return self.initiative

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        return awards_of(initiative=self.initiative)

    def list(self, request, initiative_pk=None):
        return Response(AwardSerializer(self.get_queryset(), many=True).data)

    def create(self, request, initiative_pk=None):
        initiative = self.initiative
        data = AwardProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = award_propose(actor=request.user, initiative=initiative, **data.validated_data)
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Awards of the initiatives you may see, newest first",
        parameters=[
            OpenApiParameter("stage", str, enum=AwardStage.values),
            OpenApiParameter("level", str, enum=RecognitionLevel.values),
            OpenApiParameter("recipient_kind", str, enum=RecipientKind.values),
        ],
    ),
    retrieve=extend_schema(summary="One award"),
)
class AwardViewSet(viewsets.GenericViewSet):
    """An award's path: proposed → recognised → nominated to the next level, or commended."""

    serializer_class = AwardSerializer
    parser_classes = [JSONParser]
    write_permissions = {
        "recognise": "initiative.award",
        "nominate": "initiative.award",
        "commend": "initiative.award",
    }

    def write_target(self):
        return self.get_object()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        return award_list(actor=self.request.user)

    def get_object(self) -> Award:
        return or_404(self.get_queryset().get, pk=id_or_404(self.kwargs["pk"]))

    def list(self, request):
        params = AwardFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = self.get_queryset().filter(**params.validated_data)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(AwardSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(AwardSerializer(self.get_object()).data)

    @extend_schema(
        summary="Download the scan of the award's decision",
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        url_path="decision-file",
        renderer_classes=[JSONRenderer, PassthroughRenderer],
    )
    def decision_file(self, request, pk=None):
        return file_download(self.get_object().decision_file)

    @extend_schema(
        summary="Record the decision recognising a proposed award (JSON, or multipart with "
        "the decision's scan)",
        request={
            "application/json": AwardRecogniseSerializer,
            "multipart/form-data": AwardRecogniseSerializer,
        },
        responses=AwardSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def recognise(self, request, pk=None):
        award = self.get_object()
        data = AwardRecogniseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = award_recognise(actor=request.user, award=award, **data.validated_data)
        return Response(AwardSerializer(award).data)

    @extend_schema(
        summary="Nominate a recognised award to the next level; answers the new proposal",
        request=None,
        responses={201: AwardSerializer},
    )
    @action(detail=True, methods=["post"])
    def nominate(self, request, pk=None):
        nomination = award_nominate(actor=request.user, award=self.get_object())
        return Response(AwardSerializer(nomination).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the commendation decision that closes an award's path",
        request=AwardDecisionSerializer,
        responses=AwardSerializer,
    )
    @action(detail=True, methods=["post"])
    def commend(self, request, pk=None):
        award = self.get_object()
        data = AwardDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = award_commend(actor=request.user, award=award, **data.validated_data)
        return Response(AwardSerializer(award).data)


class _Catalogue(mixins.ListModelMixin, viewsets.GenericViewSet):
    # A national or provincial catalogue: listed, never written through the API.
    pass


@extend_schema_view(list=extend_schema(summary="Criteria sets with their criteria and grades"))
class CriteriaSetViewSet(_Catalogue):
    serializer_class = CriteriaSetSerializer
    queryset = CriteriaSet.objects.prefetch_related("criteria", "thresholds").order_by("name", "id")


@extend_schema_view(list=extend_schema(summary="What can be recognised (award titles)"))
class AwardTitleViewSet(_Catalogue):
    serializer_class = AwardTitleSerializer
    queryset = AwardTitle.objects.order_by("code")


@extend_schema_view(list=extend_schema(summary="How it can be recognised (forms of award)"))
class AwardFormViewSet(_Catalogue):
    serializer_class = AwardFormSerializer
    queryset = AwardForm.objects.order_by("code")


@extend_schema_view(list=extend_schema(summary="Registration rounds, newest first"))
class RoundViewSet(_Catalogue):
    serializer_class = RoundSerializer
    queryset = RegistrationRound.objects.order_by("-year", "id")
