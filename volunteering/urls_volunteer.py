from django.urls import path

from volunteering.views import volunteer as views

app_name = "volunteer"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profil/<slug:step>/", views.profile_step, name="profile_step"),
    path("status/", views.status_change, name="status_change"),
    path("einwilligungen/", views.consents, name="consents"),
    path("meine-daten/", views.privacy, name="privacy"),
    path("meine-daten/export/", views.privacy_export, name="privacy_export"),
    path("meine-daten/konto-loeschen/", views.account_delete, name="account_delete"),
    path("eltern/<str:token>/", views.parental_consent, name="parental_consent"),
]
