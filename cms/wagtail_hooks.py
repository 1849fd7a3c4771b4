"""Admin rules of the cms app."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from cms.models import StoryConsent, StoryPage


@hooks.register("before_publish_page")
def refuse_stories_without_consent(request, page):
    """A story goes online only while its person's consent stands; a revoked consent keeps it offline.

    Revisions carry a copy of the consent rows, so the revocation is read from the database.
    """
    if not isinstance(page, StoryPage):
        return None
    revoked = StoryConsent.objects.filter(
        page__translation_key=page.translation_key, revoked_at__isnull=False
    ).exists()
    if revoked or not page.consents.exists():
        messages.error(
            request, _("Diese Geschichte kann nicht erscheinen: Es fehlt eine gültige Einwilligung.")
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_urls")
def register_story_admin_urls():
    from cms.views_admin import story_consent_revoke_admin

    return [
        path(
            "geschichten/<int:pk>/einwilligung-widerrufen/",
            story_consent_revoke_admin,
            name="cms_story_consent_revoke",
        )
    ]


class RevokeStoryConsentButton(PageMenuItem):
    """ "Einwilligung widerrufen" in the header menu of a story, for editors who may take it offline."""

    label = gettext_lazy("Einwilligung widerrufen")
    icon_name = "warning"
    priority = 62

    @property
    def url(self):
        return reverse("cms_story_consent_revoke", args=[self.page.pk])

    def is_shown(self, user):
        from cms.services import may_take_offline
        from cms.views_admin import open_consent

        story = self.page.specific_deferred
        return (
            isinstance(story, StoryPage) and may_take_offline(story, user) and open_consent(story) is not None
        )


@hooks.register("register_page_header_buttons")
def story_consent_header_button(page, user, view_name=None, next_url=None):
    yield RevokeStoryConsentButton(page=page)
