"""Lantern's URLs. Every view declares its access policy; the gate middleware refuses any that does not."""

from django.urls import include, path

from lantern.campaigns import views as campaign_views
from lantern.training import views as training_views
from lantern.web import views as web_views

urlpatterns = [
    path("", include("lantern.web.urls")),
    path("accounts/", include("lantern.accounts.urls")),
    path("audit/", include("lantern.audit.urls")),
    path("screening/", include("lantern.screening.urls")),
    path("cases/", include("lantern.cases.urls")),
    path("referrals/", include("lantern.referrals.urls")),
    path("legal/", include("lantern.legal.urls")),
    path("records/", include("lantern.records.urls")),
    path("dedup/", include("lantern.dedup.urls")),
    path("insights/", include("lantern.insights.urls")),
    path("releases/", include("lantern.releases.urls")),
    path("training/", include("lantern.training.urls")),
    path("campaigns/", include("lantern.campaigns.urls")),
    path("r/<str:code>/<str:lang>/", campaign_views.qr_redirect, name="campaign_qr"),  # counts a QR scan
    path("verify/<str:code>/", training_views.verify, name="training_verify"),  # public certificate check
    path("", include("lantern.public.urls")),  # public pages: /p/<lang>/..., /verify/<code>, /r/<code>
    path("api/v1/", include("lantern.api_urls", namespace="api")),
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    path("healthz", web_views.healthz, name="healthz"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("readyz", web_views.readyz, name="readyz"),
]

handler403 = "lantern.web.views.permission_denied"
handler404 = "lantern.web.views.page_not_found"
handler500 = "lantern.web.views.server_error"
