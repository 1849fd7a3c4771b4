"""The organisation area: registering, the person's organisations, members, invitations.

Access policies: config/access.py ("# --- Organisations"). The public page of a verified organisation is
in volunteering/urls.py ("organisation_public").
"""

from django.urls import path

from volunteering.views import organisations as views

app_name = "organisation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("registrieren/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/mitglieder/", views.members, name="members"),
    path("<int:pk>/mitglieder/<int:membership_pk>/rolle/", views.membership_role, name="membership_role"),
    path(
        "<int:pk>/mitglieder/<int:membership_pk>/entfernen/",
        views.membership_delete,
        name="membership_remove",
    ),
    path("<int:pk>/einladen/", views.invite, name="invite"),
    path("einladung/<str:token>/", views.accept_invitation, name="invitation_accept"),
]
