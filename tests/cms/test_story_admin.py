"""Editors record a story's revoked consent in the Wagtail admin: a header action with confirmation that
uses the revocation service (the story and its translations go offline)."""

import pytest

from cms.models import StoryConsent, StoryPage
from tests.cms.test_stories import make_story

pytestmark = pytest.mark.django_db


def _url(story) -> str:
    return f"/admin/geschichten/{story.pk}/einwilligung-widerrufen/"


def test_the_story_editor_offers_the_revocation(client, site_tree, editor):
    story = make_story("Hatice hilft")
    client.force_login(editor)

    response = client.get(f"/admin/pages/{story.pk}/edit/")

    assert response.status_code == 200
    assert _url(story) in response.content.decode()


def test_other_page_types_have_no_such_action(client, site_tree, editor):
    client.force_login(editor)

    response = client.get(f"/admin/pages/{site_tree.pk}/edit/")

    assert "einwilligung-widerrufen" not in response.content.decode()


def test_the_editor_confirms_and_the_story_goes_offline_everywhere(
    client, site_tree, editor, django_capture_on_commit_callbacks
):
    from cms.demo_content import seed_language_trees

    story = make_story("Hatice hilft")
    seed_language_trees()  # the story mirrored into the other languages
    mirrored = StoryPage.objects.filter(translation_key=story.translation_key, live=True).count()
    assert mirrored > 1
    anonymous = type(client)()
    assert anonymous.get(story.url).status_code == 200  # cached for anonymous visitors now
    client.force_login(editor)

    confirm = client.get(_url(story))
    assert confirm.status_code == 200
    assert "Hatice K." in confirm.content.decode()
    assert story.consents.get().revoked_at is None  # GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(story))

    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{story.pk}/edit/"
    assert StoryPage.objects.filter(translation_key=story.translation_key, live=True).count() == 0
    assert StoryConsent.objects.get(page=story).revoked_at is not None
    assert anonymous.get(story.url).status_code == 404
    assert "Hatice hilft" not in anonymous.get("/de/geschichten/").content.decode()
    # Afterwards the action is gone (publishing again needs a new consent: cms/wagtail_hooks.py).
    assert _url(story) not in client.get(f"/admin/pages/{story.pk}/edit/").content.decode()


def test_staff_without_rights_on_stories_get_404(client, site_tree, coordinator):
    story = make_story("Hatice hilft")
    client.force_login(coordinator)

    assert client.get(_url(story)).status_code == 404
    assert client.post(_url(story)).status_code == 404
    assert StoryPage.objects.get(pk=story.pk).live
    assert story.consents.get().revoked_at is None


def test_people_outside_the_admin_are_sent_to_the_login(client, site_tree, volunteer):
    story = make_story("Hatice hilft")
    client.force_login(volunteer)

    response = client.post(_url(story))

    assert response.status_code in (302, 403)
    assert StoryPage.objects.get(pk=story.pk).live


def test_a_draft_story_can_be_marked_as_revoked_too(client, site_tree, editor):
    story = make_story("Noch nicht erschienen")
    story.unpublish()
    client.force_login(editor)

    response = client.post(_url(story))

    assert response.status_code == 302
    assert story.consents.get().revoked_at is not None
