from django.urls import path

from working_groups import views

app_name = "working_groups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("<uslug:slug>/", views.GroupDetailView.as_view(), name="detail"),
    path("<uslug:slug>/join/", views.join, name="join"),
    path("<uslug:slug>/leave/", views.leave, name="leave"),
    path("<uslug:slug>/requests/<int:pk>/decide/", views.decide, name="decide"),
    path("<uslug:slug>/meetings/new/", views.meeting_form, name="meeting_create"),
    path("<uslug:slug>/meetings/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path("<uslug:slug>/meetings/<int:pk>/cancel/", views.cancel_meeting, name="meeting_cancel"),
    path("<uslug:slug>/meetings/<int:pk>/answer/", views.answer_meeting, name="meeting_answer"),
    path("<uslug:slug>/calendar.ics", views.calendar, name="calendar"),
]
