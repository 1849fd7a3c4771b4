"""The portrayed person's side of a story: revoking the consent takes the story offline."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.models import StoryConsent, StoryPage
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
