from django.urls import path

from knowledge_bank import views

app_name = "knowledge_bank"

urlpatterns = [
    path("", views.ResourceListView.as_view(), name="list"),
    path("new/", views.resource_form, name="resource_create"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", views.programme_form, name="programme_create"),
    path("programmes/<int:pk>/edit/", views.programme_form, name="programme_edit"),
    path("programmes/<int:pk>/close/", views.close_programme, name="programme_close"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "exports/organisations.<str:fmt>",
        views.export_organisations,
        name="export_organisations",
    ),
    path("exports/programmes.<fmt>", views.export_programmes, name="export_programmes"),
    path("series/", views.ReportSeriesListView.as_view(), name="series_list"),
    path("series/<uslug:slug>/", views.ReportSeriesDetailView.as_view(), name="series"),
    path("series/<uslug:slug>/feed/", views.ReportSeriesFeed(), name="series_feed"),
    path("<uslug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    path("<uslug:slug>/edit/", views.resource_form, name="resource_edit"),
    path("<uslug:slug>/download/", views.download, name="download"),
]
