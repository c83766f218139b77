from django.urls import path

from . import views

urlpatterns = [path("dossiers/<int:pk>/", views.dossier_detail, name="testapp-dossier")]
