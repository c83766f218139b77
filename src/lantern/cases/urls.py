from django.urls import path

from . import dashboard, handover_views, views, workflow_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/record/<slug:section>/", views.case_section, name="section"),
    path("<int:pk>/emergency/", views.emergency, name="emergency"),
    path("<int:pk>/consents/", workflow_views.consents, name="consents"),
    path("<int:pk>/consents/<int:consent_pk>/revoke/", workflow_views.revoke_consent, name="revoke_consent"),
    path("<int:pk>/refer/", workflow_views.refer, name="refer"),
    path("<int:pk>/stage/", workflow_views.change_stage, name="stage"),
    path("<int:pk>/decision/", workflow_views.decision, name="decision"),
    path("<int:pk>/owner/", handover_views.assign, name="assign"),
    path("<int:pk>/handover/", handover_views.propose, name="handover"),
    path("handovers/<int:pk>/", handover_views.answer, name="handover_answer"),
]
