"""The JSON API, version 1. Schema at /api/v1/openapi.json."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lantern.accounts import api as accounts_api
from lantern.authz.views import ViewPolicy
from lantern.cases import api as cases_api

router = SimpleRouter(trailing_slash=True)
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("cases", cases_api.CaseViewSet, basename="case")


class SchemaView(SpectacularAPIView):
    gate_policy = ViewPolicy(login=False, verified=False)  # the schema describes the API; it holds no data
    permission_classes = []  # noqa: RUF012
    authentication_classes = []  # noqa: RUF012


app_name = "api"
urlpatterns = [
    path("openapi.json", SchemaView.as_view(), {"format": "json"}, name="schema"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    *router.urls,
    *cases_api.urlpatterns,
]
