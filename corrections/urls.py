from django.urls import path

from corrections import views

app_name = "corrections"

urlpatterns = [
    path("organisations/<uslug:slug>/suggest/", views.suggest, name="suggest"),
    path("organisations/<uslug:slug>/corrections/", views.correction_list, name="list"),
    path(
        "organisations/<uslug:slug>/corrections/<int:pk>/",
        views.correction_detail,
        name="detail",
    ),
]
