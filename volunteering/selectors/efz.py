"""Reads about eFZ records (§72a SGB VIII): validity for other parts of the platform, and scoped lists.

`valid_efz_user_ids` and `has_valid_efz` answer only yes/no and never write an audit entry: they reveal no
more than whether a person may take a role that needs a certificate. Screens that show a record call the
listing selectors here and audit the access in the view's service call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from volunteering.models import MembershipRole, User
from volunteering.models.efz import EfzRecord
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator, organisations_of


def _valid_on(on_date: datetime.date) -> Q:
    return Q(relevant_entry=False, certificate_date__lte=on_date, valid_until__gt=on_date)


def valid_efz_user_ids(user_ids: Iterable[int], on_date: datetime.date) -> set[int]:
    """Returns those of `user_ids` who have an inspected eFZ valid on `on_date` without a relevant entry."""
    ids = list(user_ids)
    if not ids:
        return set()
    rows = EfzRecord.objects.filter(_valid_on(on_date), volunteer_id__in=ids).values_list(
        "volunteer_id", flat=True
    )
    return set(rows)


def has_valid_efz(user: User, on_date: datetime.date) -> bool:
    """True when `user` has an inspected eFZ valid on `on_date` without a relevant entry."""
    if not getattr(user, "pk", None):
        return False
    return EfzRecord.objects.filter(_valid_on(on_date), volunteer_id=user.pk).exists()


def own_efz_records(user: User) -> QuerySet[EfzRecord]:
    """Returns the person's own records (for Mein Bereich and the data export)."""
    return EfzRecord.objects.filter(volunteer=user).select_related("organisation", "kommune")


def efz_records_for_organisation_admin(user: User, organisation_id: int) -> QuerySet[EfzRecord]:
    """Returns the records of one organisation, if `user` administers it (else none)."""
    if not organisations_of(user, role=MembershipRole.ADMIN).filter(pk=organisation_id).exists():
        return EfzRecord.objects.none()
    return EfzRecord.objects.filter(organisation_id=organisation_id).select_related(
        "volunteer__volunteer_profile", "application__need"
    )


def efz_records_for_coordinator(user: User) -> QuerySet[EfzRecord]:
    """Returns the records a coordinator may see: volunteers living in, or inspected by, their towns."""
    if not is_coordinator(user):
        return EfzRecord.objects.none()
    towns = coordinator_kommunen(user)
    return (
        EfzRecord.objects.filter(Q(volunteer__volunteer_profile__kommune__in=towns) | Q(kommune__in=towns))
        .distinct()
        .select_related("volunteer__volunteer_profile", "organisation", "kommune")
    )
