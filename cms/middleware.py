"""Remembers the campaign a visitor came from (`?kampagne=<code>`), for the sign-up and applications."""

from volunteering.selectors.campaigns import CODE_PATTERN, is_campaign_code

SESSION_KEY = "campaign_code"


class CampaignCodeMiddleware:
    """Stores a valid campaign code from the query string in the session; nothing else is tracked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.GET.get("kampagne", "")
        if (
            request.method == "GET"
            and code
            and CODE_PATTERN.match(code)
            and request.session.get(SESSION_KEY) != code
            and is_campaign_code(code)
        ):
            request.session[SESSION_KEY] = code
        return self.get_response(request)
