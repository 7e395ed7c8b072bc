"""API of people: users and roles for administrators, personal tokens for everyone."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from danvan.accounts.models import ApiToken, Role, RoleAssignment, User
from danvan.accounts.selectors import role_assignments_of, user_list
from danvan.accounts.services import (
    api_token_create,
    api_token_revoke,
    role_assign,
    role_revoke,
    user_create,
)
from danvan.api.fields import IdField
from danvan.api.serializers import InputSerializer
from danvan.areas.models import Area
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_list


class RoleAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "area", "organisation", "nationwide", "created_at"]
        read_only_fields = fields


class RoleAssignmentInputSerializer(InputSerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    area = IdField(queryset=Area.objects.all(), required=False, allow_null=True)
    organisation = IdField(
        queryset=Organisation.objects.all(),
        visible=organisation_list,
        required=False,
        allow_null=True,
    )
    nationwide = serializers.BooleanField(required=False, default=False)


class UserSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "language",
            "is_active",
            "roles",
        ]
        read_only_fields = fields


class UserInputSerializer(InputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True)
    organisation = IdField(
        queryset=Organisation.objects.all(),
        visible=organisation_list,
        required=False,
        allow_null=True,
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, default="vi")


class UserFilterSerializer(serializers.Serializer):
    """The list's query parameters; the schema states them from these fields."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        source="search",
        help_text="Name, user name or e-mail.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Users you administer",
        parameters=[UserFilterSerializer],
    ),
    retrieve=extend_schema(summary="One user you administer"),
    create=extend_schema(
        summary="Create a user (administrators in scope)",
        request=UserInputSerializer,
        responses={201: UserSerializer},
    ),
)
class UserViewSet(viewsets.GenericViewSet):
    serializer_class = UserSerializer
    # Anywhere: which unit the new user or role is for is in the body, checked by the service.
    write_permissions = {
        "create": "user.manage",
        "roles": "user.manage",
        "revoke_role": "user.manage",
    }

    def get_queryset(self):
        search = ""
        if self.action == "list":
            # Checked like any input: a NUL character, for one, must be a 400, not a 500.
            # As a plain dict, like every list's filters: a value is read as given (here an
            # empty ``q`` is an empty search), never as absent the way DRF reads a form.
            params = UserFilterSerializer(data=self.request.query_params.dict())
            params.is_valid(raise_exception=True)
            search = params.validated_data.get("search", "")
        return user_list(actor=self.request.user, search=search).prefetch_related(
            "role_assignments"
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(UserSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(UserSerializer(self.get_object()).data)

    def create(self, request):
        data = UserInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = user_create(actor=request.user, **data.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["get"], summary="A user's roles", responses=RoleAssignmentSerializer(many=True)
    )
    @extend_schema(
        methods=["post"],
        summary="Give a user a role",
        request=RoleAssignmentInputSerializer,
        responses={201: RoleAssignmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def roles(self, request, pk=None):
        user = self.get_object()
        if request.method == "GET":
            assignments = role_assignments_of(actor=request.user, user=user)
            return Response(RoleAssignmentSerializer(assignments, many=True).data)
        data = RoleAssignmentInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        assignment = role_assign(actor=request.user, user=user, **data.validated_data)
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Take a role away", request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"roles/(?P<role_id>[0-9]{1,18})")
    def revoke_role(self, request, pk=None, role_id=None):
        user = self.get_object()
        assignment = role_assignments_of(actor=request.user, user=user).get(pk=role_id)
        role_revoke(actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown only once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=100)


@extend_schema_view(
    list=extend_schema(summary="Your API tokens"),
    create=extend_schema(
        summary="Create a token (its key is shown only in this answer)",
        request=ApiTokenInputSerializer,
        responses={201: ApiTokenCreatedSerializer},
    ),
    destroy=extend_schema(summary="Revoke a token", responses={204: None}),
)
class ApiTokenViewSet(viewsets.GenericViewSet):
    """Personal tokens act exactly as their user, with the same scopes."""

    serializer_class = ApiTokenSerializer
    throttle_scope = "tokens"

    def get_throttles(self):
        # Creating tokens is rate limited; listing and revoking are not.
        return [ScopedRateThrottle()] if self.action == "create" else []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    def create(self, request):
        data = ApiTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(actor=request.user, name=data.validated_data["name"])
        body = ApiTokenSerializer(token).data | {"key": key}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        api_token_revoke(actor=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
