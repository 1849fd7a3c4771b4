"""Recognition events: a coordinator invites the volunteers of their towns who meet the criteria (hours,
years, town); they answer yes or no; a reminder goes out two days before unless they said no."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from notifications import clock
from notifications.models import Notification
from tests.factories import UserFactory
from tests.volunteering.recognition_world import make_engagement
from volunteering.models import EventInvitation, Kommune, VolunteerProfile
from volunteering.services import recognition
from volunteering.services.recognition import HoursLine


def _volunteer(email, town, organisation, member, *, hours, started):
    user = UserFactory(email=email, first_name=email.split("@")[0].title())
    VolunteerProfile.objects.create(
        user=user, display_name=user.first_name, kommune=Kommune.objects.get(name=town)
    )
    engagement = make_engagement(user, organisation, starts_on=started)
    if hours:
        entries = recognition.hours_log(
            volunteer=user,
            engagement=engagement,
            lines=[HoursLine(timezone.localdate() - timedelta(days=1), hours * 60)],
        )
        recognition.hours_confirm(actor=member, organisation=organisation, entry_ids=[entries[0].pk])
    return user


@pytest.fixture
def people(organisation, org_member):
    long_ago = date(2018, 1, 1)
    return {
        "veteran": _volunteer(
            "veteran@example.org", "Verl", organisation, org_member, hours=20, started=long_ago
        ),
        "newcomer": _volunteer(
            "newcomer@example.org",
            "Verl",
            organisation,
            org_member,
            hours=20,
            started=timezone.localdate() - timedelta(days=10),
        ),
        "few_hours": _volunteer(
            "wenig@example.org", "Verl", organisation, org_member, hours=2, started=long_ago
        ),
        "elsewhere": _volunteer(
            "harsewinkel@example.org", "Harsewinkel", organisation, org_member, hours=20, started=long_ago
        ),
    }


def _event(actor, **fields):
    values = {
        "title": "Ehrenamtsempfang 2026",
        "description": "Mit Musik und Buffet im Rathaus.",
        "starts_at": clock.now() + timedelta(days=20),
        "place": "Rathaus Verl",
        "min_hours": 10,
        "min_years": 3,
    }
    values.update(fields)
    return recognition.event_create(actor=actor, **values)


def test_only_volunteers_who_meet_the_criteria_in_the_coordinators_towns_are_invited(
    town_coordinator, people
):
    event = _event(town_coordinator)
    assert recognition.event_invite(actor=town_coordinator, event=event) == 1
    assert list(EventInvitation.objects.values_list("volunteer__email", flat=True)) == ["veteran@example.org"]
    assert Notification.objects.filter(
        kind="recognition.event_invitation", recipient=people["veteran"]
    ).exists()
    reminder = Notification.objects.get(kind="recognition.event_reminder", channel="email")
    assert reminder.due_at == event.starts_at - timedelta(days=2)
    assert recognition.event_invite(actor=town_coordinator, event=event) == 0  # nobody twice


def test_a_district_coordinator_invites_across_towns(coordinator, people):
    event = _event(coordinator, min_years=0)
    recognition.event_invite(actor=coordinator, event=event)
    invited = set(EventInvitation.objects.values_list("volunteer__email", flat=True))
    assert invited == {"veteran@example.org", "newcomer@example.org", "harsewinkel@example.org"}


def test_an_event_for_one_town_invites_only_there(coordinator, people):
    event = _event(coordinator, min_years=0, kommunen=[Kommune.objects.get(name="Harsewinkel")])
    recognition.event_invite(actor=coordinator, event=event)
    assert list(EventInvitation.objects.values_list("volunteer__email", flat=True)) == [
        "harsewinkel@example.org"
    ]


def test_a_coordinator_cannot_name_towns_of_others(town_coordinator, people):
    with pytest.raises(PermissionDenied):
        _event(town_coordinator, kommunen=[Kommune.objects.get(name="Harsewinkel")])


def test_another_towns_coordinator_cannot_invite_to_the_event(
    town_coordinator, town_coordinator_other_town, people
):
    event = _event(town_coordinator)
    with pytest.raises(PermissionDenied):
        recognition.event_invite(actor=town_coordinator_other_town, event=event)


def test_a_no_cancels_the_reminder_and_a_later_yes_brings_it_back(client, town_coordinator, people):
    event = _event(town_coordinator)
    recognition.event_invite(actor=town_coordinator, event=event)
    invitation = EventInvitation.objects.get()
    client.force_login(people["veteran"])
    page = client.get(reverse("recognition:overview")).content.decode()
    assert "Ehrenamtsempfang 2026" in page
    client.post(reverse("recognition:event_rsvp", args=[invitation.pk]), {"rsvp": "no"})
    invitation.refresh_from_db()
    assert invitation.rsvp == "no"
    pending = Notification.objects.filter(kind="recognition.event_reminder", status="pending")
    assert not pending.exists()
    client.post(reverse("recognition:event_rsvp", args=[invitation.pk]), {"rsvp": "yes"})
    assert EventInvitation.objects.get().rsvp == "yes"
    assert pending.count() == 2  # e-mail and in-app, once more


def test_nobody_answers_someone_elses_invitation(client, town_coordinator, people):
    event = _event(town_coordinator)
    recognition.event_invite(actor=town_coordinator, event=event)
    client.force_login(people["newcomer"])
    response = client.post(
        reverse("recognition:event_rsvp", args=[EventInvitation.objects.get().pk]), {"rsvp": "no"}
    )
    assert response.status_code == 404
    assert EventInvitation.objects.get().rsvp == "pending"


def test_the_admin_pages_list_create_and_invite(
    client, town_coordinator, town_coordinator_other_town, people
):
    client.force_login(town_coordinator)
    response = client.post(
        reverse("coordination_recognition_events"),
        {
            "title": "Dankeschön-Abend",
            "description": "Für alle, die seit Jahren helfen.",
            "starts_at": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Bürgerhaus",
            "min_hours": "10",
            "min_years": "3",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert "1 weitere Person einladen" in client.get(detail).content.decode()
    client.post(detail)
    assert EventInvitation.objects.count() == 1
    client.force_login(town_coordinator_other_town)
    assert client.get(detail).status_code == 404


def test_the_coordination_signs_and_edits_thanks_for_milestones_without_an_organisation(
    client, town_coordinator, town_coordinator_other_town
):
    volunteer = UserFactory(email="schulung@example.org", first_name="Mira")
    VolunteerProfile.objects.create(user=volunteer, kommune=Kommune.objects.get(name="Verl"))
    recognition.credit_attendance(
        volunteer, source="training", source_id=99, on_date=timezone.localdate() - timedelta(days=1), hours=10
    )
    thank_you = volunteer.milestones.get().thank_you
    assert thank_you.organisation is None and thank_you.signature == "Ihre Ehrenamtskoordination"
    url = reverse("coordination_recognition_thanks") + f"?bearbeiten={thank_you.pk}"
    client.force_login(town_coordinator_other_town)
    assert client.get(url).status_code == 404
    client.force_login(town_coordinator)
    assert "Stunden Ihrer Zeit geschenkt" in client.get(url).content.decode()
    response = client.post(url, {"text": "Danke für zehn Stunden Schulung!", "signature": "Ihr Team Verl"})
    assert response.status_code == 302
    thank_you.refresh_from_db()
    assert (thank_you.text, thank_you.signature, thank_you.status) == (
        "Danke für zehn Stunden Schulung!",
        "Ihr Team Verl",
        "pending",
    )
