"""The cache of anonymous page views (cms/cache.py): served from the cache, never for logged-in visitors,
never with preview or draft content, purged by publishing and by a change of a taster offer's seats."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import ngettext

from cms.models import StandardPage
from tests.cms.taster_world import make_offer
from tests.volunteering.applications_world import make_volunteer
from volunteering.services.tasters import taster_book, taster_cancel

pytestmark = pytest.mark.django_db


def _seats(response) -> str:
    return re.search(r'<p class="kern-body" id="seats">(.*?)</p>', response.content.decode()).group(1)


def _fragment_keys() -> list[str]:
    """The cached template fragments, whichever backend runs the tests (local memory or Redis)."""
    store = cache._cache
    if isinstance(store, dict):  # local memory
        return [key for key in store if "template.cache." in key]
    client = store.get_client(None)  # Redis
    return [key.decode() for key in client.keys("*template.cache.*")]


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def offer(site_tree, organisation):
    return make_offer(organisation, capacity=1, title="Gartenprojekt ausprobieren")


def test_a_second_anonymous_view_is_served_from_the_cache(client, offer):
    first, first_queries = _get(client, offer.url)
    second, second_queries = _get(client, offer.url)

    assert second.content == first.content
    assert _fragment_keys()
    # The seats, the organisation and the town come from the cache: no query touches them.
    assert any("volunteering_tastersignup" in sql for sql in first_queries)
    assert not any("volunteering_tastersignup" in sql for sql in second_queries)
    assert not any("volunteering_organisation" in sql for sql in second_queries)
    assert len(second_queries) < len(first_queries)


@pytest.mark.parametrize("path", ["/de/", "/de/schnuppern/", "/de/geschichten/", "/de/impressum/"])
def test_other_page_types_are_cached_for_anonymous_visitors(client, offer, path):
    _first, first_queries = _get(client, path)
    _second, second_queries = _get(client, path)

    assert len(second_queries) < len(first_queries)


def test_the_start_page_runs_no_list_or_figure_queries_when_cached(client, offer):
    _get(client, "/de/")
    _response, queries = _get(client, "/de/")

    for table in ("volunteering_need", "volunteering_volunteerprofile", "cms_tasterofferpage"):
        assert not any(table in sql for sql in queries), table


def test_logged_in_views_are_never_cached(client, offer):
    person = make_volunteer()
    client.force_login(person)

    _get(client, offer.url)
    _second, second_queries = _get(client, offer.url)
    _get(client, "/de/")
    _home, home_queries = _get(client, "/de/")

    assert _fragment_keys() == []
    assert any("volunteering_tastersignup" in sql for sql in second_queries)
    assert any("volunteering_volunteerprofile" in sql for sql in home_queries)


def test_a_logged_in_visitor_never_gets_an_anonymous_entry(client, offer):
    anonymous = type(client)()
    _get(anonymous, offer.url)
    person = make_volunteer()
    client.force_login(person)

    response, _queries = _get(client, offer.url)

    assert "Jetzt buchen" in response.content.decode()
    assert "Konto anlegen und buchen" not in response.content.decode()


def test_preview_and_draft_content_never_reach_the_anonymous_cache(client, offer, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    offer.title = "Entwurf: noch geheim"
    offer.save_revision()  # a draft, not published
    draft = offer.get_latest_revision_as_object()
    # A preview rendered for a request without a logged-in user (the strictest case: only the
    # preview flag protects the cache).
    request = RequestFactory().get(offer.url)
    request.user = AnonymousUser()
    preview_request = draft.make_preview_request(original_request=request)
    assert "Entwurf: noch geheim" in preview_request.content.decode()
    assert _fragment_keys() == []

    response, _queries = _get(client, offer.url)
    again = draft.make_preview_request(original_request=request)

    assert "Entwurf: noch geheim" not in response.content.decode()
    assert "Gartenprojekt ausprobieren" in response.content.decode()
    assert "Entwurf: noch geheim" in again.content.decode()
    response, _queries = _get(client, offer.url)
    assert "Entwurf: noch geheim" not in response.content.decode()


def test_publishing_purges_the_page_and_the_lists_that_show_it(
    client, offer, organisation, django_capture_on_commit_callbacks
):
    imprint = StandardPage.objects.get(locale__language_code="de", slug="impressum")
    _get(client, imprint.url)
    home, _queries = _get(client, "/de/")
    assert "Neues Repair-Café" not in home.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        imprint.intro = "Neu veröffentlichter Text."
        imprint.save_revision().publish()
        make_offer(organisation, title="Neues Repair-Café")

    page, _queries = _get(client, imprint.url)
    home, _queries = _get(client, "/de/")
    assert "Neu veröffentlichter Text." in page.content.decode()
    assert "Neues Repair-Café" in home.content.decode()


def test_unpublishing_purges_the_lists(client, offer, django_capture_on_commit_callbacks):
    home, _queries = _get(client, "/de/")
    assert "Gartenprojekt ausprobieren" in home.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        offer.unpublish()

    home, _queries = _get(client, "/de/")
    assert "Gartenprojekt ausprobieren" not in home.content.decode()
    assert client.get(offer.url).status_code == 404


def test_an_offer_filling_up_shows_as_full_to_the_next_anonymous_visitor(
    client, offer, django_capture_on_commit_callbacks
):
    before, _queries = _get(client, offer.url)
    assert "Noch 1 von 1 Plätzen frei." in before.content.decode()

    first, second = make_volunteer(), make_volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        signup = taster_book(offer=offer, user=first)
    full, _queries = _get(client, offer.url)
    assert "Alle Plätze sind vergeben. 0 Personen stehen auf der Warteliste." in full.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        taster_book(offer=offer, user=second)
    waiting, _queries = _get(client, offer.url)
    assert "Alle Plätze sind vergeben. 1 Person steht auf der Warteliste." in waiting.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        taster_cancel(signup=signup, actor=first)
    promoted, _queries = _get(client, offer.url)
    assert "Alle Plätze sind vergeben. 0 Personen stehen auf der Warteliste." in promoted.content.decode()


def test_a_rolled_back_booking_purges_nothing(client, offer, django_capture_on_commit_callbacks):
    _get(client, offer.url)
    generation = cache.get(f"cms:offer:{offer.pk}:seats")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        taster_book(offer=offer, user=make_volunteer())

    assert callbacks  # the purge waits for the commit …
    assert cache.get(f"cms:offer:{offer.pk}:seats") == generation  # … and never ran without one


def test_translated_pages_share_the_offer_generation(client, offer, django_capture_on_commit_callbacks):
    from cms.demo_content import seed_language_trees
    from cms.models import TasterOfferPage

    seed_language_trees()  # the offer mirrored into every language, as on the real site
    alias = TasterOfferPage.objects.get(translation_key=offer.translation_key, locale__language_code="uk")
    before, _queries = _get(client, alias.url)
    _get(client, alias.url)

    with django_capture_on_commit_callbacks(execute=True):
        taster_book(offer=offer, user=make_volunteer())

    after, _queries = _get(client, alias.url)
    assert _seats(after) != _seats(before)
    with translation.override("uk"):
        assert _seats(after) == ngettext(
            "Alle Plätze sind vergeben. %(waiting)s Person steht auf der Warteliste.",
            "Alle Plätze sind vergeben. %(waiting)s Personen stehen auf der Warteliste.",
            0,
        ) % {"waiting": 0}


def test_the_home_page_is_cached_per_language(client, offer):
    german, _queries = _get(client, "/de/")
    arabic, _queries = _get(client, "/ar/")

    assert german.content != arabic.content
    assert 'lang="ar"' in arabic.content.decode()


def test_the_frames_language_links_come_from_the_cache_for_anonymous_visitors(client, offer):
    _first, first_queries = _get(client, "/de/schnuppern/")
    _second, second_queries = _get(client, "/de/schnuppern/")

    def locale_queries(queries):
        return sum("wagtailcore_locale" in sql for sql in queries)

    assert locale_queries(first_queries) > 8  # every language looked up
    assert locale_queries(second_queries) <= 2


def test_a_new_translation_appears_in_the_cached_language_links(
    client, offer, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    before, _queries = _get(client, offer.url)
    with django_capture_on_commit_callbacks(execute=True):
        translation = offer.copy_for_translation(Locale.objects.get(language_code="uk"), copy_parents=True)
        translation.title = "Садовий проєкт"
        translation.slug = "sadovyi-proekt"
        translation.save_revision().publish()

    after, _queries = _get(client, offer.url)
    assert "sadovyi-proekt" not in before.content.decode()
    assert "sadovyi-proekt" in after.content.decode()
