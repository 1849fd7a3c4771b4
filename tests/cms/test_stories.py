"""Appreciation stories: consent, revocation, photo alt text, filters, the Atom feed."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cms.models import StoryConsent, StoryIndexPage, StoryPage
from cms.services import story_consent_revoke
from tests.volunteering.applications_world import make_volunteer
from volunteering.models import Handlungsfeld, Kommune

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def make_story(title: str, *, published_at=None, user=None, **fields) -> StoryPage:
    index_page = StoryIndexPage.objects.get(locale__language_code="de")
    story = StoryPage(
        title=title,
        portrayed_name=fields.pop("portrayed_name", "Hatice"),
        portrayed_user=user,
        quote="Ich bekomme so viel zurück.",
        intro="Seit drei Jahren begleitet sie Familien zu Ämtern.",
        **fields,
    )
    story.consents = [StoryConsent(given_by="Hatice K.", given_at=date(2026, 9, 1), scope="website")]
    index_page.add_child(instance=story)
    story.save_revision().publish()
    if published_at:
        StoryPage.objects.filter(pk=story.pk).update(first_published_at=published_at)
    return StoryPage.objects.get(pk=story.pk)


def test_the_feed_is_valid_atom_with_the_newest_story_first(client, site_tree):
    now = timezone.now()
    make_story("Älteste", published_at=now - timedelta(days=30))
    make_story("Neueste", published_at=now - timedelta(days=1))
    make_story("Mitte", published_at=now - timedelta(days=10))
    make_story("Entwurf").unpublish()

    response = client.get("/de/feeds/geschichten.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["Neueste", "Mitte", "Älteste"]


def test_private_stories_stay_out_of_the_feed(client, site_tree):
    from wagtail.models import PageViewRestriction

    story = make_story("Geheim")
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    assert b"Geheim" not in client.get("/de/feeds/geschichten.xml").content
    assert "Geheim" not in client.get("/de/geschichten/").text


def test_the_index_filters_by_field_and_town(client, site_tree, reference_data):
    field = Handlungsfeld.objects.first()
    town = Kommune.objects.get(name="Verl")
    make_story("Sprache in Verl", handlungsfeld=field, kommune=town)
    make_story("Woanders")

    response = client.get(f"/de/geschichten/?feld={field.pk}&ort={town.pk}")

    assert "Sprache in Verl" in response.text
    assert "Woanders" not in response.text


def test_a_photo_needs_alt_text_or_the_decorative_flag(site_tree):
    story = StoryPage(title="x", portrayed_name="x", quote="x", intro="x", portrait="story-portraits/x.jpg")

    with pytest.raises(ValidationError):
        story.clean()
    story.photo_is_decorative = True
    story.full_clean(exclude=["path", "depth", "slug", "content_type"])


def test_revoking_consent_takes_the_story_offline(client, site_tree):
    person = make_volunteer()
    story = make_story("Mit Konto", user=person)
    client.force_login(person)

    response = client.post(f"/de/mein-bereich/geschichten/{story.pk}/einwilligung-widerrufen/")

    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.live
    assert story.consents.get().revoked_at is not None
    client.logout()
    assert client.get("/de/geschichten/mit-konto/").status_code == 404


def test_only_the_portrayed_person_revokes_through_their_area(client, site_tree):
    story = make_story("Fremd", user=make_volunteer())
    stranger = make_volunteer()
    client.force_login(stranger)

    assert client.post(f"/de/mein-bereich/geschichten/{story.pk}/einwilligung-widerrufen/").status_code == 404
    with pytest.raises(PermissionDenied):
        story_consent_revoke(consent=story.consents.get(), actor=stranger)


def test_editors_can_revoke_on_the_persons_behalf(site_tree, editor):
    story = make_story("Per Telefon widerrufen")

    story_consent_revoke(consent=story.consents.get(), actor=editor)

    story.refresh_from_db()
    assert not story.live
