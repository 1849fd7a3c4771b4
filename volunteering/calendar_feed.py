"""The iCalendar feed of upcoming taster offers (for town websites and calendar apps)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from notifications import clock


def offers_to_ical(offers: Iterable, *, request=None) -> bytes:
    """Returns the offers as an iCalendar document (one VEVENT each, times in UTC)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//Schnupperangebote//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Schnupperangebote")
    stamp = clock.now()
    for offer in offers:
        event = Event()
        event.add("uid", f"taster-offer-{offer.pk}@{settings.SITE_URL.split('://')[-1].split('/')[0]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", offer.starts_at)
        if offer.ends_at:
            event.add("dtend", offer.ends_at)
        event.add("summary", offer.title)
        event.add("location", f"{offer.place}, {offer.kommune.name}")
        event.add("description", offer.what_to_expect)
        url = offer.get_full_url(request=request)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
