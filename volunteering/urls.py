"""URLs of the volunteering app, split by audience. Access policies: config/access.py."""

from django.urls import include, path

from volunteering.views import organisations as organisation_views

urlpatterns = [
    path("", include("volunteering.urls_applications")),
    path("", include("volunteering.urls_needs")),
    path("", include("volunteering.urls_tasters")),
    path("", include("volunteering.urls_letters")),
    path("", include("volunteering.urls_efz")),
    path("", include("volunteering.urls_recognition")),
    path("", include("volunteering.urls_tandems")),
    path("", include("volunteering.urls_trainings")),
    path("mein-bereich/", include("volunteering.urls_volunteer")),
    path("organisation/", include("volunteering.urls_organisation")),
    path("organisationen/<slug:slug>/", organisation_views.public_detail, name="organisation_public"),
]
