"""Helpers of the application tests: a published need of an organisation, volunteers of a given age."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import UserFactory
from volunteering.models import ActivityType, Handlungsfeld, Kommune, Need, NeedStatus


def make_need(organisation, **fields) -> Need:
    """Returns a public need of `organisation` in its first town (or Verl); the organisation is verified,
    because only verified organisations' needs are public."""
    if organisation.status != "verified":
        type(organisation).objects.filter(pk=organisation.pk).update(status="verified")
        organisation.status = "verified"
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
        "expires_on": timezone.localdate() + timedelta(days=90),
        "volunteers_wanted": 2,
        "min_age": 16,
    }
    values.update(fields)
    return Need.objects.create(organisation=organisation, **values)


def make_volunteer(email: str | None = None, *, age: int = 30, **fields):
    fields.setdefault("birth_year", timezone.localdate().year - age)
    return UserFactory(**({"email": email} if email else {}), **fields)
