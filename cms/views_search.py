"""The site search: live, public pages of the active language (German where untranslated) and public needs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

MAX_QUERY = 120
MAX_RESULTS = 20


def _pages(text: str):
    language = translation.get_language() or "de"
    locales = Locale.objects.filter(language_code__in={language, Locale.get_default().language_code})
    # Only live pages that anyone may see: private (restricted) and unpublished pages never appear.
    pages = Page.objects.live().public().filter(locale__in=locales, depth__gt=1)
    # Aliases mirror German pages into other language trees; the German original is listed instead.
    return [page for page in pages.specific().search(text)[: MAX_RESULTS * 2] if not page.alias_of_id][
        :MAX_RESULTS
    ]


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    from volunteering.selectors.needs import NeedQuery, search_page

    text = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    pages, needs = [], []
    if text:
        pages = _pages(text)
        needs = search_page(NeedQuery(text=text)).needs[:MAX_RESULTS]
    return render(request, "cms/search.html", {"query": text, "pages": pages, "needs": needs})
