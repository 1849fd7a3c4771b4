"""Canary sweep of recognition (QUALITY.md 4): a volunteer's notes, reasons, nomination text and badges
never appear on the pages of another organisation, of another volunteer or of the public."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.volunteering.recognition_world import make_engagement
from volunteering.services import recognition

MARKER = "canary-anerkennung-4711"
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_tree, volunteer, organisation, org_member, other_organisation, other_org_member):
    volunteer.last_name = MARKER
    volunteer.save()
    engagement = make_engagement(volunteer, organisation, starts_on=timezone.localdate() - timedelta(days=90))
    day = timezone.localdate() - timedelta(days=1)
    first, second, _waiting = recognition.hours_log(
        volunteer=volunteer,
        engagement=engagement,
        lines=[
            recognition.HoursLine(day, 600, f"{MARKER} Notiz"),
            recognition.HoursLine(day, 60),
            recognition.HoursLine(day, 30),
        ],
    )
    recognition.hours_confirm(actor=org_member, organisation=organisation, entry_ids=[first.pk])
    recognition.hours_reject(
        actor=org_member, organisation=organisation, entry_ids=[second.pk], reason=f"{MARKER} Grund"
    )
    recognition.nomination_create(
        actor=org_member, volunteer=volunteer, organisation=organisation, text=f"{MARKER} Vorschlag"
    )
    recognition.certificate_issue(
        actor=org_member,
        engagement=engagement,
        area="Sprachcafé",
        period_from=engagement.starts_on,
        period_to=day,
        scope="wöchentlich",
        description=f"{MARKER} Beschreibung",
        thanks="Danke",
    )
    return organisation, other_organisation


def _pages(client, organisation_id):
    paths = [
        f"/de/organisation/{organisation_id}/stunden/",
        f"/de/organisation/{organisation_id}/dank/",
        f"/de/organisation/{organisation_id}/engagements/",
        "/de/mein-bereich/anerkennung/",
        "/de/mein-bereich/",
        "/de/benachrichtigungen/",
    ]
    return "".join(client.get(path).content.decode() for path in paths)


def test_another_organisation_sees_nothing_of_the_volunteer(client, world, other_org_member):
    _organisation, other = world
    client.force_login(other_org_member)
    pages = _pages(client, other.pk) + _pages(client, _organisation.pk)  # the foreign one answers 404
    assert MARKER not in pages


def test_another_volunteer_sees_nothing(client, world):
    organisation, _other = world
    client.force_login(UserFactory(email="andere@example.org"))
    assert MARKER not in _pages(client, organisation.pk)


def test_the_public_sees_nothing(client, world):
    organisation, _other = world
    assert MARKER not in _pages(client, organisation.pk)
    assert MARKER not in client.get("/de/anerkennung/unbekannt/").content.decode()


def test_the_own_organisation_and_the_volunteer_do_see_it(client, world, volunteer, org_member):
    organisation, _other = world
    client.force_login(org_member)
    assert MARKER in client.get(f"/de/organisation/{organisation.pk}/stunden/").content.decode()
    client.force_login(volunteer)
    page = client.get("/de/mein-bereich/anerkennung/").content.decode()
    assert f"{MARKER} Grund" in page and f"{MARKER} Vorschlag" in page
