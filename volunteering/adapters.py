from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Connects allauth to the platform: language of emails, what sign-up records, where login leads."""

    def get_login_redirect_url(self, request):
        """Returns the person's area in the language they were using, unless `next` says otherwise."""
        url = super().get_login_redirect_url(request)
        if url == "/":
            return f"/{translation.get_language()}/mein-bereich/"
        return url

    def save_user(self, request, user, form, commit=True):
        from volunteering.services.people import person_signup_complete

        user.preferred_language = translation.get_language() or user.preferred_language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_signup_complete(
                user=user,
                birth_year=form.cleaned_data["birth_year"],
                parent_email=form.cleaned_data.get("parent_email") or None,
                consent_kinds=form.consent_kinds,
            )
            from volunteering.services.campaigns import campaign_signup_record

            campaign_signup_record(user=user, code=request.session.get("campaign_code"))
        return user
