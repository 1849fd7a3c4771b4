"""Who may download an issued letter: the person it is about, admins of the issuing organisation, and
coordinators of the towns involved (the person's town, the organisation's towns). Everyone else: None."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from volunteering.models import IssuedLetter, MembershipRole, User
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator, organisations_of


def letters_visible_to(user: User) -> QuerySet[IssuedLetter]:
    """Returns the letters `user` may download."""
    if not user.is_authenticated:
        return IssuedLetter.objects.none()
    visible = Q(subject=user) | Q(organisation__in=organisations_of(user, role=MembershipRole.ADMIN))
    if is_coordinator(user):
        towns = coordinator_kommunen(user)
        visible |= Q(subject__volunteer_profile__kommune__in=towns) | Q(organisation__kommunen__in=towns)
    return IssuedLetter.objects.filter(visible).distinct()


def letters_revocable_by(user: User) -> QuerySet[IssuedLetter]:
    """Returns the letters `user` may revoke: those of organisations they administer, and for coordinators
    those about people of their towns or issued by organisations in their towns (not the person's own)."""
    if not user.is_authenticated:
        return IssuedLetter.objects.none()
    allowed = Q(organisation__in=organisations_of(user, role=MembershipRole.ADMIN))
    if is_coordinator(user):
        towns = coordinator_kommunen(user)
        allowed |= Q(subject__volunteer_profile__kommune__in=towns) | Q(organisation__kommunen__in=towns)
    return IssuedLetter.objects.filter(allowed).distinct()


def letter_for_download(user: User, pk: int) -> IssuedLetter | None:
    return letters_visible_to(user).filter(pk=pk).select_related("organisation").first()


def own_letters(user: User) -> QuerySet[IssuedLetter]:
    return IssuedLetter.objects.filter(subject=user).select_related("organisation")
