from django.urls import path

from gomruk.border import views

app_name = "border"

urlpatterns = [
    path("goods/", views.goods, name="goods"),
    path("goods/<uuid:arrival_id>/declare/", views.declare, name="declare"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("arrivals/new/", views.register, name="register"),
]
