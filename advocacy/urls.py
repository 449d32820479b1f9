from django.urls import path

from advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("", views.StatementListView.as_view(), name="list"),
    path("feed/", views.StatementFeed(), name="feed"),
    path("by-subsector/", views.BySubsectorView.as_view(), name="by_subsector"),
    path("mine/", views.MyStatementsView.as_view(), name="mine"),
    path("new/", views.statement_form, name="create"),
    path("rounds/", views.RoundListView.as_view(), name="rounds"),
    path("rounds/<str:slug>/", views.round_detail, name="round"),
    path("rounds/<str:slug>/vote/", views.vote, name="vote"),
    path("rounds/<str:slug>/results/", views.round_results, name="round_results"),
    path("<str:slug>/", views.StatementDetailView.as_view(), name="detail"),
    path("<str:slug>/edit/", views.statement_form, name="edit"),
    path("<str:slug>/preview/", views.preview, name="preview"),
    path("<str:slug>/submit/", views.submit, name="submit"),
    path("<str:slug>/endorse/", views.endorse, name="endorse"),
    path(
        "<str:slug>/endorsements/<int:pk>/withdraw/",
        views.withdraw_endorsement,
        name="withdraw_endorsement",
    ),
    path("<str:slug>/versions/<int:number>/", views.VersionView.as_view(), name="version"),
    path("<str:slug>/changes/", views.ChangesView.as_view(), name="changes"),
]
