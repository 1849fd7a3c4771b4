"""Writes about eFZ records (§72a SGB VIII): record an inspection, delete records on schedule, audit reads.

Who may record: an admin of the organisation the volunteer applied to or works with (the record is tied to
that application), or a coordinator for a volunteer living in one of their towns. Deletion rules
(DOMAIN.md): at once when the person does not start (an explicit action, or the application being withdrawn
or declined), and at the latest EFZ_RETENTION_MONTHS_AFTER_END months after the engagement ends (the daily
job `efz_records_purge`). A record tied to no application (recorded by a coordinator, e.g. for a tandem)
is deleted when its validity ends.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services import cancel, schedule
from volunteering.models import (
    Application,
    ApplicationStatus,
    Kommune,
    MembershipRole,
    Organisation,
    User,
)
from volunteering.models.efz import EfzInspector, EfzRecord, efz_expiry
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator, organisations_of
from volunteering.services.audit import audit_record

RENEWAL_KIND = "efz.renewal_due"
# A certificate must be at most three months old when it is shown (DOMAIN.md).
MAX_AGE_WHEN_SHOWN_MONTHS = 3
# Applications of these states may still need the record.
NEEDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT, ApplicationStatus.ACCEPTED)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Returns `day` moved by `months` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _today() -> datetime.date:
    return timezone.localdate(clock.now())


# --- Who may see and write a record ------------------------------------------------------------------
def efz_may_record_for_application(actor: User, application: Application) -> bool:
    """True when `actor` administers the organisation `application` went to, or coordinates its town."""
    need = application.need
    if organisations_of(actor, role=MembershipRole.ADMIN).filter(pk=need.organisation_id).exists():
        return True
    return is_coordinator(actor) and coordinator_kommunen(actor).filter(pk=need.kommune_id).exists()


def efz_may_record_for_volunteer(actor: User, volunteer: User) -> bool:
    """True when `actor` coordinates the town `volunteer` lives in."""
    if not is_coordinator(actor):
        return False
    profile = getattr(volunteer, "volunteer_profile", None)
    return profile is not None and coordinator_kommunen(actor).filter(pk=profile.kommune_id).exists()


def efz_may_manage(actor: User, record: EfzRecord) -> bool:
    """True when `actor` may see and delete `record` (the organisation's admins, the towns' coordinators)."""
    if record.organisation_id and (
        organisations_of(actor, role=MembershipRole.ADMIN).filter(pk=record.organisation_id).exists()
    ):
        return True
    if not is_coordinator(actor):
        return False
    towns = coordinator_kommunen(actor)
    profile = getattr(record.volunteer, "volunteer_profile", None)
    in_towns = profile is not None and towns.filter(pk=profile.kommune_id).exists()
    return in_towns or (record.kommune_id is not None and towns.filter(pk=record.kommune_id).exists())


# --- Recording -----------------------------------------------------------------------------------------
def _validate_dates(*, certificate_date: datetime.date, inspected_on: datetime.date) -> None:
    today = _today()
    errors = {}
    if certificate_date > today:
        errors["certificate_date"] = _("Das Ausstellungsdatum darf nicht in der Zukunft liegen.")
    if inspected_on > today:
        errors["inspected_on"] = _("Das Datum der Einsicht darf nicht in der Zukunft liegen.")
    elif inspected_on < certificate_date:
        errors["inspected_on"] = _("Die Einsicht kann nicht vor der Ausstellung liegen.")
    elif add_months(certificate_date, MAX_AGE_WHEN_SHOWN_MONTHS) < inspected_on:
        errors["certificate_date"] = _(
            "Das Führungszeugnis war bei der Einsicht älter als drei Monate. Bitte sehen Sie ein aktuelles "
            "Führungszeugnis ein."
        )
    if errors:
        raise ValidationError(errors)


def efz_record(
    *,
    actor: User,
    volunteer: User,
    certificate_date: datetime.date,
    relevant_entry: bool,
    inspected_by: str,
    inspected_on: datetime.date,
    application: Application | None = None,
    kommune: Kommune | None = None,
) -> EfzRecord:
    """Returns the new record of an inspected eFZ and schedules the renewal reminder.

    With `application`, `actor` must administer its organisation (the record belongs to that application
    and is deleted with it); without, `actor` must coordinate the volunteer's town.
    """
    organisation: Organisation | None = None
    if application is not None:
        if application.volunteer_id != volunteer.pk or not efz_may_record_for_application(actor, application):
            raise ValidationError(_("Sie können für diese Person kein Führungszeugnis erfassen."))
        if application.status not in NEEDING_STATUSES:
            raise ValidationError(
                _("Die Bewerbung ist beendet; ein Führungszeugnis wird dafür nicht mehr gebraucht.")
            )
        organisation = application.need.organisation
    elif not efz_may_record_for_volunteer(actor, volunteer):
        raise ValidationError(_("Sie können für diese Person kein Führungszeugnis erfassen."))
    if inspected_by == EfzInspector.KOMMUNE and kommune is None:
        raise ValidationError({"kommune": _("Bitte wählen Sie die Kommune, die eingesehen hat.")})
    if inspected_by == EfzInspector.ORGANISATION:
        if organisation is None:
            message = _("Ohne Bewerbung kann nur eine Kommune als einsehende Stelle erfasst werden.")
            raise ValidationError({"inspected_by": message})
        kommune = None
    _validate_dates(certificate_date=certificate_date, inspected_on=inspected_on)
    with transaction.atomic():
        record = EfzRecord(
            volunteer=volunteer,
            organisation=organisation,
            application=application,
            certificate_date=certificate_date,
            relevant_entry=relevant_entry,
            inspected_by=inspected_by,
            kommune=kommune,
            inspected_on=inspected_on,
            recorded_by=actor,
            valid_until=efz_expiry(certificate_date),
        )
        record.full_clean()
        record.save()
        audit_record(actor=actor, action="efz.record", obj=record)
        _schedule_renewal(record)
    return record


def _schedule_renewal(record: EfzRecord) -> None:
    day = record.valid_until - datetime.timedelta(days=settings.EFZ_RENEWAL_NOTICE_DAYS)
    due = clock.local_datetime(max(day, _today()), datetime.time(9, 0))
    if record.relevant_entry or due <= clock.now():
        return
    schedule(kind=RENEWAL_KIND, recipient=record.volunteer, refs={"efz_record": record.pk}, due=due)


def _delete(records: Iterable[EfzRecord]) -> int:
    done = 0
    for record in records:
        cancel(kind=RENEWAL_KIND, refs={"efz_record": record.pk})
        record.delete()
        done += 1
    return done


# --- Deletion -----------------------------------------------------------------------------------------
def efz_delete_not_started(*, record: EfzRecord, actor: User) -> None:
    """Deletes `record` at once because the person does not take up the activity ("nicht begonnen")."""
    with transaction.atomic():
        record = EfzRecord.objects.select_for_update().select_related("volunteer").get(pk=record.pk)
        if not efz_may_manage(actor, record):
            raise ValidationError(_("Sie können diesen Eintrag nicht löschen."))
        audit_record(actor=actor, action="efz.delete_not_started", obj=record)
        _delete([record])


def efz_delete_for_application(*, application: Application) -> int:
    """Deletes the records tied to `application` (withdrawn or declined: the person does not start)."""
    return _delete(EfzRecord.objects.filter(application=application))


def efz_records_purge(*, today: datetime.date | None = None) -> int:
    """Deletes the records no longer allowed to exist on `today`; returns how many. Run daily by beat.

    - the engagement ended EFZ_RETENTION_MONTHS_AFTER_END months ago (deleted on that day at the latest);
    - the application was withdrawn or declined (normally deleted at once; this catches any left over);
    - a record tied to no application whose validity has ended.
    """
    today = today or _today()
    months = settings.EFZ_RETENTION_MONTHS_AFTER_END
    # ends_on + months <= today  ⇔  ends_on <= today - months (month arithmetic on the last-day edge:
    # compare each candidate exactly in Python, after a generous database pre-filter).
    cutoff = add_months(today, -months) + datetime.timedelta(days=3)
    ended = EfzRecord.objects.filter(application__engagement__ends_on__lte=cutoff).select_related(
        "application__engagement"
    )
    due = [r for r in ended if add_months(r.application.engagement.ends_on, months) <= today]
    stopped = EfzRecord.objects.filter(
        application__status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED]
    )
    unlinked = EfzRecord.objects.filter(Q(application__isnull=True), valid_until__lte=today)
    with transaction.atomic():
        return _delete([*due, *stopped, *unlinked])


# --- Reads that must be logged -------------------------------------------------------------------------
def efz_records_audit(*, actor: User, records: Iterable[EfzRecord], action: str = "efz.view") -> None:
    """Writes one audit entry per record shown to `actor` (ids and the kind of access only)."""
    for record in records:
        audit_record(actor=actor, action=action, obj=record)
