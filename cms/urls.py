"""Public URLs of the cms app besides Wagtail's page tree. Access policies: config/access.py."""

from django.urls import path

from cms import views_campaigns, views_search, views_stories
from cms.feeds import StoryFeed

urlpatterns = [
    path("kampagnen/<slug:code>/qr.svg", views_campaigns.campaign_qr, name="campaign_qr"),
    path("kampagnen/<slug:code>/plakat/", views_campaigns.campaign_poster, name="campaign_poster"),
    path("feeds/geschichten.xml", StoryFeed(), name="stories_feed"),
    path("suche/", views_search.search, name="site_search"),
    path("geschichten-fotos/<int:pk>/<str:name>", views_stories.story_portrait, name="story_portrait"),
    path(
        "mein-bereich/geschichten/<int:pk>/einwilligung-widerrufen/",
        views_stories.consent_revoke,
        name="story_consent_revoke",
    ),
]
