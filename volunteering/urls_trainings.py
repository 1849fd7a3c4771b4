"""Trainings: public sessions and iCal, booking, the person's trainings, the trainer's attendance sheet.
Access policies: config/access.py ("# --- Trainings")."""

from django.urls import path

from volunteering.views import trainings as views

app_name = "trainings"

urlpatterns = [
    path("schulungen/", views.session_list, name="list"),
    path("schulungen/<int:pk>/", views.session_detail, name="session"),
    path("schulungen/<int:pk>/kalender.ics", views.session_ical, name="session_ical"),
    path("schulungen/<int:pk>/buchen/", views.book, name="book"),
    path("schulungen/kalender/<str:token>.ics", views.personal_ical, name="personal_ical"),
    path("mein-bereich/schulungen/", views.mine, name="mine"),
    path("mein-bereich/schulungen/<int:pk>/absagen/", views.cancel, name="cancel"),
    path("mein-bereich/schulungen/kalender-link/", views.feed_token, name="feed_token"),
    path("mein-bereich/schulungen/leitung/", views.trainer_list, name="trainer_list"),
    path("mein-bereich/schulungen/leitung/<int:pk>/", views.trainer_session, name="trainer_session"),
    path("mein-bereich/schulungen/leitung/<int:pk>/anwesenheit/", views.trainer_mark, name="trainer_mark"),
]
