"""Applications: applying for a need, the volunteer's applications, the organisation's inbox.

Access policies: config/access.py ("# --- Applications"). Object rules: the two helpers in
volunteering/views/applications.py answer 404 for foreign applications.
"""

from django.urls import path

from volunteering.views import applications as views

app_name = "application"

urlpatterns = [
    path("einsaetze/<int:pk>/bewerben/", views.apply, name="apply"),
    # Mein Bereich
    path("mein-bereich/bewerbungen/", views.mine, name="mine"),
    path("mein-bereich/bewerbungen/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mein-bereich/bewerbungen/<int:pk>/nachricht/", views.mine_message, name="mine_message"),
    path("mein-bereich/bewerbungen/<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    # Organisationsbereich
    path("organisation/<int:org_pk>/bewerbungen/", views.inbox, name="inbox"),
    path("organisation/<int:org_pk>/bewerbungen/export.csv", views.export, name="export"),
    path("organisation/<int:org_pk>/bewerbungen/<int:pk>/", views.detail, name="detail"),
    path("organisation/<int:org_pk>/bewerbungen/<int:pk>/kontakt/", views.contact, name="contact"),
    path("organisation/<int:org_pk>/bewerbungen/<int:pk>/zusagen/", views.accept, name="accept"),
    path("organisation/<int:org_pk>/bewerbungen/<int:pk>/absagen/", views.decline, name="decline"),
    path("organisation/<int:org_pk>/bewerbungen/<int:pk>/nachricht/", views.message, name="message"),
    path("organisation/<int:org_pk>/engagements/", views.engagements, name="engagements"),
    path("organisation/<int:org_pk>/textbausteine/", views.templates, name="templates"),
    path("organisation/<int:org_pk>/textbausteine/<int:pk>/", views.template_edit, name="template_edit"),
    path(
        "organisation/<int:org_pk>/textbausteine/<int:pk>/loeschen/",
        views.template_delete,
        name="template_delete",
    ),
]
