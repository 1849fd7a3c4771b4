"""Campaign attribution: a sign-up that arrived through a campaign link is counted for that campaign."""

from __future__ import annotations

from volunteering.models import CampaignSignup, User
from volunteering.selectors.campaigns import is_campaign_code


def campaign_signup_record(*, user: User, code: str | None) -> CampaignSignup | None:
    """Returns the attribution of the person's sign-up to campaign `code`, or None for no or unknown codes."""
    if not code or not is_campaign_code(code):
        return None
    signup, _created = CampaignSignup.objects.get_or_create(user=user, defaults={"code": code})
    return signup
