from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("cases/<int:pk>/documents/", views.documents, name="documents"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("cases/<int:pk>/summary.pdf", views.case_summary_pdf, name="case_summary_pdf"),
    path("cases/<int:pk>/referral.pdf", views.referral_pdf, name="referral_pdf"),
    path("cases/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path(
        "cases/<int:pk>/subject-access.<str:fmt>",
        views.subject_access_download,
        name="subject_access_download",
    ),
]
