from django.urls import path

from . import views

app_name = "dedup"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("run/", views.run_now, name="run"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="decide"),
    path("pairs/<int:pk>/undo/", views.pair_undo, name="undo"),
]
