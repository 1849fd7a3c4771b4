"""Helpers of the application tests: a published need of an organisation, volunteers of a given age."""

from django.utils import timezone

from tests.factories import UserFactory
from volunteering.models import ActivityType, Handlungsfeld, Kommune, Need, NeedStatus


def make_need(organisation, **fields) -> Need:
    """Returns a published need of `organisation` in its first town (or Verl)."""
    kommune = organisation.kommunen.first() or Kommune.objects.get(name="Verl")
    values = {
        "title": "Hausaufgabenhilfe",
        "description": "Kinder bei den Hausaufgaben begleiten.",
        "tasks": "Zuhören, erklären, ermutigen.",
        "limits": "Keine Nachhilfe in Prüfungsfächern.",
        "handlungsfeld": Handlungsfeld.objects.first(),
        "activity_type": ActivityType.objects.first(),
        "kommune": kommune,
        "status": NeedStatus.PUBLISHED,
        "published_at": timezone.now(),
        "volunteers_wanted": 2,
        "min_age": 16,
    }
    values.update(fields)
    return Need.objects.create(organisation=organisation, **values)


def make_volunteer(email: str | None = None, *, age: int = 30, **fields):
    fields.setdefault("birth_year", timezone.localdate().year - age)
    return UserFactory(**({"email": email} if email else {}), **fields)
