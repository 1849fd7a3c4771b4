"""Taster offers: booking, the person's bookings, the organisation's side, the iCal feed.
Access policies: config/access.py ("# --- Taster offers")."""

from django.urls import path

from volunteering.views import tasters as views

app_name = "tasters"

urlpatterns = [
    path("schnuppern/<int:pk>/buchen/", views.book, name="book"),
    path("schnuppern/kalender.ics", views.ical, name="ical"),
    path("mein-bereich/schnuppern/", views.mine, name="mine"),
    path("mein-bereich/schnuppern/<int:pk>/absagen/", views.cancel, name="cancel"),
    path("organisation/<int:org_pk>/schnuppern/", views.organisation_list, name="organisation_list"),
    path("organisation/<int:org_pk>/schnuppern/vorschlagen/", views.propose, name="propose"),
    path(
        "organisation/<int:org_pk>/schnuppern/<int:pk>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisation/<int:org_pk>/schnuppern/<int:pk>/teilnahme/<int:signup_pk>/",
        views.organisation_attendance,
        name="organisation_attendance",
    ),
]
