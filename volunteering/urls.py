"""URLs of the volunteering app, split by audience. Access policies: config/access.py."""

from django.urls import include, path

urlpatterns = [
    path("mein-bereich/", include("volunteering.urls_volunteer")),
    path("organisation/", include("volunteering.urls_organisation")),
]
