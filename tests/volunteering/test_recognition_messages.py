"""Recognition messages and data: the thank-you (default text in the recipient's language or the edited
text, signed, multipart), the 14-day reminder (gone once decided), taster attendance as hours, the export."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notifications import clock
from notifications.models import Notification
from notifications.rendering import render
from tests.volunteering.recognition_world import make_engagement
from volunteering.models import HoursEntry, HoursStatus, ThankYou
from volunteering.privacy import person_erase, person_export
from volunteering.services import recognition
from volunteering.services.recognition import HoursLine

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def engagement(volunteer, organisation, org_member):
    return make_engagement(volunteer, organisation, starts_on=timezone.localdate() - timedelta(days=60))


def _confirmed(engagement, member, hours):
    entries = recognition.hours_log(
        volunteer=engagement.volunteer,
        engagement=engagement,
        lines=[HoursLine(timezone.localdate() - timedelta(days=1), int(hours * 60))],
    )
    recognition.hours_confirm(actor=member, organisation=engagement.organisation, entry_ids=[entries[0].pk])


def _thanks_row():
    return Notification.objects.get(kind="recognition.thanks", channel="email")


def test_the_default_thanks_is_signed_by_the_organisation_and_multipart(engagement, org_member):
    _confirmed(engagement, org_member, 10)
    message = render(_thanks_row(), language="de")
    assert "10 Stunden" in message.subject
    assert "Sie haben 10 Stunden Ihrer Zeit geschenkt" in message.body
    assert "Flüchtlingshilfe Verl e. V." in message.body
    assert message.html and "Flüchtlingshilfe Verl e. V." in message.html
    assert message.text.startswith(message.body[:20])


def test_the_thanks_renders_in_the_recipients_language(engagement, org_member):
    engagement.volunteer.preferred_language = "en"
    engagement.volunteer.save()
    _confirmed(engagement, org_member, 10)
    message = render(_thanks_row())  # the recipient's language, taken at send time
    assert message.language == "en"
    assert 'lang="en"' in message.html
    assert "Flüchtlingshilfe Verl e. V." in message.body


def test_an_edited_thanks_is_sent_as_written(engagement, org_member):
    _confirmed(engagement, org_member, 10)
    recognition.thanks_update(
        actor=org_member,
        thank_you=ThankYou.objects.get(),
        text="Zehn Stunden Sprachcafé – danke!",
        signature="Anna für das Team",
        send_now=False,
    )
    message = render(_thanks_row(), language="de")
    assert "Zehn Stunden Sprachcafé – danke!" in message.body
    assert "Ihrer Zeit geschenkt" not in message.body
    assert "Anna für das Team" in message.body


def test_the_reminder_names_the_waiting_entries_and_is_gone_once_decided(engagement, org_member):
    entries = recognition.hours_log(
        volunteer=engagement.volunteer,
        engagement=engagement,
        lines=[HoursLine(timezone.localdate() - timedelta(days=1), 60)] * 2,
    )
    reminder = Notification.objects.filter(kind="recognition.hours_waiting", channel="email").first()
    message = render(reminder, language="de")
    assert "2 Stundeneinträge warten" in message.subject
    assert f"/de/organisation/{engagement.organisation_id}/stunden/" in message.body
    # Decided in another way (deleted by the volunteer): the reminder has nothing left to say.
    HoursEntry.objects.filter(pk=entries[0].pk).update(status=HoursStatus.CONFIRMED)
    from notifications.registry import Gone

    with pytest.raises(Gone):
        render(reminder, language="de")


def test_taster_attendance_adds_confirmed_hours_and_a_no_show_withdraws_them(
    site_tree, volunteer, organisation, org_member
):
    from tests.cms.taster_world import make_offer
    from volunteering.services.tasters import taster_book, taster_mark_attendance

    offer = make_offer(organisation, starts_in=timedelta(hours=3))
    offer.ends_at = offer.starts_at + timedelta(hours=2, minutes=30)
    offer.save_revision().publish()
    signup = taster_book(offer=offer, user=volunteer)
    with clock.frozen(offer.starts_at + timedelta(hours=3)):
        taster_mark_attendance(signup=signup, actor=org_member, attended=True)
        taster_mark_attendance(signup=signup, actor=org_member, attended=True)  # corrected twice: once
    entry = HoursEntry.objects.get(volunteer=volunteer)
    assert (entry.source, entry.source_id, entry.minutes, entry.status) == (
        "taster",
        signup.pk,
        150,
        "confirmed",
    )
    assert entry.organisation == organisation
    with clock.frozen(offer.starts_at + timedelta(hours=4)):
        taster_mark_attendance(signup=signup, actor=org_member, attended=False)
    assert not HoursEntry.objects.filter(volunteer=volunteer).exists()


def test_the_export_holds_the_persons_hours_without_who_decided(engagement, org_member):
    _confirmed(engagement, org_member, 10)
    data = person_export(engagement.volunteer)
    assert data["volunteering.HoursEntry"][0]["minutes"] == 600
    assert "decided_by" not in data["volunteering.HoursEntry"][0]
    assert data["volunteering.Milestone"][0]["kind"] == "hours_10"
    assert "edited_by" not in data["volunteering.ThankYou"][0]
    assert org_member.email not in str(data)
    assert "volunteering.HoursEntry" not in person_export(org_member)


def test_erasure_removes_hours_and_milestones(engagement, org_member):
    _confirmed(engagement, org_member, 10)
    volunteer = engagement.volunteer
    with clock.frozen(datetime(2026, 6, 1, 12, 0, tzinfo=BERLIN)):
        person_erase(volunteer)
    assert not HoursEntry.objects.exists()
    assert not ThankYou.objects.exists()
