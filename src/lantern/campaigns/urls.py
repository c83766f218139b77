"""Campaign pages under /campaigns/ (the public QR redirect /r/<code>/<lang>/ is in lantern/urls.py)."""

from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns: list = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("materials/", views.materials_library, name="library"),
    path("reach/", views.reach_report, name="reach"),
    path("reach.csv", views.reach_csv, name="reach_csv"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/materials/<str:lang>/<str:fmt>.pdf", views.material_download, name="material"),
]
