from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("two-factor/", views.two_factor_step, name="two_factor"),
    path("sign-out/", views.sign_out, name="logout"),
    path("session/extend/", views.extend_session, name="extend_session"),
    path("account/", views.account, name="account"),
    path("people/", views.user_list, name="user_list"),
    path("people/new/", views.user_create, name="user_create"),
    path("people/<int:pk>/", views.user_edit, name="user_edit"),
    path("people/<int:pk>/reset-second-factor/", views.reset_second_factor, name="reset_second_factor"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
