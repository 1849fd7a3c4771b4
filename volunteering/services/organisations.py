"""Writes about organisations: registration and editing, review by coordinators, memberships,
invitations by email, and the assignment of coordinator roles.

Every service checks that the acting person may do what they ask (PermissionDenied otherwise), even
though views already load objects through their area's access helper: the rules live here once.
Breaking a business rule (the last admin leaving, an expired invitation) raises ValidationError with a
sentence the view shows as it is.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.services import notify
from volunteering.models import (
    CoordinatorRole,
    Kommune,
    MembershipRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
    User,
)
from volunteering.selectors.organisations import (
    INVITATION_SALT,
    INVITATION_VALIDITY,
    can_assign_coordinators,
    can_review,
    invitation_matches,
    is_admin_of,
)
from volunteering.selectors.roles import COORDINATOR_GROUP

GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
http_url_validator = URLValidator(schemes=["http", "https"])


# --- Registration and editing ------------------------------------------------------------------------
def _unique_slug(name: str) -> str:
    """Returns a URL-safe short name for `name` that no organisation uses yet ("-2", "-3"… if taken)."""
    base = slugify(name.translate(GERMAN_LETTERS))[:170].strip("-") or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _apply_details(
    organisation: Organisation,
    *,
    name: str,
    legal_form: str,
    is_mso: bool,
    kommunen: Iterable[Kommune],
    description: str,
    email: str,
    phone: str,
    website: str,
    response_deadline_days: int,
) -> list[Kommune]:
    organisation.name = name.strip()
    organisation.legal_form = legal_form
    organisation.is_mso = is_mso
    organisation.description = description.strip()
    organisation.email = email.strip()
    organisation.phone = phone.strip()
    organisation.website = website.strip()
    organisation.response_deadline_days = response_deadline_days
    towns = list(kommunen)
    errors = {}
    if not towns:
        errors["kommunen"] = _(
            "Bitte wählen Sie mindestens eine Kommune, in der Ihre Organisation tätig ist."
        )
    if organisation.website:
        try:
            http_url_validator(organisation.website)
        except ValidationError:
            errors["website"] = _("Bitte geben Sie eine Adresse an, die mit http:// oder https:// beginnt.")
    if errors:
        raise ValidationError(errors)
    organisation.full_clean()
    return towns


@transaction.atomic
def organisation_register(
    *,
    user: User,
    name: str,
    legal_form: str,
    kommunen: Iterable[Kommune],
    description: str,
    email: str,
    is_mso: bool = False,
    phone: str = "",
    website: str = "",
    response_deadline_days: int = 3,
) -> Organisation:
    """Creates an organisation waiting for review and makes `user` its first admin; returns it."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    organisation = Organisation(slug=_unique_slug(name), status=OrganisationStatus.PENDING)
    towns = _apply_details(
        organisation,
        name=name,
        legal_form=legal_form,
        is_mso=is_mso,
        kommunen=kommunen,
        description=description,
        email=email,
        phone=phone,
        website=website,
        response_deadline_days=response_deadline_days,
    )
    organisation.save()
    organisation.kommunen.set(towns)
    membership = OrganisationMembership(organisation=organisation, user=user, role=MembershipRole.ADMIN)
    membership.full_clean()
    membership.save()
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    legal_form: str,
    kommunen: Iterable[Kommune],
    description: str,
    email: str,
    is_mso: bool = False,
    phone: str = "",
    website: str = "",
    response_deadline_days: int = 3,
) -> Organisation:
    """Changes the organisation's own details; returns it.

    The review fields (status, note, verified by/at) and the short name are not parameters, so no form
    can change them. A rejected organisation that corrects its details waits for review again.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not is_admin_of(actor, organisation):
        raise PermissionDenied
    towns = _apply_details(
        organisation,
        name=name,
        legal_form=legal_form,
        is_mso=is_mso,
        kommunen=kommunen,
        description=description,
        email=email,
        phone=phone,
        website=website,
        response_deadline_days=response_deadline_days,
    )
    if organisation.status == OrganisationStatus.REJECTED:
        organisation.status = OrganisationStatus.PENDING
    organisation.save()
    organisation.kommunen.set(towns)
    return organisation


# --- Review by coordinators --------------------------------------------------------------------------
def _review(*, organisation: Organisation, actor: User, status: str, note: str) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not can_review(actor, organisation):
        raise PermissionDenied
    organisation.status = status
    organisation.status_note = note.strip()
    organisation.verified_by = actor
    organisation.verified_at = timezone.now()
    organisation.full_clean()
    organisation.save()
    _tell_admins_about_review(organisation)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor: User, note: str = "") -> Organisation:
    """Marks the organisation as checked by a coordinator of one of its towns; it becomes public."""
    return _review(organisation=organisation, actor=actor, status=OrganisationStatus.VERIFIED, note=note)


@transaction.atomic
def organisation_reject(*, organisation: Organisation, actor: User, note: str) -> Organisation:
    """Rejects the organisation with a reason the admins read; it is not (or no longer) public."""
    if not note.strip():
        raise ValidationError({"note": _("Bitte schreiben Sie der Organisation, warum Sie ablehnen.")})
    return _review(organisation=organisation, actor=actor, status=OrganisationStatus.REJECTED, note=note)


def _tell_admins_about_review(organisation: Organisation) -> None:
    """Tells the organisation's admins the result of the review (outbox: email and in-app, each in their
    language, sent after commit). Each review is its own event, so a second review is told again."""
    kind = (
        "organisation.verified"
        if organisation.status == OrganisationStatus.VERIFIED
        else "organisation.rejected"
    )
    reviewed_at = int(organisation.verified_at.timestamp() * 1_000_000)
    for membership in organisation.memberships.filter(role=MembershipRole.ADMIN).select_related("user"):
        notify(
            kind=kind,
            recipient=membership.user,
            refs={"organisation": organisation.pk},
            key=f"{kind}:{organisation.pk}:{membership.user_id}:{reviewed_at}",
        )


# --- Memberships -------------------------------------------------------------------------------------
def _lock_membership(membership: OrganisationMembership, actor: User) -> OrganisationMembership:
    """Locks the organisation (so two admins cannot demote each other at once) and checks `actor`."""
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    membership = OrganisationMembership.objects.select_related("organisation").get(pk=membership.pk)
    if not is_admin_of(actor, membership.organisation):
        raise PermissionDenied
    return membership


def _is_last_admin(membership: OrganisationMembership) -> bool:
    return (
        membership.role == MembershipRole.ADMIN
        and not OrganisationMembership.objects.filter(
            organisation_id=membership.organisation_id, role=MembershipRole.ADMIN
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(
    *, membership: OrganisationMembership, actor: User, role: str
) -> OrganisationMembership:
    """Gives a member another role; the last admin cannot step down."""
    membership = _lock_membership(membership, actor)
    if role != MembershipRole.ADMIN and _is_last_admin(membership):
        raise ValidationError(
            _(
                "Eine Organisation braucht mindestens eine Person in der Verwaltung. "
                "Ernennen Sie zuerst eine andere."
            )
        )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, actor: User) -> None:
    """Removes a person from the organisation; the last admin cannot be removed."""
    membership = _lock_membership(membership, actor)
    if _is_last_admin(membership):
        raise ValidationError(
            _(
                "Die letzte Person in der Verwaltung kann nicht entfernt werden. "
                "Ernennen Sie zuerst eine andere."
            )
        )
    membership.delete()


# --- Invitations -------------------------------------------------------------------------------------
def invitation_token(invitation: OrganisationInvitation) -> str:
    """Returns the signed value of an invitation link; it expires with the invitation (14 days)."""
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=INVITATION_SALT)


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    actor: User,
    email: str,
    role: str = MembershipRole.MEMBER,
    language: str | None = None,
) -> OrganisationInvitation:
    """Invites `email` to join with `role`; the link goes out through the outbox after commit, in `language`.

    A second invitation to the same address replaces the open one (its old link stops working).
    """
    if not is_admin_of(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if OrganisationMembership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Diese Person gehört schon zu Ihrer Organisation.")})
    OrganisationInvitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).delete()
    invitation = OrganisationInvitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()

    # A bare address (the person may have no account yet), in the language of the inviting page; the
    # outbox sends it after commit.
    notify(
        kind="organisation.invitation",
        email=email,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        refs={"organisation_invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, user: User) -> OrganisationMembership:
    """Makes `user` a member with the invited role; returns the membership.

    Only the person who can read the invited mailbox may accept: their account must have the invited
    address, verified. A forwarded or leaked link is therefore useless to anyone else. An existing member
    invited as admin becomes admin; nobody is demoted by an invitation.
    """
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.created_at < timezone.now() - INVITATION_VALIDITY:
        raise ValidationError(_("Diese Einladung ist abgelaufen oder wurde schon angenommen."))
    if not user.is_authenticated or not invitation_matches(user, invitation):
        raise PermissionDenied
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation_id=invitation.organisation_id, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == MembershipRole.ADMIN and membership.role != MembershipRole.ADMIN:
        membership.role = MembershipRole.ADMIN
        membership.full_clean()
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


# --- Coordinator roles -------------------------------------------------------------------------------
def _coordination_group() -> Group:
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@transaction.atomic
def coordinator_role_assign(
    *, actor: User, user: User, whole_district: bool, kommunen: Iterable[Kommune]
) -> CoordinatorRole:
    """Makes `user` a coordinator for the whole district or for `kommunen`; returns the role.

    The person joins the coordination group and the staff, so they reach the Wagtail admin (after
    setting up two-factor login). Only superusers and district-wide coordinators assign roles.
    """
    if not can_assign_coordinators(actor):
        raise PermissionDenied
    towns = list(kommunen)
    if not whole_district and not towns:
        raise ValidationError(
            {"kommunen": _("Wählen Sie mindestens eine Kommune oder „Für den ganzen Kreis“.")}
        )
    role = CoordinatorRole.objects.filter(user=user).first() or CoordinatorRole(user=user)
    role.whole_district = whole_district
    role.full_clean()
    role.save()
    role.kommunen.set([] if whole_district else towns)
    user.groups.add(_coordination_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return role


@transaction.atomic
def coordinator_role_revoke(*, actor: User, role: CoordinatorRole) -> None:
    """Ends a coordinator role; the person leaves the coordination group and, without other staff
    groups, the staff."""
    if not can_assign_coordinators(actor):
        raise PermissionDenied
    user = role.user
    role.delete()
    user.groups.remove(*Group.objects.filter(name=COORDINATOR_GROUP))
    user.is_staff = user.is_superuser or user.groups.exists()
    user.save(update_fields=["is_staff"])
