"""The application services: submitting, the state machine, acceptance and places, the thread."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Notification
from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationStatus,
    Engagement,
    NeedStatus,
    ProfileStatus,
    VolunteerProfile,
)
from volunteering.services.applications import (
    application_accept,
    application_contact,
    application_decline,
    application_submit,
    application_withdraw,
    message_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(organisation):
    return make_need(organisation)


@pytest.fixture
def applicant(db):
    return make_volunteer("bewerberin@example.org", age=30)


def _rows(kind: str, application: Application, **filters):
    return Notification.objects.filter(
        kind=kind, refs__application=application.pk, channel="email", **filters
    )


def test_submitting_records_the_event_acknowledges_and_tells_the_organisation(
    need, applicant, org_admin, org_member, town_coordinator
):
    application = application_submit(need=need, volunteer=applicant, message="Ich helfe gern.")

    assert application.status == ApplicationStatus.SUBMITTED
    assert list(application.events.values_list("status", "actor")) == [("submitted", applicant.pk)]
    assert _rows("application.acknowledged", application).get().recipient == applicant
    received = _rows("application.received", application)
    assert {row.recipient for row in received} == {org_admin, org_member}


def test_submitting_schedules_the_reminder_at_the_deadline_and_the_escalation_at_twice_it(
    need, applicant, org_admin, town_coordinator, coordinator
):
    need.organisation.response_deadline_days = 4
    need.organisation.save()

    application = application_submit(need=need, volunteer=applicant)

    reminder = _rows("application.reminder", application).get()
    assert reminder.recipient == org_admin and reminder.status == "pending"
    assert abs(reminder.due_at - (application.created_at + timedelta(days=4))) < timedelta(seconds=5)
    escalation = _rows("application.escalated", application).get()
    # The town's own coordinator, not the district-wide one.
    assert escalation.recipient == town_coordinator
    assert abs(escalation.due_at - (application.created_at + timedelta(days=8))) < timedelta(seconds=5)


def test_the_escalation_goes_to_the_district_when_the_town_has_no_coordinator(
    need, applicant, org_admin, coordinator, town_coordinator_other_town
):
    application = application_submit(need=need, volunteer=applicant)

    assert _rows("application.escalated", application).get().recipient == coordinator


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": NeedStatus.DRAFT}, "keine Bewerbungen"),
        ({"status": NeedStatus.FILLED}, "keine Bewerbungen"),
        ({"expires_on": date(2020, 1, 1)}, "keine Bewerbungen"),
        ({"min_age": 18}, "mindestens 18 Jahre"),
    ],
)
def test_it_refuses_needs_that_do_not_take_the_application(need, change, message):
    for field, value in change.items():
        setattr(need, field, value)
    need.save()
    young = make_volunteer(age=17)

    with pytest.raises(ValidationError, match=message):
        application_submit(need=need, volunteer=young)
    assert not Application.objects.exists() and not Notification.objects.exists()


def test_it_refuses_needs_of_an_organisation_that_is_not_verified(need):
    type(need.organisation).objects.filter(pk=need.organisation_id).update(status="pending")
    need.refresh_from_db()

    with pytest.raises(ValidationError, match="keine Bewerbungen"):
        application_submit(need=need, volunteer=make_volunteer())


def test_it_asks_for_the_birth_year_before_age_rules_can_be_checked(need):
    with pytest.raises(ValidationError, match="Geburtsjahr"):
        application_submit(need=need, volunteer=make_volunteer(birth_year=None))


def test_it_refuses_a_second_live_application_but_allows_one_after_withdrawing(need, applicant):
    first = application_submit(need=need, volunteer=applicant)
    with pytest.raises(ValidationError, match="schon beworben"):
        application_submit(need=need, volunteer=applicant)

    application_withdraw(application=first, actor=applicant)
    second = application_submit(need=need, volunteer=applicant)

    assert second.pk != first.pk
    assert Application.objects.filter(need=need, volunteer=applicant).count() == 2


def test_a_full_need_takes_no_more_applications(need, org_admin):
    need.volunteers_wanted = 1
    need.save()
    application = application_submit(need=need, volunteer=make_volunteer())
    application_accept(application=application, actor=org_admin)

    need.refresh_from_db()
    assert need.status == NeedStatus.FILLED
    with pytest.raises(ValidationError):
        application_submit(need=need, volunteer=make_volunteer())


def test_contact_moves_to_in_contact_posts_the_message_and_cancels_the_deadline(
    need, applicant, org_admin, town_coordinator
):
    application = application_submit(need=need, volunteer=applicant)

    application_contact(application=application, actor=org_admin, message="Wann passt es Ihnen?")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_CONTACT and application.answered_at
    assert ApplicationMessage.objects.get(application=application).body == "Wann passt es Ihnen?"
    assert set(_rows("application.reminder", application).values_list("status", flat=True)) == {"cancelled"}
    assert set(_rows("application.escalated", application).values_list("status", flat=True)) == {"cancelled"}
    assert _rows("application.status", application, recipient=applicant).count() == 1


def test_an_organisation_message_counts_as_an_answer(need, applicant, org_member, town_coordinator):
    application = application_submit(need=need, volunteer=applicant)

    message_post(application=application, author=org_member, body="Danke, wir melden uns morgen.")

    application.refresh_from_db()
    assert application.answered_at is not None
    assert application.status == ApplicationStatus.SUBMITTED
    assert _rows("application.escalated", application).get().status == "cancelled"
    assert _rows("application.message_to_volunteer", application).get().recipient == applicant


def test_a_volunteer_message_tells_the_organisation_and_keeps_the_deadline(need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)

    message_post(application=application, author=applicant, body="Ich kann auch dienstags.")

    assert _rows("application.message_to_organisation", application).get().recipient == org_admin
    assert _rows("application.reminder", application).get().status == "pending"


def test_accepting_creates_the_assignment_record_and_activates_the_volunteer(need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)
    application_contact(application=application, actor=org_admin, message="Hallo!")

    engagement = application_accept(application=application, actor=org_admin)

    assert engagement == Engagement.objects.get()
    assert (engagement.volunteer, engagement.organisation, engagement.need) == (
        applicant,
        need.organisation,
        need,
    )
    assert engagement.tasks == need.tasks and engagement.starts_on is not None
    assert VolunteerProfile.objects.get(user=applicant).status == ProfileStatus.ACTIVE
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.decided_at
    assert list(application.events.values_list("status", flat=True)) == [
        "submitted",
        "in_contact",
        "accepted",
    ]
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED  # one of two places taken


def test_the_last_place_fills_the_need_and_a_further_accept_is_refused(need, org_admin):
    first, second, third = (application_submit(need=need, volunteer=make_volunteer()) for _ in range(3))
    application_accept(application=first, actor=org_admin)
    application_accept(application=second, actor=org_admin)

    need.refresh_from_db()
    assert need.status == NeedStatus.FILLED
    with pytest.raises(ValidationError, match="Plätze"):
        application_accept(application=third, actor=org_admin)
    third.refresh_from_db()
    assert third.status == ApplicationStatus.SUBMITTED
    assert Engagement.objects.count() == 2


def test_declining_with_a_template_text_posts_it_and_tells_the_volunteer(need, applicant, org_member):
    application = application_submit(need=need, volunteer=applicant)

    application_decline(application=application, actor=org_member, message="Leider sind alle Plätze weg.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.messages.get().body == "Leider sind alle Plätze weg."
    assert _rows("application.status", application).count() == 1


@pytest.mark.parametrize(
    "start, action",
    [
        ("declined", "accept"),
        ("accepted", "decline"),
        ("withdrawn", "contact"),
        ("in_contact", "contact"),
        ("accepted", "withdraw"),
        ("declined", "withdraw"),
    ],
)
def test_the_state_machine_refuses_transitions_from_finished_states(
    need, applicant, org_admin, start, action
):
    application = application_submit(need=need, volunteer=applicant)
    Application.objects.filter(pk=application.pk).update(status=start)
    application.refresh_from_db()
    calls = {
        "accept": lambda: application_accept(application=application, actor=org_admin),
        "decline": lambda: application_decline(application=application, actor=org_admin),
        "contact": lambda: application_contact(application=application, actor=org_admin, message="Hallo"),
        "withdraw": lambda: application_withdraw(application=application, actor=applicant),
    }
    events = ApplicationEvent.objects.count()

    with pytest.raises(ValidationError):
        calls[action]()

    application.refresh_from_db()
    assert application.status == start
    assert ApplicationEvent.objects.count() == events


def test_only_the_organisation_answers_and_only_the_volunteer_withdraws(
    need, applicant, other_org_member, org_admin
):
    application = application_submit(need=need, volunteer=applicant)

    with pytest.raises(ValidationError):
        application_accept(application=application, actor=other_org_member)
    with pytest.raises(ValidationError):
        message_post(application=application, author=other_org_member, body="Hallo")
    with pytest.raises(ValidationError):
        application_withdraw(application=application, actor=org_admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not application.messages.exists()


def test_withdrawing_cancels_the_deadline_and_tells_the_organisation(need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)

    application_withdraw(application=application, actor=applicant)

    assert _rows("application.reminder", application).get().status == "cancelled"
    assert _rows("application.withdrawn", application).get().recipient == org_admin


def test_the_messages_render_in_the_recipients_language(need, org_admin):
    from notifications.rendering import render

    arabic = make_volunteer(preferred_language="ar")
    application = application_submit(need=need, volunteer=arabic)
    acknowledgement = _rows("application.acknowledged", application).get()
    german = render(acknowledgement, language="de")
    assert need.title in german.subject and "/de/mein-bereich/bewerbungen/" in german.text
    assert f"/ar/mein-bereich/bewerbungen/{application.pk}/" in render(acknowledgement).text
    for row in Notification.objects.filter(refs__application=application.pk):
        assert render(row).subject  # every kind renders
