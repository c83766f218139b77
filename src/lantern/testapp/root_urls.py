"""The real URLs plus the test-only ones."""

from django.urls import include, path

from lantern.urls import handler403, handler404, handler500  # noqa: F401
from lantern.urls import urlpatterns as real_urlpatterns

urlpatterns = [*real_urlpatterns, path("__test__/", include("lantern.testapp.urls"))]
