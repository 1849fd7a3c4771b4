"""Who may see each URL: one registry for every URL pattern of the site, enforced by middleware.

Every URL name (ours, allauth's, Wagtail's public views) is listed in `URL_ACCESS`; the two admin areas,
whose views carry their own permission checks, are covered by prefix in `PREFIX_ACCESS`. A test walks the
URL resolver and fails on any pattern that is not classified here (tests/config/test_access_registry.py).

The middleware enforces the coarse rule (signed in? holds the role?) before a view runs. Object rules
("is this need of the person's organisation?") live in one helper per area and answer 404.
"""

from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_LINK = "signed-link"  # anyone holding a signed, expiring token from an email
    LOGIN = "login"  # any signed-in person; object rules in the view
    ORGANISATION = "organisation"  # members of at least one organisation; objects of their organisations
    COORDINATION = "coordination"  # coordinators (whole district or their towns), with two-factor login
    WAGTAIL_ADMIN = "wagtail-admin"  # Wagtail's own permission checks; staff roles need two-factor login
    SUPERUSER = "superuser"  # the Django admin
    DEVELOPMENT = "development"  # exists only with MAILBOX_ENABLED (never in production)


PREFIX_ACCESS: dict[str, Access] = {
    "admin/": Access.WAGTAIL_ADMIN,
    "django-admin/": Access.SUPERUSER,
}

URL_ACCESS: dict[str, Access] = {
    # --- Infrastructure
    "healthz": Access.PUBLIC,
    "robots_txt": Access.PUBLIC,
    "sitemap": Access.PUBLIC,
    "favicon": Access.PUBLIC,
    "wagtail_serve": Access.PUBLIC,  # Wagtail applies page privacy (PageViewRestriction) itself
    "wagtailcore_authenticate_with_password": Access.PUBLIC,
    "wagtailcore_login": Access.PUBLIC,
    "wagtaildocs_serve": Access.PUBLIC,  # Wagtail applies collection privacy itself
    "wagtaildocs_authenticate_with_password": Access.PUBLIC,
    # --- Accounts (django-allauth)
    "account_login": Access.PUBLIC,
    "account_logout": Access.PUBLIC,
    "account_inactive": Access.PUBLIC,
    "account_signup": Access.PUBLIC,
    "account_email_verification_sent": Access.PUBLIC,
    "account_confirm_email": Access.SIGNED_LINK,
    "account_reset_password": Access.PUBLIC,
    "account_reset_password_done": Access.PUBLIC,
    "account_reset_password_from_key": Access.SIGNED_LINK,
    "account_reset_password_from_key_done": Access.PUBLIC,
    "account_request_login_code": Access.PUBLIC,
    "account_confirm_login_code": Access.PUBLIC,  # allauth keeps the pending login in the session
    "account_reauthenticate": Access.LOGIN,
    "account_email": Access.LOGIN,
    "account_change_password": Access.LOGIN,
    "account_set_password": Access.LOGIN,
    "mfa_authenticate": Access.PUBLIC,  # the second step of a login in progress (session-bound)
    "mfa_index": Access.LOGIN,
    "mfa_reauthenticate": Access.LOGIN,
    "mfa_activate_totp": Access.LOGIN,
    "mfa_deactivate_totp": Access.LOGIN,
    "mfa_view_recovery_codes": Access.LOGIN,
    "mfa_generate_recovery_codes": Access.LOGIN,
    "mfa_download_recovery_codes": Access.LOGIN,
    "usersessions_list": Access.LOGIN,
    # --- Mein Bereich (volunteers; every view works on the signed-in person's own data)
    "volunteer:dashboard": Access.LOGIN,
    "volunteer:profile_step": Access.LOGIN,
    "volunteer:status_change": Access.LOGIN,
    "volunteer:consents": Access.LOGIN,
    "volunteer:privacy": Access.LOGIN,
    "volunteer:privacy_export": Access.LOGIN,
    "volunteer:account_delete": Access.LOGIN,
    "volunteer:parental_consent": Access.SIGNED_LINK,
    # --- Organisations (object rules: volunteering.views.organisations._get_organisation_for_member → 404)
    "organisation:register": Access.LOGIN,
    "organisation:dashboard": Access.ORGANISATION,
    "organisation:detail": Access.ORGANISATION,
    "organisation:edit": Access.ORGANISATION,  # admins of that organisation
    "organisation:members": Access.ORGANISATION,  # admins of that organisation
    "organisation:membership_role": Access.ORGANISATION,  # admins of that organisation
    "organisation:membership_remove": Access.ORGANISATION,  # admins of that organisation
    "organisation:invite": Access.ORGANISATION,  # admins of that organisation
    "organisation:invitation_accept": Access.SIGNED_LINK,  # accepting needs the invited, verified address
    "organisation_public": Access.PUBLIC,  # verified organisations only
    # --- Applications (object rules: volunteering.views.applications, one 404 helper per side)
    "application:apply": Access.LOGIN,  # published needs only
    "application:mine": Access.LOGIN,  # the person's own applications
    "application:mine_detail": Access.LOGIN,
    "application:mine_message": Access.LOGIN,
    "application:withdraw": Access.LOGIN,
    "application:inbox": Access.ORGANISATION,  # members of the organisation
    "application:export": Access.ORGANISATION,
    "application:detail": Access.ORGANISATION,
    "application:contact": Access.ORGANISATION,
    "application:accept": Access.ORGANISATION,
    "application:decline": Access.ORGANISATION,
    "application:message": Access.ORGANISATION,
    "application:engagements": Access.ORGANISATION,
    "application:templates": Access.ORGANISATION,  # admins of that organisation
    "application:template_edit": Access.ORGANISATION,  # admins of that organisation
    "application:template_delete": Access.ORGANISATION,  # admins of that organisation
    # --- Needs (object rules: volunteering.views.needs._get_need_for_member → 404; the public sees
    # published needs of verified organisations only, members of the organisation also their drafts)
    "needs:search": Access.PUBLIC,
    "needs:detail": Access.PUBLIC,
    "needs:save": Access.LOGIN,  # public needs only
    "needs:unsave": Access.LOGIN,  # the person's own bookmarks
    "needs:saved": Access.LOGIN,
    "needs:recommendations": Access.LOGIN,
    "needs:editor_list": Access.ORGANISATION,  # members of that organisation
    "needs:editor_create": Access.ORGANISATION,
    "needs:editor_edit": Access.ORGANISATION,
    "needs:editor_publish": Access.ORGANISATION,  # verified organisations only (the service says why)
    "needs:editor_pause": Access.ORGANISATION,
    "needs:editor_fill": Access.ORGANISATION,
    "needs:editor_close": Access.ORGANISATION,
    "needs:editor_review": Access.ORGANISATION,
    "needs:editor_duplicate": Access.ORGANISATION,
    # --- Taster offers (object rules: volunteering.views.tasters; bookings are the person's own, the
    # organisation's side answers 404 for other organisations; proposals by admins only)
    "tasters:book": Access.LOGIN,  # live, public offers only
    "tasters:ical": Access.PUBLIC,  # live, public, upcoming offers only
    "tasters:mine": Access.LOGIN,
    "tasters:cancel": Access.LOGIN,
    "tasters:organisation_list": Access.ORGANISATION,
    "tasters:organisation_detail": Access.ORGANISATION,
    "tasters:organisation_attendance": Access.ORGANISATION,
    "tasters:propose": Access.ORGANISATION,  # admins of that organisation
    # --- Trainings (object rules: volunteering.views.trainings; bookings are the person's own, an
    # attendance sheet is open to the session's trainer and coordinators of its town, 404 for others)
    "trainings:list": Access.PUBLIC,
    "trainings:session": Access.PUBLIC,  # sessions of active trainings only
    "trainings:session_ical": Access.PUBLIC,
    "trainings:book": Access.LOGIN,
    "trainings:personal_ical": Access.SIGNED_LINK,  # a secret, rotatable token; a wrong one answers 404
    "trainings:mine": Access.LOGIN,
    "trainings:cancel": Access.LOGIN,
    "trainings:feed_token": Access.LOGIN,
    "trainings:trainer_list": Access.LOGIN,  # the person's own sessions as trainer
    "trainings:trainer_session": Access.LOGIN,  # trainer of that session or coordinator of its town
    "trainings:trainer_mark": Access.LOGIN,
    # --- Tandems (object rules: volunteering.views.tandems._get_own_tandem → 404 for tandems proposed to
    # someone else; the coordinators' side: Wagtail admin, volunteering/views/tandems_coordination.py)
    "tandems:request": Access.PUBLIC,  # honeypot and rate limit per address
    "tandems:request_done": Access.PUBLIC,
    "tandems:request_withdraw": Access.SIGNED_LINK,  # the newcomer's own request, signed token
    "tandems:mine": Access.LOGIN,  # the person's own tandems only
    "tandems:mine_detail": Access.LOGIN,
    "tandems:accept": Access.LOGIN,
    "tandems:decline": Access.LOGIN,
    "tandems:check_in": Access.LOGIN,
    "tandems:evaluate": Access.LOGIN,
    # --- Recognition (object rules: volunteering.views.recognition — the person's own entries, milestones
    # and nominations; organisation members only their organisation's hours, thanks and engagements → 404)
    "recognition:overview": Access.LOGIN,
    "recognition:hours_log": Access.LOGIN,  # the person's own engagements only
    "recognition:hours_withdraw": Access.LOGIN,
    "recognition:settings": Access.LOGIN,
    "recognition:milestone_visibility": Access.LOGIN,
    "recognition:nomination_answer": Access.LOGIN,
    "recognition:hours_confirmation": Access.LOGIN,  # the person's own confirmed hours per organisation
    "recognition:event_rsvp": Access.LOGIN,  # the person's own invitations
    "recognition:public_badges": Access.PUBLIC,  # only badges the person chose to show
    "recognition:org_hours": Access.ORGANISATION,  # members of that organisation
    "recognition:org_thanks": Access.ORGANISATION,
    "recognition:org_thanks_edit": Access.ORGANISATION,
    "recognition:org_certificate": Access.ORGANISATION,
    "recognition:org_nominate": Access.ORGANISATION,
    # --- Letters (object rules: volunteering.letters.access — the person the letter is about, admins of the
    # issuing organisation, coordinators of the towns; 404 for everyone else). Verification is rate limited.
    "letters:verify_form": Access.PUBLIC,
    "letters:verify": Access.PUBLIC,  # shows only what the letter states
    "letters:download": Access.LOGIN,
    "letters:revoke": Access.LOGIN,  # admins of the issuing organisation, coordinators of the towns
    "letters:mine": Access.LOGIN,  # the person's own letters
    "letters:release_request": Access.LOGIN,  # the person's own registrations and engagements
    "letters:training_certificate": Access.LOGIN,  # the person's own attended registrations
    # --- eFZ records (§72a SGB VIII; object rules: volunteering.views.efz — admins of that organisation,
    # applications to it only; every view is audited. Coordinators: Wagtail admin, admin_efz.py)
    "efz:mine": Access.LOGIN,
    "efz:organisation_list": Access.ORGANISATION,
    "efz:organisation_record": Access.ORGANISATION,
    "efz:organisation_not_started": Access.ORGANISATION,
    "efz:organisation_confirmation": Access.ORGANISATION,
    # --- Campaigns (live, public campaign pages only)
    "campaign_qr": Access.PUBLIC,
    "campaign_poster": Access.PUBLIC,
    # --- Stories
    "stories_feed": Access.PUBLIC,  # live, public stories only
    "site_search": Access.PUBLIC,  # live, public pages and public needs only
    "story_consent_revoke": Access.LOGIN,  # the portrayed person only (404 for everyone else)
    "story_portrait": Access.PUBLIC,  # live story with consent; else only its editors (404 for everyone else)
    # --- Notifications (each view works on the signed-in person's own entries and settings)
    "notifications:inbox": Access.LOGIN,
    "notifications:mark_read": Access.LOGIN,
    "notifications:mark_all_read": Access.LOGIN,
    "notifications:preferences": Access.LOGIN,
    "notifications:unsubscribe": Access.SIGNED_LINK,  # one person, one category, signed and expiring
    # --- Development only
    "dev_mailbox": Access.DEVELOPMENT,
    "dev_mailbox_message": Access.DEVELOPMENT,
}


def access_for(route: str, view_name: str | None) -> Access | None:
    """Returns the policy of a URL pattern given its full route and view name, or None if unclassified."""
    for prefix, access in PREFIX_ACCESS.items():
        if route.startswith(prefix):
            return access
    if view_name is None:
        return None
    return URL_ACCESS.get(view_name)
