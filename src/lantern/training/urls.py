from django.urls import path

from . import views

app_name = "training"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("modules/<slug:module_id>/", views.module_detail, name="module"),
    path("modules/<slug:module_id>/quiz/", views.start_quiz, name="start_quiz"),
    path("attempts/<uuid:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<uuid:attempt_id>/result/", views.attempt_result, name="result"),
    path("certificates/<int:certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("practice/", views.practice_list, name="practice_list"),
    path("practice/<slug:case_id>/", views.practice_case, name="practice_case"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage_csv"),
]
