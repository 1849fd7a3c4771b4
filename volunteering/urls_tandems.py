"""Tandems: the public request form and the volunteer's side in Mein Bereich.
Access policies: config/access.py ("# --- Tandems"). The coordinators' side is in the Wagtail admin
(volunteering/views/tandems_coordination.py)."""

from django.urls import path

from volunteering.views import tandems as views

app_name = "tandems"

urlpatterns = [
    path("tandem/anfrage/", views.request_form, name="request"),
    path("tandem/anfrage/danke/", views.request_done, name="request_done"),
    path("tandem/anfrage/zurueckziehen/<str:token>/", views.request_withdraw, name="request_withdraw"),
    path("mein-bereich/tandems/", views.mine, name="mine"),
    path("mein-bereich/tandems/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mein-bereich/tandems/<int:pk>/zusagen/", views.accept, name="accept"),
    path("mein-bereich/tandems/<int:pk>/absagen/", views.decline, name="decline"),
    path("mein-bereich/tandems/<int:pk>/rueckmeldung/<int:number>/", views.check_in, name="check_in"),
    path("mein-bereich/tandems/<int:pk>/bewertung/", views.evaluate, name="evaluate"),
]
