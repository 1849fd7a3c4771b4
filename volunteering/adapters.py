from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sends account emails in the language the person uses the site in."""

    def get_login_redirect_url(self, request):
        """Returns the start page in the language the person was using, unless `next` says otherwise."""
        url = super().get_login_redirect_url(request)
        if url == "/":
            return f"/{translation.get_language()}/"
        return url

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = translation.get_language() or user.preferred_language
        return super().save_user(request, user, form, commit=commit)
