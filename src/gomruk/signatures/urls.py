"""The Asan İmza simulator; the project mounts it at /asan-simulator/."""

from django.urls import path

from gomruk.signatures import views

app_name = "asan_simulator"

urlpatterns = [
    path("", views.simulator, name="phone"),
    path("<uuid:transaction_id>/<str:action>/", views.simulator_answer, name="answer"),
]
