from django.urls import path

from . import directory_views, plan_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/send/", views.referral_send, name="send"),
    path("<int:pk>/answer/", views.referral_answer, name="answer"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:pk>/close/", views.referral_close, name="close"),
    path("case/<int:case_pk>/", plan_views.support_plan, name="support_plan"),
    path("case/<int:case_pk>/new/", views.referral_create, name="create"),
    path("case/<int:case_pk>/needs/new/", plan_views.need_create, name="need_create"),
    path("needs/<int:pk>/edit/", plan_views.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("directory/", directory_views.directory, name="directory"),
    path("directory/new/", directory_views.offer_create, name="offer_create"),
    path("directory/<int:pk>/edit/", directory_views.offer_edit, name="offer_edit"),
]
