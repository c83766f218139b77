from django.urls import path

from . import views

app_name = "releases"
urlpatterns = [
    path("", views.release_list, name="list"),
    path("new/<str:kind>/", views.release_create, name="create"),
    path("<int:pk>/", views.release_detail, name="detail"),
    path("<int:pk>/approve/", views.release_approve, name="approve"),
    path("<int:pk>/publish/", views.release_publish, name="publish"),
    path("<int:pk>/download/", views.release_download, name="download"),
    path("<int:pk>/report/", views.release_report, name="report"),
]
