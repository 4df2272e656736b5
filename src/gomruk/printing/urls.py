"""Mounted at ``/verify/`` (the address printed in the QR code)."""

from django.urls import path

from gomruk.printing import views

app_name = "printing"

urlpatterns = [
    path("<uuid:declaration_id>/", views.verify, name="verify"),
]
