"""Helpers of the taster tests: a published taster offer below the site tree's list of offers."""

from datetime import timedelta

from django.utils import timezone

from cms.models import TasterOfferIndexPage, TasterOfferPage
from volunteering.models import Kommune


def make_offer(organisation, *, capacity: int = 2, starts_in: timedelta = timedelta(days=7), **fields):
    """Returns a live TasterOfferPage of `organisation` (German source page)."""
    index_page = TasterOfferIndexPage.objects.get(locale__language_code="de")
    kommune = organisation.kommunen.first() or Kommune.objects.first()
    values = {
        "title": fields.pop("title", "Sprachcafé ausprobieren"),
        "organisation": organisation,
        "starts_at": timezone.now() + starts_in,
        "place": "Bürgerhaus, Hauptstraße 1",
        "kommune": kommune,
        "capacity": capacity,
        "what_to_expect": "Zwei Stunden Gespräche bei Tee und Keksen.",
        "accessibility": "Stufenloser Zugang.",
    }
    values.update(fields)
    offer = TasterOfferPage(**values)
    index_page.add_child(instance=offer)
    offer.save_revision().publish()
    offer.refresh_from_db()
    return offer
