from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("past/", views.EventListView.as_view(past=True), name="past"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("<uslug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<uslug:slug>/register/", views.register, name="register"),
    path("<uslug:slug>/registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<uslug:slug>/materials/<int:pk>/", views.material, name="material"),
]
