"""eFZ records (§72a SGB VIII): what the model can hold, validity, recording rights, deletion days, audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from notifications import clock
from notifications.models import Notification
from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import (
    Application,
    ApplicationStatus,
    AuditEntry,
    EfzRecord,
    Engagement,
    Kommune,
    VolunteerProfile,
)
from volunteering.selectors.efz import has_valid_efz, valid_efz_user_ids
from volunteering.services import efz as efz_services
from volunteering.services.applications import application_decline, application_withdraw

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return clock.local_datetime(day, datetime.time(12, 0))


def _application(organisation, volunteer, status=ApplicationStatus.SUBMITTED) -> Application:
    need = make_need(organisation)
    return Application.objects.create(need=need, volunteer=volunteer, status=status)


def _record(org_admin, application, *, certificate_date, relevant_entry=False, inspected_on=None):
    return efz_services.efz_record(
        actor=org_admin,
        volunteer=application.volunteer,
        application=application,
        certificate_date=certificate_date,
        relevant_entry=relevant_entry,
        inspected_by="organisation",
        inspected_on=inspected_on or certificate_date,
    )


# --- What the model can hold -----------------------------------------------------------------------------
def test_the_model_cannot_hold_a_document_or_the_content_of_entries():
    fields = [f for f in EfzRecord._meta.get_fields() if getattr(f, "concrete", False)]
    assert not [f for f in fields if isinstance(f, models.FileField)], "no file or image field"
    assert not [f for f in fields if isinstance(f, (models.TextField, models.JSONField, models.BinaryField))]
    # The only text columns are the choice of who inspected: nothing free-form about the entry.
    char_fields = [f for f in fields if isinstance(f, models.CharField)]
    assert [f.name for f in char_fields] == ["inspected_by"]
    assert char_fields[0].choices
    relevant = EfzRecord._meta.get_field("relevant_entry")
    assert isinstance(relevant, models.BooleanField)
    names = {f.name for f in fields}
    assert names == {
        "id",
        "volunteer",
        "organisation",
        "application",
        "inspected",
        "certificate_date",
        "relevant_entry",
        "inspected_by",
        "kommune",
        "inspected_on",
        "recorded_by",
        "recorded_at",
        "valid_until",
    }


# --- Validity -----------------------------------------------------------------------------------------
def test_it_is_valid_for_five_years_from_the_certificate_date(organisation, org_admin):
    volunteer = make_volunteer("efz@example.org")
    application = _application(organisation, volunteer)
    day = datetime.date(2026, 3, 2)
    with clock.frozen(at(day)):
        record = _record(org_admin, application, certificate_date=day)
    assert record.valid_until == datetime.date(2031, 3, 2)
    assert has_valid_efz(volunteer, datetime.date(2031, 3, 1))
    assert not has_valid_efz(volunteer, datetime.date(2031, 3, 2))
    assert not has_valid_efz(volunteer, datetime.date(2026, 3, 1))
    other = make_volunteer("ohne@example.org")
    assert valid_efz_user_ids([volunteer.pk, other.pk], datetime.date(2027, 1, 1)) == {volunteer.pk}
    assert valid_efz_user_ids([], datetime.date(2027, 1, 1)) == set()


def test_validity_years_come_from_the_setting(settings, organisation, org_admin):
    settings.EFZ_VALIDITY_YEARS = 3
    application = _application(organisation, make_volunteer())
    with clock.frozen(at(datetime.date(2026, 3, 2))):
        record = _record(org_admin, application, certificate_date=datetime.date(2026, 3, 2))
    assert record.valid_until == datetime.date(2029, 3, 2)


def test_a_relevant_entry_is_never_a_valid_efz(organisation, org_admin):
    volunteer = make_volunteer()
    application = _application(organisation, volunteer)
    with clock.frozen(at(datetime.date(2026, 3, 2))):
        _record(org_admin, application, certificate_date=datetime.date(2026, 3, 2), relevant_entry=True)
    assert not has_valid_efz(volunteer, datetime.date(2026, 6, 1))
    assert valid_efz_user_ids([volunteer.pk], datetime.date(2026, 6, 1)) == set()


def test_a_renewal_reminder_is_scheduled_before_expiry(organisation, org_admin):
    application = _application(organisation, make_volunteer())
    with clock.frozen(at(datetime.date(2026, 3, 2))):
        record = _record(org_admin, application, certificate_date=datetime.date(2026, 3, 2))
    rows = Notification.objects.filter(kind="efz.renewal_due", refs__efz_record=record.pk)
    assert rows.exists()  # one row per channel
    expected = clock.local_datetime(datetime.date(2031, 1, 1), datetime.time(9, 0))
    assert {row.due_at for row in rows} == {expected}


# --- Recording: rules and rights ----------------------------------------------------------------------
def test_a_certificate_older_than_three_months_is_refused(organisation, org_admin):
    application = _application(organisation, make_volunteer())
    with clock.frozen(at(datetime.date(2026, 6, 10))), pytest.raises(ValidationError):
        _record(
            org_admin,
            application,
            certificate_date=datetime.date(2026, 3, 1),
            inspected_on=datetime.date(2026, 6, 10),
        )
    assert not EfzRecord.objects.exists()


def test_a_future_certificate_date_is_refused(organisation, org_admin):
    application = _application(organisation, make_volunteer())
    with clock.frozen(at(datetime.date(2026, 6, 10))), pytest.raises(ValidationError):
        _record(org_admin, application, certificate_date=datetime.date(2026, 6, 11))


def test_another_organisation_cannot_record_for_this_application(organisation, other_org_member, org_member):
    from volunteering.models import OrganisationMembership

    OrganisationMembership.objects.filter(user=other_org_member).update(role="admin")
    application = _application(organisation, make_volunteer())
    for actor in (other_org_member, org_member):  # another organisation's admin; a plain member
        with pytest.raises(ValidationError):
            _record(actor, application, certificate_date=datetime.date.today())
    assert not EfzRecord.objects.exists()


def test_a_town_coordinator_records_for_volunteers_of_their_town_only(
    town_coordinator, town_coordinator_other_town
):
    volunteer = make_volunteer()
    VolunteerProfile.objects.create(user=volunteer, kommune=Kommune.objects.get(name="Verl"))
    values = {
        "volunteer": volunteer,
        "certificate_date": datetime.date.today(),
        "relevant_entry": False,
        "inspected_by": "kommune",
        "inspected_on": datetime.date.today(),
        "kommune": Kommune.objects.get(name="Verl"),
    }
    with pytest.raises(ValidationError):
        efz_services.efz_record(actor=town_coordinator_other_town, **values)
    record = efz_services.efz_record(actor=town_coordinator, **values)
    assert record.organisation is None and record.recorded_by == town_coordinator
    assert AuditEntry.objects.filter(
        actor=town_coordinator, object_id=record.pk, action="efz.record"
    ).exists()


# --- Deletion days ------------------------------------------------------------------------------------
def test_not_started_deletes_the_record_at_once(organisation, org_admin):
    application = _application(organisation, make_volunteer())
    record = _record(org_admin, application, certificate_date=datetime.date.today())
    efz_services.efz_delete_not_started(record=record, actor=org_admin)
    assert not EfzRecord.objects.filter(pk=record.pk).exists()
    assert not Notification.objects.filter(kind="efz.renewal_due", status="pending").exists()


def test_withdrawing_the_application_deletes_the_record_that_day(organisation, org_admin):
    volunteer = make_volunteer()
    application = _application(organisation, volunteer)
    day = datetime.date(2026, 5, 4)
    with clock.frozen(at(day)):
        record = _record(org_admin, application, certificate_date=day)
    with clock.frozen(at(day + datetime.timedelta(days=9))):
        application_withdraw(application=application, actor=volunteer)
    assert not EfzRecord.objects.filter(pk=record.pk).exists()


def test_declining_the_application_deletes_the_record(organisation, org_admin):
    application = _application(organisation, make_volunteer())
    record = _record(org_admin, application, certificate_date=datetime.date.today())
    application_decline(application=application, actor=org_admin)
    assert not EfzRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("ends_on", "last_day_kept", "deletion_day"),
    [
        (datetime.date(2026, 8, 14), datetime.date(2026, 11, 13), datetime.date(2026, 11, 14)),
        # The month has no 31st: the last day of the month is the deletion day.
        (datetime.date(2026, 8, 31), datetime.date(2026, 11, 29), datetime.date(2026, 11, 30)),
    ],
)
def test_it_is_deleted_three_months_after_the_engagement_ends(
    organisation, org_admin, ends_on, last_day_kept, deletion_day
):
    volunteer = make_volunteer()
    application = _application(organisation, volunteer, status=ApplicationStatus.ACCEPTED)
    with clock.frozen(at(datetime.date(2026, 2, 1))):
        record = _record(org_admin, application, certificate_date=datetime.date(2026, 2, 1))
    Engagement.objects.create(
        application=application,
        volunteer=volunteer,
        organisation=organisation,
        need=application.need,
        tasks="Hausaufgabenhilfe",
        starts_on=datetime.date(2026, 2, 15),
        ends_on=ends_on,
    )
    with clock.frozen(at(last_day_kept)):
        assert efz_services.efz_records_purge() == 0
    assert EfzRecord.objects.filter(pk=record.pk).exists()
    with clock.frozen(at(deletion_day)):
        assert efz_services.efz_records_purge() == 1
    assert not EfzRecord.objects.filter(pk=record.pk).exists()


def test_an_ongoing_engagement_keeps_its_record(organisation, org_admin):
    volunteer = make_volunteer()
    application = _application(organisation, volunteer, status=ApplicationStatus.ACCEPTED)
    record = _record(org_admin, application, certificate_date=datetime.date.today())
    Engagement.objects.create(
        application=application,
        volunteer=volunteer,
        organisation=organisation,
        need=application.need,
        tasks="Hausaufgabenhilfe",
        starts_on=datetime.date.today(),
    )
    assert efz_services.efz_records_purge(today=datetime.date.today() + datetime.timedelta(days=900)) == 0
    assert EfzRecord.objects.filter(pk=record.pk).exists()


def test_the_purge_is_a_daily_beat_task():
    from config.celery import app

    entry = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == "volunteering.tasks.purge_efz_records"
    )
    assert entry["schedule"].hour == {3}


def test_the_renewal_reminder_reaches_the_volunteer_with_a_link_to_the_status(
    organisation, org_admin, mailoutbox
):
    from notifications.services import notifications_sweep

    volunteer = make_volunteer("erinnerung@example.org")
    application = _application(organisation, volunteer)
    with clock.frozen(at(datetime.date(2026, 3, 2))):
        _record(org_admin, application, certificate_date=datetime.date(2026, 3, 2))
    with clock.frozen(at(datetime.date(2030, 12, 31))):
        notifications_sweep()
    assert mailoutbox == []
    with clock.frozen(clock.local_datetime(datetime.date(2031, 1, 1), datetime.time(9, 1))):
        notifications_sweep()
    [mail] = mailoutbox
    assert mail.to == ["erinnerung@example.org"]
    assert "Führungszeugnis" in mail.subject
    assert "2. März 2031" in mail.body and "/mein-bereich/fuehrungszeugnis/" in mail.body
