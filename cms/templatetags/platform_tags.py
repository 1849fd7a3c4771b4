"""Template tags of the site's frame: language switcher, home link, footer links."""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

from cms.cache import pages_generation
from cms.models import StandardPage

register = template.Library()


def _page_url_in(page: Page | None, code: str, request) -> str:
    """Returns the URL of `page` in the language `code`, or the current path translated to it."""
    if page is not None:
        try:
            locale = Locale.objects.get_for_language(code)
        except Locale.DoesNotExist:
            locale = None
        translated = page.get_translation_or_none(locale) if locale else None
        if translated is not None and translated.live:
            return translated.get_url(request=request)
        with translation.override(code):
            url = page.get_url(request=request)
        if url:
            return translate_url(url, code)
    return translate_url(request.path, code)


def _anonymous_cached(context, name: str, compute, *, page: Page | None = None):
    """Returns `compute()`, for anonymous visitors from the page cache (cms/cache.py): the frame's
    language links and footer cost a few dozen queries per view. Keyed like the page fragments (page
    state, site, language, page generation), so publishing purges them; previews and logged-in visitors
    never use it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or user.is_authenticated or getattr(request, "is_preview", False):
        return compute()
    site = Site.find_for_request(request)
    parts = [
        name,
        pages_generation(),
        translation.get_language(),
        site.pk if site else "",
        request.get_host(),
    ]
    if page is not None:
        parts.append(page.cache_key)
    key = "cms:frame:" + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.CMS_PAGE_CACHE_SECONDS)
    return value


def _languages(context) -> list[dict]:
    """The language links of the current page (computed once per request; for anonymous visitors of
    Wagtail pages from the page cache)."""
    request = context["request"]
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    memo = getattr(request, "_cms_languages", None)
    if memo is None:
        if page is None:
            memo = _compute_languages(request, None)
        else:
            memo = _anonymous_cached(
                context, "languages", lambda: _compute_languages(request, page), page=page
            )
        request._cms_languages = memo
    return memo


def _compute_languages(request, page: Page | None) -> list[dict]:
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "direction": "rtl" if code in settings.LANGUAGES_BIDI else "ltr",
            "url": _page_url_in(page, code, request),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    languages = _languages(context)
    current = next((lang for lang in languages if lang["is_current"]), languages[0])
    return {"languages": languages, "current": current}


@register.simple_tag(takes_context=True)
def alternate_language_links(context):
    """Returns `<link rel="alternate" hreflang>` tags for search engines."""
    from django.utils.html import format_html_join

    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        "\n    ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((lang["code"], request.build_absolute_uri(lang["url"])) for lang in _languages(context)),
    )


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    """Returns the URL of the start page in the active language."""
    return f"/{translation.get_language() or settings.LANGUAGE_CODE}/"


@register.simple_tag(takes_context=True)
def footer_pages(context) -> list[dict]:
    """Returns the live text pages marked for the footer, in the active language where translated."""
    return _anonymous_cached(context, "footer", lambda: _footer_pages(context.get("request")))


def _footer_pages(request) -> list[dict]:
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    pages = StandardPage.objects.live().public().descendant_of(site.root_page).filter(show_in_footer=True)
    pages = pages.filter(locale=site.root_page.locale).order_by("path")
    links = []
    for page in pages:
        shown = page.localized
        links.append(
            {
                "title": shown.title,
                "lang": shown.locale.language_code,
                "url": _page_url_in(page, translation.get_language(), request),
            }
        )
    return links
