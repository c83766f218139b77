from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/setting/", views.setting, name="setting"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/first-signs/", views.first_signs, name="first_signs"),
    path("<int:pk>/age/", views.age, name="age"),
    path("<int:pk>/questions/<slug:theme_id>/", views.theme, name="theme"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/open-case/", views.open_case, name="open_case"),
]
