"""eFZ records (§72a SGB VIII): the organisation area and Mein Bereich. Access policies: config/access.py."""

from django.urls import path

from volunteering.views import efz as views

app_name = "efz"

urlpatterns = [
    path("mein-bereich/fuehrungszeugnis/", views.mine, name="mine"),
    path("organisation/<int:pk>/fuehrungszeugnisse/", views.organisation_list, name="organisation_list"),
    path(
        "organisation/<int:pk>/fuehrungszeugnisse/<int:application_pk>/erfassen/",
        views.organisation_record,
        name="organisation_record",
    ),
    path(
        "organisation/<int:pk>/fuehrungszeugnisse/eintrag/<int:record_pk>/nicht-begonnen/",
        views.organisation_not_started,
        name="organisation_not_started",
    ),
    path(
        "organisation/<int:pk>/fuehrungszeugnisse/<int:application_pk>/bestaetigung/",
        views.organisation_confirmation,
        name="organisation_confirmation",
    ),
]
