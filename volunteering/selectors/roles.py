"""What a person may do: their roles, read from the database on every request (revoking applies at once)."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from volunteering.models import Kommune, MembershipRole, Organisation, User

EDITOR_GROUP = "Redaktion"
COORDINATOR_GROUP = "Koordination"


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "coordinator_role")


def coordinator_kommunen(user: User) -> QuerySet[Kommune]:
    """Returns the towns a coordinator is responsible for (all towns for a district-wide role)."""
    if not is_coordinator(user):
        return Kommune.objects.none()
    role = user.coordinator_role
    return Kommune.objects.all() if role.whole_district else role.kommunen.all()


def organisations_of(user: User, *, role: str | None = None) -> QuerySet[Organisation]:
    """Returns the organisations the person belongs to (optionally only those where they have `role`)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = {"memberships__user": user}
    if role:
        memberships["memberships__role"] = role
    return Organisation.objects.filter(**memberships).distinct()


def is_organisation_member(user: User) -> bool:
    return organisations_of(user).exists()


def is_organisation_admin(user: User) -> bool:
    return organisations_of(user, role=MembershipRole.ADMIN).exists()


def is_editor(user: User) -> bool:
    return user.is_authenticated and user.groups.filter(name=EDITOR_GROUP).exists()


def requires_mfa(user: User) -> bool:
    """Staff roles (coordinators, organisation admins, editors, superusers) must use two-factor login."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or is_coordinator(user) or is_editor(user) or is_organisation_admin(user)


def has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_mfa_in_session(request) -> bool:
    """True when the person confirmed this session with their second factor (allauth's login records)."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))
