"""Views of the cms app inside the Wagtail admin (URLs registered in cms/wagtail_hooks.py)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.models import StoryConsent, StoryPage
from cms.services import may_take_offline, story_consent_revoke


def open_consent(story: StoryPage) -> StoryConsent | None:
    """Returns a consent of the story that is not revoked yet, preferably the German original's (the page
    that holds the consent; translations and mirrored aliases carry copies)."""
    german_first = Case(When(page__locale__language_code=settings.LANGUAGE_CODE, then=0), default=1)
    return (
        StoryConsent.objects.filter(page__translation_key=story.translation_key, revoked_at__isnull=True)
        .order_by(german_first, "page__alias_of_id", "sort_order", "pk")
        .first()
    )


@require_http_methods(["GET", "POST"])
def story_consent_revoke_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor records that the portrayed person revoked consent (by phone, letter, in person).

    GET asks for confirmation; POST revokes through the same service as the person's own revocation, so
    the story and all its translations go offline at once. Stories the editor may not take offline: 404.
    """
    story = StoryPage.objects.filter(pk=pk).first()
    if story is None or not may_take_offline(story, request.user):
        raise Http404
    consent = open_consent(story)
    if request.method == "POST" and consent is not None:
        try:
            story_consent_revoke(consent=consent, actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request,
            _("Die Einwilligung ist als widerrufen vermerkt. Die Geschichte „%(title)s“ ist offline.")
            % {"title": story.title},
        )
        return redirect("wagtailadmin_pages:edit", story.pk)
    return render(request, "cms/admin/story_consent_revoke.html", {"story": story, "consent": consent})
