"""The printable side of a campaign: its QR code (SVG) and a poster page."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cms.models import CampaignPage


def _campaign(code: str) -> CampaignPage:
    campaign = CampaignPage.objects.live().public().filter(code=code).first()
    if campaign is None:
        raise Http404
    return campaign.localized


def campaign_link(request: HttpRequest, campaign: CampaignPage) -> str:
    """Returns the absolute link printed on posters: the campaign page with its code."""
    return f"{campaign.get_full_url(request=request)}?kampagne={campaign.code}"


@require_GET
def campaign_qr(request: HttpRequest, code: str) -> HttpResponse:
    """Returns the QR code of the campaign link as SVG."""
    campaign = _campaign(code)
    image = qrcode.make(
        campaign_link(request, campaign),
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=2,
    )
    buffer = BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="kampagne-{campaign.code}.svg"'
    return response


@require_GET
def campaign_poster(request: HttpRequest, code: str) -> HttpResponse:
    """Returns a printable page with the campaign's title, goal, QR code and link."""
    campaign = _campaign(code)
    return render(
        request,
        "cms/campaign_poster.html",
        {"campaign": campaign, "link": campaign_link(request, campaign)},
    )
