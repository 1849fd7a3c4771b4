"""Admin rules of the cms app."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

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
