"""Letters: public verification, downloads, the volunteer's letters. Access policies: config/access.py."""

from django.urls import path

from volunteering.views import letters as views

app_name = "letters"

urlpatterns = [
    path("nachweis/", views.verify_form, name="verify_form"),
    path("nachweis/<str:code>/", views.verify, name="verify"),
    path("schreiben/<int:pk>/pdf/", views.download, name="download"),
    path("schreiben/<int:pk>/widerrufen/", views.revoke, name="revoke"),
    path("mein-bereich/schreiben/", views.mine, name="mine"),
    path("mein-bereich/schreiben/freistellung/", views.release_request, name="release_request"),
    path(
        "mein-bereich/schreiben/teilnahme/<int:registration_pk>/",
        views.training_certificate,
        name="training_certificate",
    ),
]
