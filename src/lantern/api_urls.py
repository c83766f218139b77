"""The JSON API, version 1. Schema at /api/v1/openapi.json."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lantern.accounts import api as accounts_api
from lantern.authz.views import ViewPolicy
from lantern.cases import api as cases_api
from lantern.dedup import api as dedup_api
from lantern.insights import api as insights_api
from lantern.legal import api as legal_api
from lantern.records import api as records_api
from lantern.referrals import api as referrals_api
from lantern.releases import api as releases_api
from lantern.screening import api as screening_api

router = SimpleRouter(trailing_slash=True)
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("handovers", cases_api.HandoverViewSet, basename="handover")
router.register("directory", referrals_api.DirectoryViewSet, basename="directory")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")
router.register("screenings", screening_api.ScreeningViewSet, basename="screening")
router.register("dedup/pairs", dedup_api.PairViewSet, basename="dedup-pair")
router.register("releases", releases_api.ReleaseViewSet, basename="release")


class SchemaView(SpectacularAPIView):
    gate_policy = ViewPolicy(login=False, verified=False)  # the schema describes the API; it holds no data
    permission_classes = []  # noqa: RUF012
    authentication_classes = []  # noqa: RUF012


app_name = "api"
urlpatterns = [
    path("openapi.json", SchemaView.as_view(), {"format": "json"}, name="schema"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("score/", screening_api.ScoreView.as_view(), name="score"),
    *router.urls,
    *cases_api.urlpatterns,
    *referrals_api.urlpatterns,
    *legal_api.urlpatterns,
    *records_api.urlpatterns,
    *insights_api.urlpatterns,
]
