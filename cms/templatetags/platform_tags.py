"""Template tags of the site's frame: language switcher, home link, footer links."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

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


def _languages(context) -> list[dict]:
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "direction": "rtl" if code in settings.LANGUAGES_BIDI else "ltr",
            "url": _page_url_in(page if isinstance(page, Page) else None, code, request),
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
    request = context.get("request")
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
