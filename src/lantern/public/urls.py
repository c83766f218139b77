"""Public pages under /p/ (other apps' public addresses, /verify/ and /r/, are theirs)."""

from django.urls import path

from . import staff_views, views

app_name = "public"
urlpatterns: list = [
    path("p/", views.choose_language, name="choose_language"),
    path("p/<str:lang>/", views.home, name="home"),
    path("p/<str:lang>/rights/", views.rights_page, name="rights"),
    path("p/<str:lang>/rights/<str:country>/", views.rights_page, name="rights_country"),
    path("p/<str:lang>/help/", views.helplines, name="helplines"),
    path("p/<str:lang>/check/", views.self_check, name="self_check"),
    path("p/<str:lang>/<path:rest>", views.not_found, name="not_found"),
    # For administrators, behind the gate (not a public page): helplines due for a new check.
    path("content/helplines/", staff_views.helplines_review, name="helplines_review"),
]
