"""Response policies that depend on the area of the site."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

# The Wagtail admin and the Django admin rely on inline styles and scripts (rich-text editor, StreamField
# widgets, the Django admin's inline JS). They are used only by authenticated staff with MFA, so they get
# this relaxed policy instead of the strict nonce-based one of the public site. It still forbids plugins,
# framing, foreign hosts, and changing the base URL.
ADMIN_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
}
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
logger = logging.getLogger(__name__)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 in the admin areas stays a 404.

    Django retries a 404 with the language prefix added. Wagtail's catch-all page route under every
    prefix makes any such path look valid, so an admin object that does not exist, or that the person may
    not see, would answer with a redirect to `/de/admin/…` instead of 404. The admin areas have no
    language prefix.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path.startswith(ADMIN_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class AdminContentSecurityPolicyMiddleware:
    """Gives the admin areas their relaxed Content-Security-Policy (see ADMIN_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIXES):
            response._csp_config = ADMIN_POLICY
        return response


class PrivatePagesNoStoreMiddleware:
    """Marks every response to a logged-in user as not storable by browsers and proxies.

    Personal pages must never end up in a shared cache or the browser's back/forward history of a
    shared computer (a library, a counselling office).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


class RememberLanguageMiddleware:
    """Remembers the language of the last page visited, so that `/` and redirects keep it.

    The URL prefix decides the language of a page; this cookie only answers "which prefix?" for
    addresses without one (the bare domain, a login redirect to `/`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        response = self.get_response(request)
        prefix = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
        if (
            prefix in self.codes
            and prefix == translation.get_language()
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != prefix
            and response.status_code == 200
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                prefix,
                max_age=365 * 24 * 60 * 60,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
            )
        return response


class AccessPolicyMiddleware:
    """Enforces the access policy that config.access declares for every URL, before the view runs.

    Unclassified URLs answer 404 (fail closed). Staff roles are sent to set up two-factor login before
    they can use their area.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from config.access import Access, access_for
        from volunteering.selectors import roles

        match = request.resolver_match
        access = access_for(match.route, match.view_name)
        if access is None:
            logger.error("URL without access policy: %s", match.view_name or match.route)
            raise Http404
        if access in (Access.PUBLIC, Access.SIGNED_LINK, Access.SUPERUSER):
            return None
        if access is Access.DEVELOPMENT:
            if not settings.MAILBOX_ENABLED:
                raise Http404
            return None

        user = request.user
        needs_mfa_here = access in (Access.WAGTAIL_ADMIN, Access.COORDINATION) or (
            access is Access.ORGANISATION and user.is_authenticated and roles.is_organisation_admin(user)
        )
        if user.is_authenticated and needs_mfa_here and roles.requires_mfa(user):
            if not roles.has_mfa(user):
                messages.warning(
                    request,
                    _(
                        "Ihre Rolle gibt Ihnen Zugriff auf Daten anderer Menschen. "
                        "Bitte richten Sie zuerst die Anmeldung in zwei Schritten ein; "
                        "das dauert zwei Minuten."
                    ),
                )
                return redirect(f"/{translation.get_language()}/konto/2fa/totp/activate/?next={request.path}")
            if not roles.used_mfa_in_session(request):
                # Set up, but this session was opened without it (e.g. right after setting it up).
                return redirect(
                    f"/{translation.get_language()}/konto/2fa/reauthenticate/?next={request.path}"
                )
        if access is Access.WAGTAIL_ADMIN:
            return None  # Wagtail checks its own permissions and sends strangers to its login
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access is Access.LOGIN:
            return None
        if access is Access.ORGANISATION and not roles.is_organisation_member(user):
            raise PermissionDenied
        if access is Access.COORDINATION and not roles.is_coordinator(user):
            raise PermissionDenied
        return None
