"""The need services: drafts and publishing, expiry and review reminders, transitions, bookmarks."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from tests.volunteering.needs_helpers import details, make_need, verify
from volunteering.models import Kommune, Need, NeedStatus, SavedNeed
from volunteering.services.needs import (
    need_close,
    need_duplicate,
    need_mark_filled,
    need_pause,
    need_publish,
    need_review,
    need_update,
    needs_expire,
    saved_need_add,
    saved_need_remove,
    slot_of,
)

pytestmark = pytest.mark.django_db


def review_rows(need):
    return Notification.objects.filter(kind="need.review_due", refs__need=need.pk)


def test_a_new_need_is_a_draft_placed_at_its_town(organisation, org_member):
    need = make_need(organisation, org_member)

    verl = Kommune.objects.get(name="Verl")
    assert need.status == NeedStatus.DRAFT
    assert (need.latitude, need.longitude) == (verl.latitude, verl.longitude)
    assert need.created_by == org_member
    assert list(need.languages.values_list("code", flat=True)) == ["ar"]
    assert "hausaufgabenhilfe" in need.search_text and "verl" in need.search_text


def test_an_unverified_organisation_gets_a_draft_even_when_it_asks_to_publish(organisation, org_member):
    need = make_need(organisation, org_member, publish=True)

    assert need.status == NeedStatus.DRAFT
    with pytest.raises(ValidationError, match="noch nicht geprüft"):
        need_publish(need=need, actor=org_member)
    need.refresh_from_db()
    assert need.status == NeedStatus.DRAFT and need.published_at is None


def test_publishing_sets_the_expiry_and_schedules_a_review_reminder_for_each_admin(
    organisation, org_admin, org_member, settings
):
    settings.NEED_EXPIRY_DAYS = 90
    settings.NEED_REVIEW_NOTICE_DAYS = 7
    verify(organisation)

    need = make_need(organisation, org_member, publish=True)

    today = timezone.localdate()
    assert need.status == NeedStatus.PUBLISHED
    assert need.expires_on == today + timedelta(days=90)
    rows = review_rows(need).filter(status="pending")
    assert {row.recipient for row in rows} == {org_admin}  # admins only, in every channel
    assert all(
        timezone.localtime(row.due_at).date() == today + timedelta(days=83)
        and timezone.localtime(row.due_at).hour == 9
        for row in rows
    )


def test_the_expiry_period_is_a_setting(organisation, org_admin, settings):
    settings.NEED_EXPIRY_DAYS = 30
    verify(organisation)

    need = make_need(organisation, org_admin, publish=True)

    assert need.expires_on == timezone.localdate() + timedelta(days=30)


def test_a_one_off_need_expires_on_its_day_and_knows_its_slot(organisation, org_admin):
    verify(organisation)
    starts = timezone.localtime() + timedelta(days=10)
    starts = starts.replace(hour=18, minute=0, second=0, microsecond=0)

    need = make_need(
        organisation, org_admin, publish=True, schedule_kind="one-off", starts_at=starts, slots=()
    )

    assert need.expires_on == starts.date()
    assert need.slots == [slot_of(starts)] and need.slots[0].endswith("-evening")


def test_a_one_off_need_needs_a_start_before_its_end(organisation, org_admin):
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        make_need(
            organisation,
            org_admin,
            schedule_kind="one-off",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_need(organisation, org_admin, schedule_kind="one-off", starts_at=None)
    assert "starts_at" in error.value.message_dict
    assert not Need.objects.exists()


def test_a_need_lies_in_a_town_of_its_organisation(organisation, org_admin):
    with pytest.raises(ValidationError) as error:
        make_need(organisation, org_admin, town="Gütersloh")
    assert "kommune" in error.value.message_dict
    assert not Need.objects.exists()


def test_only_members_write_needs(organisation, other_org_member, org_admin, volunteer):
    with pytest.raises(PermissionDenied):
        make_need(organisation, other_org_member)
    need = make_need(organisation, org_admin)
    for service in (need_publish, need_pause, need_close, need_mark_filled, need_review, need_duplicate):
        with pytest.raises(PermissionDenied):
            service(need=need, actor=volunteer)
    with pytest.raises(PermissionDenied):
        need_update(need=need, actor=other_org_member, details=details(title="Übernommen"))
    need.refresh_from_db()
    assert need.title == "Hausaufgabenhilfe für Grundschulkinder" and Need.objects.count() == 1


def test_pausing_and_closing_cancel_the_review_reminder(organisation, org_admin):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    assert review_rows(need).filter(status="pending").exists()

    need_pause(need=need, actor=org_admin)
    assert not review_rows(need).filter(status="pending").exists()

    need = need_publish(need=need, actor=org_admin)
    assert need.status == NeedStatus.PUBLISHED and review_rows(need).filter(status="pending").exists()

    need_close(need=need, actor=org_admin)
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED
    assert not review_rows(need).filter(status="pending").exists()
    with pytest.raises(ValidationError):
        need_publish(need=need, actor=org_admin)


def test_filled_needs_leave_the_search_and_can_come_back(organisation, org_admin):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    first_published = need.published_at

    need = need_mark_filled(need=need, actor=org_admin)
    assert need.status == NeedStatus.FILLED
    need = need_publish(need=need, actor=org_admin)
    assert need.status == NeedStatus.PUBLISHED and need.published_at == first_published


def test_a_review_keeps_the_need_public_for_another_period(organisation, org_admin):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    Need.objects.filter(pk=need.pk).update(expires_on=timezone.localdate() + timedelta(days=3))

    need = need_review(need=need, actor=org_admin)

    assert need.expires_on == timezone.localdate() + timedelta(days=90)
    pending = review_rows(need).filter(status="pending")
    assert pending.count() == 2  # one row per channel (email, in-app) for the one admin
    assert len({row.key for row in pending}) == 1


def test_expiry_marks_stale_needs_and_tells_the_admins(organisation, org_admin):
    verify(organisation)
    stale = make_need(organisation, org_admin, publish=True)
    fresh = make_need(organisation, org_admin, publish=True, title="Sprachcafé am Samstag")
    Need.objects.filter(pk=stale.pk).update(expires_on=timezone.localdate() - timedelta(days=1))

    assert needs_expire() == 1
    assert needs_expire() == 0  # idempotent

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == NeedStatus.EXPIRED and fresh.status == NeedStatus.PUBLISHED
    assert Notification.objects.filter(kind="need.expired", refs__need=stale.pk, recipient=org_admin).exists()
    assert not review_rows(stale).filter(status="pending").exists()

    # Confirming an expired need publishes it again.
    stale = need_review(need=stale, actor=org_admin)
    assert stale.status == NeedStatus.PUBLISHED and stale.expires_on > timezone.localdate()


def test_the_review_reminder_renders_with_a_link_to_the_editor(organisation, org_admin, settings):
    from notifications.rendering import render

    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    row = review_rows(need).filter(channel="email").get()

    message = render(row)

    assert need.title in message.subject
    assert f"/organisation/{organisation.pk}/bedarfe/{need.pk}/bearbeiten/" in message.text


def test_duplicating_makes_a_draft_copy_with_the_languages(organisation, org_admin, org_member):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True, languages=["ar", "uk"])

    copy = need_duplicate(need=need, actor=org_member)

    assert copy.pk != need.pk and copy.status == NeedStatus.DRAFT
    assert copy.title.endswith("(Kopie)") and copy.published_at is None and copy.expires_on is None
    assert set(copy.languages.values_list("code", flat=True)) == {"ar", "uk"}
    assert copy.created_by == org_member


def test_updating_a_need_rewrites_its_search_text_and_keeps_its_status(organisation, org_admin):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)

    need = need_update(
        need=need, actor=org_admin, details=details(title="Fahrradwerkstatt", activity="fahrradwerkstatt")
    )

    assert need.status == NeedStatus.PUBLISHED
    assert "fahrradwerkstatt" in need.search_text and "hausaufgabenhilfe" not in need.search_text


def test_bookmarks_are_kept_once_and_removed(volunteer, organisation, org_admin):
    need = make_need(organisation, org_admin)
    saved_need_add(user=volunteer, need=need)
    saved_need_add(user=volunteer, need=need)
    assert SavedNeed.objects.filter(user=volunteer).count() == 1
    assert saved_need_remove(user=volunteer, need=need) == 1
    assert not SavedNeed.objects.exists()
