from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("organisations/", views.OrganisationListView.as_view(), name="list"),
    path("organisations/register/", views.register, name="register"),
    path("organisations/register/similar/", views.similar_organisations, name="similar"),
    path("organisations/<uslug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("organisations/<uslug:slug>/edit/", views.edit_profile, name="edit"),
    path("organisations/<uslug:slug>/verify/", views.verify_profile, name="verify"),
    path("organisations/<uslug:slug>/join/", views.ask_to_join, name="join"),
    path("organisations/<uslug:slug>/users/", views.OrganisationUsersView.as_view(), name="users"),
    path("organisations/<uslug:slug>/export.json", views.export_own_data, name="export_own_data"),
    path("organisations/<uslug:slug>/users/invite/", views.invite, name="invite"),
    path(
        "organisations/<uslug:slug>/invitations/<int:pk>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organisations/<uslug:slug>/users/<int:pk>/role/", views.change_role, name="change_role"),
    path(
        "organisations/<uslug:slug>/users/<int:pk>/remove/", views.remove_user, name="remove_user"
    ),
    path(
        "organisations/<uslug:slug>/requests/<int:pk>/decide/",
        views.decide_request,
        name="decide_request",
    ),
]
