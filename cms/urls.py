"""Public URLs of the cms app besides Wagtail's page tree. Access policies: config/access.py."""

from django.urls import path

from cms import views_campaigns

urlpatterns = [
    path("kampagnen/<slug:code>/qr.svg", views_campaigns.campaign_qr, name="campaign_qr"),
    path("kampagnen/<slug:code>/plakat/", views_campaigns.campaign_poster, name="campaign_poster"),
]
