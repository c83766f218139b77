from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eurostat/", views.eurostat, name="eurostat"),
    path("export/ctdc.csv", views.export_ctdc, name="export_ctdc"),
    path("export/<slug:table_id>.<slug:fmt>", views.export_table, name="export"),
]
