"""Actions on one initiative under ``/initiatives/{id}/``: workflow steps, continuing into the
next year, the exemplary mark, replication and the audit timeline; and one workflow step on
many initiatives at once (``/initiatives/transitions/``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.api.parsers import JSONParser
from danvan.core.http import or_404
from danvan.initiatives.api.serializers import InitiativeDetailSerializer, InitiativeSerializer
from danvan.initiatives.api.views import detail_of
from danvan.initiatives.lifecycle import (
    TRANSITIONS,
    allowed_transitions,
    initiative_continue,
    initiative_mark_exemplary,
    initiative_set_replication,
    initiative_transition,
)
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_list, initiative_visible, replication_chain
from danvan.review.api.serializers import (
    BulkResultSerializer,
    BulkTransitionInputSerializer,
    ContinueSerializer,
    ExemplarySerializer,
    ReplicationChainSerializer,
    ReplicationSerializer,
    TimelineEntrySerializer,
    TransitionInputSerializer,
    TransitionSerializer,
)
from danvan.review.bulk import initiatives_transition
from danvan.review.selectors import initiative_timeline


class InitiativeWorkflowViewSet(viewsets.GenericViewSet):
    """Registered on the ``initiatives`` prefix next to ``InitiativeViewSet``: actions only."""

    serializer_class = InitiativeDetailSerializer
    parser_classes = [JSONParser]
    pagination_class = None
    write_permissions = {
        "transitions": tuple(step.permission for step in TRANSITIONS.values()),
        # No single target: the caller must hold some workflow permission; each id is then
        # checked on its own by the lifecycle.
        "bulk_transitions": tuple(step.permission for step in TRANSITIONS.values()),
        "continue_": "initiative.continue",
        "exemplary": "initiative.mark_exemplary",
        "replication": "initiative.replicate",
    }

    def write_target(self):
        if self.action == "bulk_transitions":
            return None
        return self.get_object()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Initiative.objects.none()
        return initiative_list(actor=self.request.user)

    def get_object(self) -> Initiative:
        return or_404(initiative_visible, actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        methods=["get"],
        summary="The workflow steps you may take now",
        responses=TransitionSerializer(many=True),
    )
    @extend_schema(
        methods=["post"],
        summary="Take a workflow step: submit, register, return, start, complete, discontinue",
        request=TransitionInputSerializer,
        responses=InitiativeDetailSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, pk=None):
        initiative = self.get_object()
        if request.method == "GET":
            steps = [
                {
                    "name": step.name,
                    "label": str(step.label),
                    "target": step.target,
                    "needs_reason": step.needs_reason,
                }
                for step in allowed_transitions(actor=request.user, initiative=initiative)
            ]
            return Response(TransitionSerializer(steps, many=True).data)
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = initiative_transition(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        return Response(detail_of(request, initiative))

    @extend_schema(
        summary="Take one workflow step on many initiatives at once",
        description=(
            "Each initiative is checked (scope, state) and recorded on its own, exactly as "
            "one POST …/{id}/transitions/ would. The batch is partial: the steps allowed are "
            "taken, the others refused, and `results` says which and why, one entry per id in "
            "the order given. An id you may not see is answered as missing. A missing reason "
            "for return or discontinue refuses the whole batch (400) before anything changes."
        ),
        request=BulkTransitionInputSerializer,
        responses={200: BulkResultSerializer},
        operation_id="initiatives_bulk_transitions",
    )
    @action(detail=False, methods=["post"], url_path="transitions")
    def bulk_transitions(self, request):
        data = BulkTransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = initiatives_transition(
            actor=request.user,
            ids=values["ids"],
            name=values["action"],
            reason=values.get("reason", ""),
        )
        body = {
            "succeeded": len(result.succeeded),
            "refused": len(result.refused),
            "results": [
                {
                    "id": outcome.id,
                    "code": outcome.code,
                    "ok": outcome.ok,
                    "status": outcome.status,
                    "errors": outcome.errors,
                }
                for outcome in result.outcomes
            ],
        }
        return Response(BulkResultSerializer(body).data)

    @extend_schema(
        summary="Carry the initiative into a later year's round as a linked draft (officers)",
        request=ContinueSerializer,
        responses={201: InitiativeDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="continue")
    def continue_(self, request, pk=None):
        initiative = self.get_object()
        data = ContinueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        successor = initiative_continue(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        return Response(detail_of(request, successor), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark or unmark the initiative as exemplary (reviewers)",
        request=ExemplarySerializer,
        responses=InitiativeDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def exemplary(self, request, pk=None):
        initiative = self.get_object()
        data = ExemplarySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = initiative_mark_exemplary(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        return Response(detail_of(request, initiative))

    @extend_schema(
        summary="Record which initiative this one replicates, or clear it with null",
        request=ReplicationSerializer,
        responses=InitiativeDetailSerializer,
    )
    @action(detail=True, methods=["put", "post"])
    def replication(self, request, pk=None):
        initiative = self.get_object()
        data = ReplicationSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        initiative = initiative_set_replication(
            actor=request.user, initiative=initiative, **data.validated_data
        )
        return Response(detail_of(request, initiative))

    @extend_schema(
        summary="Where the initiative was copied from, and every copy made of it",
        responses=ReplicationChainSerializer,
    )
    @action(detail=True, url_path="replication-chain")
    def replication_chain(self, request, pk=None):
        chain = replication_chain(initiative=self.get_object())
        # Only what the user may read is shown; the chain may cross into other provinces.
        ids = {item.pk for items in chain.values() for item in items}
        visible = initiative_list(actor=request.user).filter(pk__in=ids).in_bulk()
        body = {
            name: InitiativeSerializer(
                [visible[item.pk] for item in items if item.pk in visible], many=True
            ).data
            for name, items in chain.items()
        }
        return Response(body)

    @extend_schema(
        summary="Who changed what and when, newest first",
        responses=TimelineEntrySerializer(many=True),
    )
    @action(detail=True)
    def timeline(self, request, pk=None):
        entries = [
            {
                "at": entry.at,
                "actor": entry.actor,
                "kind": entry.kind,
                "subject": entry.subject,
                "summary": entry.summary,
                "sentence": entry.sentence,
                "changes": [
                    {"field": field, "old": old, "new": new} for field, old, new in entry.changes
                ],
                "history_id": entry.history_id,
            }
            for entry in initiative_timeline(initiative=self.get_object())
        ]
        return Response(TimelineEntrySerializer(entries, many=True).data)
