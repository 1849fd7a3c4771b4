"""Demo eFZ records and letters: for up to two open or accepted applications of the demo volunteers, the
organisation's admin has inspected the certificate and issued the confirmation for the Meldebehörde.

Idempotent: an application that has a record (or a confirmation) already is left alone. Writes go through
the services, so the renewal reminder and the audit trail look as in real use.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from volunteering.demo_applications import _volunteers
from volunteering.letters.kinds import EFZ_CONFIRMATION
from volunteering.models import Application, EfzRecord, IssuedLetter, MembershipRole, OrganisationMembership
from volunteering.services.efz import NEEDING_STATUSES, efz_record
from volunteering.services.letters import efz_confirmation_issue

HOW_MANY = 2


@transaction.atomic
def seed_efz() -> int:
    """Creates the demo records and confirmations that do not exist yet; returns how many records exist."""
    applications = (
        Application.objects.filter(volunteer__in=_volunteers(), status__in=NEEDING_STATUSES)
        .select_related("need__organisation", "volunteer")
        .order_by("pk")
    )
    today = timezone.localdate()
    done = 0
    for application in applications:
        if done >= HOW_MANY:
            break
        admin = (
            OrganisationMembership.objects.filter(
                organisation_id=application.need.organisation_id, role=MembershipRole.ADMIN
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if admin is None:
            continue
        if not EfzRecord.objects.filter(application=application).exists():
            efz_record(
                actor=admin.user,
                volunteer=application.volunteer,
                application=application,
                certificate_date=today - timedelta(days=20),
                relevant_entry=False,
                inspected_by="organisation",
                inspected_on=today - timedelta(days=5),
            )
        if not IssuedLetter.objects.filter(
            kind=EFZ_CONFIRMATION.name,
            subject=application.volunteer,
            organisation=application.need.organisation,
        ).exists():
            efz_confirmation_issue(application=application, actor=admin.user)
        done += 1
    return EfzRecord.objects.count()
