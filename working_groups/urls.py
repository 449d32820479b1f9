from django.urls import path

from working_groups import views

app_name = "working_groups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("<str:slug>/", views.GroupDetailView.as_view(), name="detail"),
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/requests/<int:pk>/decide/", views.decide, name="decide"),
    path("<str:slug>/meetings/new/", views.meeting_form, name="meeting_create"),
    path("<str:slug>/meetings/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path("<str:slug>/calendar.ics", views.calendar, name="calendar"),
]
