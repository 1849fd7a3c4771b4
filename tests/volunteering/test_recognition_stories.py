"""Story nominations: a consent request first; a draft story only after consent; revoking unpublishes it."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from tests.volunteering.recognition_world import make_engagement
from volunteering.models import NominationStatus, StoryNomination
from volunteering.services import recognition as services

NOMINATION = "Lena begleitet seit zwei Jahren Familien zu Ämtern.\nSie ist immer da, wenn es brennt."


@pytest.fixture
def story_model():
    return apps.get_model("cms", "StoryPage")


@pytest.fixture
def nomination(site_tree, volunteer, organisation, org_member):
    make_engagement(volunteer, organisation)
    return services.nomination_create(
        actor=org_member, volunteer=volunteer, organisation=organisation, text=NOMINATION
    )


def test_a_nomination_asks_the_volunteer_and_creates_no_story(nomination, volunteer, story_model):
    assert nomination.status == NominationStatus.ASKED
    assert Notification.objects.filter(kind="recognition.nomination", recipient=volunteer).exists()
    assert not story_model.objects.filter(portrayed_user=volunteer).exists()


def test_consent_creates_an_unpublished_draft_under_the_story_index(nomination, volunteer, story_model):
    services.nomination_answer(volunteer=volunteer, nomination=nomination, consent=True)
    nomination.refresh_from_db()
    story = story_model.objects.get(pk=nomination.story_page_id)
    assert story.live is False
    assert story.portrayed_user == volunteer
    assert story.get_parent().specific_class.__name__ == "StoryIndexPage"
    assert "Familien zu Ämtern" in story.intro
    assert "immer da" in str(story.body)
    assert story.consents.filter(revoked_at__isnull=True).count() == 1
    assert story.get_latest_revision() is not None


def test_declining_creates_no_story(nomination, volunteer, story_model):
    services.nomination_answer(volunteer=volunteer, nomination=nomination, consent=False)
    assert StoryNomination.objects.get().status == NominationStatus.DECLINED
    assert not story_model.objects.filter(portrayed_user=volunteer).exists()


def test_revoking_unpublishes_the_published_story(nomination, volunteer, story_model):
    services.nomination_answer(volunteer=volunteer, nomination=nomination, consent=True)
    nomination.refresh_from_db()
    story = story_model.objects.get(pk=nomination.story_page_id)
    story.save_revision().publish()  # the editors publish it
    assert story_model.objects.get(pk=story.pk).live
    services.nomination_revoke(volunteer=volunteer, nomination=nomination)
    story = story_model.objects.get(pk=story.pk)
    assert story.live is False
    assert story.consents.filter(revoked_at__isnull=True).count() == 0
    assert StoryNomination.objects.get().status == NominationStatus.REVOKED


def test_only_the_nominated_person_answers(nomination, outsider):
    with pytest.raises(PermissionDenied):
        services.nomination_answer(volunteer=outsider, nomination=nomination, consent=True)


def test_an_organisation_nominates_only_its_own_volunteers(
    site_tree, volunteer, other_organisation, other_org_member
):
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=other_org_member, volunteer=volunteer, organisation=other_organisation, text=NOMINATION
        )


def test_a_coordinator_nominates_without_an_organisation(site_tree, volunteer, coordinator):
    nomination = services.nomination_create(actor=coordinator, volunteer=volunteer, text=NOMINATION)
    assert nomination.organisation is None


def test_a_second_open_nomination_is_refused(nomination, volunteer, org_member, organisation):
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=org_member, volunteer=volunteer, organisation=organisation, text="Noch einmal"
        )
