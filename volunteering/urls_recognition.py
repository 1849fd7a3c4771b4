"""Recognition: the volunteer's page (hours, milestones, card estimate, letters, nominations) and the
organisation's side (confirming hours, thank-yous, Engagementnachweis, nominations).

Access policies: config/access.py ("# --- Recognition"). Object rules: volunteering/views/recognition.py
answers 404 for entries, milestones and nominations of other people and for other organisations' hours.
"""

from django.urls import path

from volunteering.views import recognition as views

app_name = "recognition"

urlpatterns = [
    # Mein Bereich
    path("mein-bereich/anerkennung/", views.overview, name="overview"),
    path("mein-bereich/anerkennung/stunden/<int:engagement_pk>/", views.hours_log, name="hours_log"),
    path(
        "mein-bereich/anerkennung/eintraege/<int:pk>/loeschen/", views.hours_withdraw, name="hours_withdraw"
    ),
    path("mein-bereich/anerkennung/angaben/", views.recognition_settings, name="settings"),
    path(
        "mein-bereich/anerkennung/meilensteine/<int:pk>/sichtbarkeit/",
        views.milestone_visibility,
        name="milestone_visibility",
    ),
    path("mein-bereich/anerkennung/geschichten/<int:pk>/", views.nomination_answer, name="nomination_answer"),
    path(
        "mein-bereich/anerkennung/stundenbestaetigung/<int:org_pk>/",
        views.hours_confirmation,
        name="hours_confirmation",
    ),
    path("mein-bereich/anerkennung/einladungen/<int:pk>/", views.event_rsvp, name="event_rsvp"),
    path("anerkennung/<slug:slug>/", views.public_badges, name="public_badges"),
    # Organisationsbereich
    path("organisation/<int:org_pk>/stunden/", views.org_hours, name="org_hours"),
    path("organisation/<int:org_pk>/dank/", views.org_thanks, name="org_thanks"),
    path("organisation/<int:org_pk>/dank/<int:pk>/", views.org_thanks_edit, name="org_thanks_edit"),
    path(
        "organisation/<int:org_pk>/engagements/<int:engagement_pk>/nachweis/",
        views.org_certificate,
        name="org_certificate",
    ),
    path(
        "organisation/<int:org_pk>/engagements/<int:engagement_pk>/geschichte/",
        views.org_nominate,
        name="org_nominate",
    ),
]
