"""Hours: logging, confirming and rejecting (scoped to the organisation), attendance credits, milestones."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications import clock
from notifications.models import Notification
from tests.volunteering.recognition_world import make_engagement
from volunteering.models import HoursEntry, HoursStatus, Milestone, MilestoneKind, ThankYou
from volunteering.services import recognition as services
from volunteering.services.recognition import HoursLine

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def engagement(volunteer, organisation, org_member):
    return make_engagement(volunteer, organisation)


def _log(engagement, *hours: float, day: date = date(2026, 2, 1)):
    lines = [HoursLine(worked_on=day, minutes=int(h * 60), note="Hausaufgaben") for h in hours]
    return services.hours_log(volunteer=engagement.volunteer, engagement=engagement, lines=lines)


def test_it_logs_several_entries_at_once_as_submitted(frozen_now, engagement):
    entries = _log(engagement, 2, 1.5, 3)
    assert [entry.status for entry in entries] == [HoursStatus.SUBMITTED] * 3
    assert sum(entry.minutes for entry in entries) == 390
    assert all(entry.organisation_id == engagement.organisation_id for entry in entries)


def test_an_invalid_line_saves_nothing(frozen_now, engagement):
    lines = [
        HoursLine(worked_on=date(2026, 2, 1), minutes=60),
        HoursLine(worked_on=date(2026, 3, 3), minutes=60),  # tomorrow
    ]
    with pytest.raises(ValidationError):
        services.hours_log(volunteer=engagement.volunteer, engagement=engagement, lines=lines)
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_it_rejects_durations_outside_one_minute_to_a_day(frozen_now, engagement, minutes):
    with pytest.raises(ValidationError):
        services.hours_log(
            volunteer=engagement.volunteer,
            engagement=engagement,
            lines=[HoursLine(worked_on=date(2026, 2, 1), minutes=minutes)],
        )


def test_nobody_logs_hours_for_someone_elses_engagement(frozen_now, engagement, outsider):
    with pytest.raises(PermissionDenied):
        services.hours_log(volunteer=outsider, engagement=engagement, lines=[HoursLine(date(2026, 2, 1), 60)])


def test_logging_schedules_a_reminder_for_the_members_after_14_days(frozen_now, engagement, org_member):
    entries = _log(engagement, 2)
    reminders = Notification.objects.filter(kind="recognition.hours_waiting", recipient=org_member)
    assert reminders.count() == 2  # e-mail and in-app
    assert {row.due_at for row in reminders} == {NOW + timedelta(days=14)}
    assert reminders.first().refs == {
        "organisation": engagement.organisation_id,
        "hours_entry": entries[0].pk,
    }


def test_confirming_cancels_the_reminder(frozen_now, engagement, org_member):
    entries = _log(engagement, 2)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entries[0].pk])
    statuses = set(
        Notification.objects.filter(kind="recognition.hours_waiting").values_list("status", flat=True)
    )
    assert statuses == {Notification.Status.CANCELLED}


def test_members_confirm_in_bulk(frozen_now, engagement, org_member):
    entries = _log(engagement, 2, 3, 4)
    confirmed = services.hours_confirm(
        actor=org_member, organisation=engagement.organisation, entry_ids=[e.pk for e in entries]
    )
    assert len(confirmed) == 3
    assert set(HoursEntry.objects.values_list("status", flat=True)) == {HoursStatus.CONFIRMED}
    assert HoursEntry.objects.filter(decided_by=org_member).count() == 3


def test_a_foreign_entry_in_a_bulk_confirmation_changes_nothing(
    frozen_now, engagement, org_member, other_organisation
):
    own = _log(engagement, 2)[0]
    foreign_engagement = make_engagement(engagement.volunteer, other_organisation)
    foreign = _log(foreign_engagement, 3)[0]
    with pytest.raises(HoursEntry.DoesNotExist):
        services.hours_confirm(
            actor=org_member, organisation=engagement.organisation, entry_ids=[own.pk, foreign.pk]
        )
    assert set(HoursEntry.objects.values_list("status", flat=True)) == {HoursStatus.SUBMITTED}


def test_members_of_another_organisation_may_not_confirm(frozen_now, engagement, other_org_member):
    entry = _log(engagement, 2)[0]
    with pytest.raises(PermissionDenied):
        services.hours_confirm(
            actor=other_org_member, organisation=engagement.organisation, entry_ids=[entry.pk]
        )


def test_rejection_needs_a_reason_and_tells_the_volunteer(frozen_now, engagement, org_member):
    entry = _log(engagement, 2)[0]
    with pytest.raises(ValidationError):
        services.hours_reject(
            actor=org_member, organisation=engagement.organisation, entry_ids=[entry.pk], reason="  "
        )
    services.hours_reject(
        actor=org_member,
        organisation=engagement.organisation,
        entry_ids=[entry.pk],
        reason="Doppelt eingetragen",
    )
    entry.refresh_from_db()
    assert entry.status == HoursStatus.REJECTED
    assert entry.rejection_reason == "Doppelt eingetragen"
    assert Notification.objects.filter(
        kind="recognition.hours_rejected", recipient=engagement.volunteer
    ).exists()


def test_the_volunteer_withdraws_only_submitted_entries(frozen_now, engagement, org_member):
    first, second = _log(engagement, 2, 3)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[first.pk])
    with pytest.raises(ValidationError):
        services.hours_withdraw(volunteer=engagement.volunteer, entry=HoursEntry.objects.get(pk=first.pk))
    services.hours_withdraw(volunteer=engagement.volunteer, entry=second)
    assert list(HoursEntry.objects.values_list("pk", flat=True)) == [first.pk]


# --- Attendance credits -------------------------------------------------------------------------------
def test_credit_attendance_adds_confirmed_hours_once_per_source(frozen_now, volunteer, organisation):
    first = services.credit_attendance(
        volunteer,
        source="training",
        source_id=7,
        on_date=date(2026, 2, 10),
        hours=2.5,
        organisation=organisation,
    )
    again = services.credit_attendance(
        volunteer,
        source="training",
        source_id=7,
        on_date=date(2026, 2, 10),
        hours=2.5,
        organisation=organisation,
    )
    assert first.pk == again.pk
    assert first.status == HoursStatus.CONFIRMED
    assert first.minutes == 150
    assert HoursEntry.objects.count() == 1
    services.credit_attendance(volunteer, source="training", source_id=8, on_date=date(2026, 2, 11), hours=1)
    assert HoursEntry.objects.count() == 2


def test_credit_attendance_refuses_manual_as_a_source(frozen_now, volunteer):
    with pytest.raises(ValueError):
        services.credit_attendance(volunteer, source="manual", source_id=1, on_date=date(2026, 2, 1), hours=1)


def test_attendance_credits_count_for_milestones(frozen_now, volunteer):
    services.credit_attendance(volunteer, source="training", source_id=1, on_date=date(2026, 2, 1), hours=10)
    assert Milestone.objects.filter(volunteer=volunteer, kind=MilestoneKind.HOURS_10).exists()


# --- Milestones and thanks ---------------------------------------------------------------------------
def test_confirmed_hours_reach_each_milestone_exactly_once(frozen_now, engagement, org_member):
    entries = _log(engagement, 8, 8, 8, 8, 8, 8, 8)  # 56 h
    services.hours_confirm(
        actor=org_member, organisation=engagement.organisation, entry_ids=[e.pk for e in entries]
    )
    kinds = set(Milestone.objects.filter(volunteer=engagement.volunteer).values_list("kind", flat=True))
    assert kinds == {MilestoneKind.HOURS_10, MilestoneKind.HOURS_50}
    more = _log(engagement, 2)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[more[0].pk])
    assert Milestone.objects.filter(volunteer=engagement.volunteer).count() == 2
    assert ThankYou.objects.count() == 2
    thanks = Notification.objects.filter(kind="recognition.thanks", channel="email")
    assert thanks.count() == 2
    assert {row.due_at for row in thanks} == {NOW + services.THANKS_DELAY}


def test_submitted_hours_reach_no_milestone(frozen_now, engagement):
    _log(engagement, 8, 8)
    assert not Milestone.objects.exists()


def test_the_daily_job_records_first_engagement_and_years_once(volunteer, organisation):
    make_engagement(volunteer, organisation, starts_on=date(2020, 6, 1))
    with clock.frozen(datetime(2025, 6, 1, 6, 0, tzinfo=BERLIN)):
        assert services.milestones_check_all() == 3  # first engagement, 1 year, 5 years
        assert services.milestones_check_all() == 0
    kinds = set(Milestone.objects.values_list("kind", flat=True))
    assert kinds == {MilestoneKind.FIRST_ENGAGEMENT, MilestoneKind.YEARS_1, MilestoneKind.YEARS_5}


def test_years_count_only_from_the_anniversary(volunteer, organisation):
    make_engagement(volunteer, organisation, starts_on=date(2025, 6, 2))
    with clock.frozen(datetime(2026, 6, 1, 6, 0, tzinfo=BERLIN)):
        services.milestones_check_all()
    assert not Milestone.objects.filter(kind=MilestoneKind.YEARS_1).exists()
    with clock.frozen(datetime(2026, 6, 2, 6, 0, tzinfo=BERLIN)):
        services.milestones_check_all()
    assert Milestone.objects.filter(kind=MilestoneKind.YEARS_1).exists()


def test_the_organisation_edits_the_thanks_and_sends_it_at_once(frozen_now, engagement, org_member):
    entries = _log(engagement, 10)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entries[0].pk])
    thank_you = ThankYou.objects.get()
    services.thanks_update(
        actor=org_member, thank_you=thank_you, text="Danke für zehn Stunden!", signature="Anna", send_now=True
    )
    rows = Notification.objects.filter(kind="recognition.thanks")
    assert set(rows.filter(due_at=NOW + services.THANKS_DELAY).values_list("status", flat=True)) == {
        "cancelled"
    }
    assert rows.filter(due_at=NOW).exclude(status="cancelled").count() == 2
    with pytest.raises(ValidationError):
        services.thanks_update(
            actor=org_member, thank_you=thank_you, text="Noch mal", signature="", send_now=True
        )


def test_other_organisations_may_not_edit_the_thanks(frozen_now, engagement, org_member, other_org_member):
    entries = _log(engagement, 10)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entries[0].pk])
    with pytest.raises(PermissionDenied):
        services.thanks_update(
            actor=other_org_member, thank_you=ThankYou.objects.get(), text="x", signature="", send_now=False
        )


def test_no_hours_after_the_engagement_ended(frozen_now, engagement):
    engagement.ends_on = date(2026, 1, 31)
    engagement.save()
    with pytest.raises(ValidationError):
        _log(engagement, 2, day=date(2026, 2, 1))
    _log(engagement, 2, day=date(2026, 1, 31))
