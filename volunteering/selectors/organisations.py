"""Reads about organisations: who sees which organisation, members, invitations, the public listing."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core import signing
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from volunteering.models import (
    Kommune,
    MembershipRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
    User,
)
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator

INVITATION_SALT = "volunteering.organisation-invitation"
INVITATION_VALIDITY = timedelta(days=14)


def verified_organisations() -> QuerySet[Organisation]:
    """Returns the organisations the public may see."""
    return Organisation.objects.filter(status=OrganisationStatus.VERIFIED)


def organisation_of_member(user: User, pk: int, *, admin: bool = False) -> Organisation | None:
    """Returns the organisation `pk` if `user` belongs to it (as an admin, if asked), else None."""
    if not user.is_authenticated:
        return None
    memberships = OrganisationMembership.objects.filter(user=user, organisation_id=pk)
    if admin:
        memberships = memberships.filter(role=MembershipRole.ADMIN)
    membership = memberships.select_related("organisation").first()
    return membership.organisation if membership else None


def memberships_of_user(user: User) -> QuerySet[OrganisationMembership]:
    """Returns the person's memberships with their organisations, for the dashboard."""
    return (
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("organisation__kommunen")
        .order_by("organisation__name")
    )


def is_admin_of(user: User, organisation: Organisation) -> bool:
    return OrganisationMembership.objects.filter(
        user=user, organisation=organisation, role=MembershipRole.ADMIN
    ).exists()


def members_of(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """Returns the organisation's memberships with the people, admins first."""
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def open_invitations() -> QuerySet[OrganisationInvitation]:
    """Returns the invitations that can still be accepted (not used, younger than 14 days)."""
    return OrganisationInvitation.objects.filter(
        accepted_at__isnull=True, created_at__gte=timezone.now() - INVITATION_VALIDITY
    )


def open_invitations_of(organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    """Returns the organisation's invitations that can still be accepted, newest first."""
    return open_invitations().filter(organisation=organisation).order_by("-created_at")


def invitation_for_token(token: str) -> OrganisationInvitation | None:
    """Returns the open invitation a link points to, or None if the link is forged, expired or used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALIDITY)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        open_invitations()
        .select_related("organisation")
        .filter(pk=data.get("id"), email__iexact=str(data.get("email", "")))
        .first()
    )


def organisations_for_coordinator(user: User) -> QuerySet[Organisation]:
    """Returns the organisations a coordinator may review: those active in one of their towns.

    Superusers see all. Pending organisations come first, then by name.
    """
    if user.is_authenticated and user.is_superuser:
        organisations = Organisation.objects.all()
    elif is_coordinator(user):
        if user.coordinator_role.whole_district:
            organisations = Organisation.objects.all()
        else:
            ids = Organisation.objects.filter(kommunen__in=coordinator_kommunen(user)).values("pk")
            organisations = Organisation.objects.filter(pk__in=ids)
    else:
        organisations = Organisation.objects.none()
    return organisations.annotate(
        review_order=Case(
            When(status=OrganisationStatus.PENDING, then=Value(0)),
            When(status=OrganisationStatus.REJECTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("review_order", "name")


def reviewable_kommunen(user: User) -> QuerySet[Kommune]:
    """Returns the towns whose organisations `user` reviews (all for superusers)."""
    if user.is_authenticated and user.is_superuser:
        return Kommune.objects.all()
    return coordinator_kommunen(user)


def can_review(user: User, organisation: Organisation) -> bool:
    """True if `user` may verify or reject `organisation` (a coordinator of one of its towns)."""
    return organisations_for_coordinator(user).filter(pk=organisation.pk).exists()


def can_assign_coordinators(user: User) -> bool:
    """Superusers and district-wide coordinators assign coordinator roles."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (is_coordinator(user) and user.coordinator_role.whole_district)


def invitation_matches(user: User, invitation: OrganisationInvitation) -> bool:
    """True if one of the person's verified email addresses is the invited one."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()
