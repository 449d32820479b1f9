from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("staff-enrolment/", views.enrolment, name="enrolment"),
    path("staff-enrolment/done/", views.enrolment_done, name="enrolment_done"),
    path("staff-enrolment/<str:token>/", views.enrol, name="enrol"),
    path("calendar/", views.calendar_links, name="calendar"),
]
