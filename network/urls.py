from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.MembershipView.as_view(), name="membership"),
    path(
        "code-of-conduct/<int:version>/",
        views.CodeOfConductView.as_view(),
        name="conduct_version",
    ),
]
