"""The portrayed person's side of a story: revoking the consent takes the story offline; the portrait."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Revision

from cms.models import StoryConsent, StoryPage
from cms.private_files import FOLDER, private_storage
from cms.services import story_consent_revoke


@require_http_methods(["GET", "POST"])
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: asks for confirmation; POST: revokes the consent. 404 unless the person is portrayed."""
    story = StoryPage.objects.filter(pk=pk, portrayed_user=request.user).first()
    if story is None:
        raise Http404
    consent = StoryConsent.objects.filter(page=story, revoked_at__isnull=True).first()
    if request.method == "POST" and consent is not None:
        story_consent_revoke(consent=consent, actor=request.user)
        messages.success(
            request, _("Ihre Einwilligung ist widerrufen. Die Geschichte ist nicht mehr öffentlich.")
        )
        return redirect("volunteer:dashboard")
    return render(request, "cms/story_consent_revoke.html", {"story": story, "consent": consent})


@require_GET
def story_portrait(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Returns a story's portrait (a private file, cms/private_files.py).

    Everyone sees the portrait of a live, public story whose consent holds; editors who may edit the story
    also see it in drafts and previews (any revision's file). Everything else answers 404.
    """
    story = StoryPage.objects.filter(pk=pk).first()
    if story is None or "/" in name:
        raise Http404
    stored = f"{FOLDER}/{name}"
    user = request.user
    is_editor = user.is_authenticated and story.permissions_for_user(user).can_edit()
    consent_holds = (
        not StoryConsent.objects.filter(
            page__translation_key=story.translation_key, revoked_at__isnull=False
        ).exists()
        and story.consents.exists()
    )
    is_current = story.portrait.name == stored
    public = is_current and story.live and consent_holds and not story.get_view_restrictions().exists()
    in_a_revision = Revision.page_revisions.filter(object_id=str(story.pk), content__portrait=stored)
    if not public and not (is_editor and (is_current or in_a_revision.exists())):
        raise Http404
    storage = private_storage()
    if not storage.exists(stored):
        raise Http404
    content_type = "image/png" if stored.endswith(".png") else "image/jpeg"
    response = FileResponse(storage.open(stored, "rb"), content_type=content_type)
    # Revalidated on every view: a revoked consent takes the photo offline at once, also from caches.
    response["Cache-Control"] = "no-cache" if public else "private, no-store"
    return response
