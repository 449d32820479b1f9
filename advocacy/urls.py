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
    path("rounds/<uslug:slug>/", views.round_detail, name="round"),
    path("rounds/<uslug:slug>/vote/", views.vote, name="vote"),
    path("rounds/<uslug:slug>/results/", views.round_results, name="round_results"),
    path("<uslug:slug>/", views.StatementDetailView.as_view(), name="detail"),
    path("<uslug:slug>/edit/", views.statement_form, name="edit"),
    path("<uslug:slug>/preview/", views.preview, name="preview"),
    path("<uslug:slug>/submit/", views.submit, name="submit"),
    path("<uslug:slug>/endorse/", views.endorse, name="endorse"),
    path(
        "<uslug:slug>/endorsements/<int:pk>/withdraw/",
        views.withdraw_endorsement,
        name="withdraw_endorsement",
    ),
    path("<uslug:slug>/versions/<int:number>/", views.VersionView.as_view(), name="version"),
    path("<uslug:slug>/changes/", views.ChangesView.as_view(), name="changes"),
]
