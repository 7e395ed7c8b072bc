"""``/api/v1/``: every app's viewsets on one router, the schema and its documentation."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from danvan.accounts.api import ApiTokenViewSet, UserViewSet
from danvan.areas.api import AreaViewSet
from danvan.imports.api import ImportBatchViewSet
from danvan.initiatives.api import (
    ContributionViewSet,
    EvidenceViewSet,
    IndicatorViewSet,
    InitiativeViewSet,
    ResultViewSet,
)
from danvan.orgs.api import OrganisationViewSet
from danvan.reports.api import ReportViewSet
from danvan.review.api import (
    AwardFormViewSet,
    AwardTitleViewSet,
    AwardViewSet,
    CriteriaSetViewSet,
    EvaluationViewSet,
    InitiativeAwardViewSet,
    InitiativeWorkflowViewSet,
    RoundViewSet,
)
from danvan.stats.api import StatsViewSet


class Router(SimpleRouter):
    """Ids in paths are plain ASCII digits that fit a database column: any other text ("²",
    "٣", a 30-digit number) matches no route and answers 404 before a view runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = ID_PATTERN


ID_PATTERN = "[0-9]{1,18}"
router = Router()
router.register("areas", AreaViewSet, basename="area")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("initiatives", InitiativeViewSet, basename="initiative")
# Workflow, replication and timeline actions on the same ``/initiatives/{id}/`` paths.
router.register("initiatives", InitiativeWorkflowViewSet, basename="initiative-review")
NESTED = rf"initiatives/(?P<initiative_pk>{ID_PATTERN})"
router.register(f"{NESTED}/contributions", ContributionViewSet, basename="contribution")
router.register(f"{NESTED}/results", ResultViewSet, basename="result")
router.register(f"{NESTED}/evidence", EvidenceViewSet, basename="evidence")
router.register(f"{NESTED}/evaluations", EvaluationViewSet, basename="evaluation")
router.register(f"{NESTED}/awards", InitiativeAwardViewSet, basename="initiative-award")
router.register("imports", ImportBatchViewSet, basename="import")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("awards", AwardViewSet, basename="award")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteria-set")
router.register("award-titles", AwardTitleViewSet, basename="award-title")
router.register("award-forms", AwardFormViewSet, basename="award-form")
router.register("rounds", RoundViewSet, basename="round")
router.register("reports", ReportViewSet, basename="report")
router.register("stats", StatsViewSet, basename="stats")

# Swagger UI and ReDoc start from inline scripts and styles of their own templates, and ReDoc
# runs a worker from a blob; their pages hold no data, so only they may (still nothing from
# elsewhere).
DOCS_POLICY = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
}


def docs_policy(view):
    """``view`` with the policy relaxed for its inline code, enforced or report-only."""
    return csp_update(DOCS_POLICY)(csp_update(DOCS_POLICY, REPORT_ONLY=True)(view))


urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        docs_policy(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        # Our template: the stock one loads Google Fonts, and nothing here comes from a CDN.
        docs_policy(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-redoc",
    ),
]
