from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("cases/<int:pk>/", views.track, name="track"),
    path("cases/<int:pk>/lawyer/", views.assign_lawyer, name="assign_lawyer"),
    path("cases/<int:pk>/non-punishment/", views.non_punishment, name="non_punishment"),
    path(
        "cases/<int:pk>/proceedings/<int:proceeding_pk>/hearings/new/",
        views.add_hearing,
        name="add_hearing",
    ),
    path("cases/<int:pk>/<slug:part>/new/", views.add_item, name="add"),
    path("cases/<int:pk>/<slug:part>/<int:item_pk>/", views.edit_item, name="edit"),
]
