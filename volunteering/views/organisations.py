"""The organisation area ("Organisationsbereich") and the public page of a verified organisation.

config/access.py declares the coarse rule of each URL (signed in; member of an organisation). Which
organisation a person may open is decided in one place, `_get_organisation_for_member`, which answers 404
for every organisation the person does not belong to (or does not administer, where that is needed).
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_organisation import InvitationForm, MembershipRoleForm, OrganisationForm
from volunteering.models import MembershipRole, Organisation
from volunteering.selectors.organisations import (
    invitation_for_token,
    invitation_matches,
    is_admin_of,
    members_of,
    memberships_of_user,
    open_invitations_of,
    organisation_of_member,
    verified_organisations,
)
from volunteering.services.organisations import (
    invitation_accept,
    invitation_create,
    membership_change_role,
    membership_remove,
    organisation_register,
    organisation_update,
)


def _get_organisation_for_member(request: HttpRequest, pk: int, *, admin: bool = False) -> Organisation:
    """Returns the organisation `pk` of the signed-in person (as an admin, if asked); 404 otherwise."""
    organisation = organisation_of_member(request.user, pk, admin=admin)
    if organisation is None:
        raise Http404
    return organisation


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Registering and the person's organisations ------------------------------------------------------
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register(user=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Ihre Organisation ist registriert. Die Koordination prüft Ihre Angaben, meist innerhalb "
                    "weniger Tage. Bis dahin ist Ihre Seite nicht öffentlich."
                ),
            )
            return redirect("organisation:detail", pk=organisation.pk)
    return render(request, "volunteering/organisations/register.html", {"form": form})


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/organisations/dashboard.html",
        {"memberships": memberships_of_user(request.user)},
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk)
    return render(
        request,
        "volunteering/organisations/detail.html",
        {"organisation": organisation, "is_admin": is_admin_of(request.user, organisation)},
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk, admin=True)
    # The form validates a copy, so that the page keeps showing the saved name while input is invalid.
    form = OrganisationForm(request.POST or None, instance=copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(organisation=organisation, actor=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect("organisation:detail", pk=organisation.pk)
    return render(
        request, "volunteering/organisations/edit.html", {"form": form, "organisation": organisation}
    )


# --- Members and invitations -------------------------------------------------------------------------
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk, admin=True)
    return render(
        request,
        "volunteering/organisations/members.html",
        {
            "organisation": organisation,
            "memberships": members_of(organisation),
            "invitations": open_invitations_of(organisation),
            "roles": MembershipRole.choices,
        },
    )


@require_POST
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk, admin=True)
    membership = get_object_or_404(members_of(organisation), pk=membership_pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine der angebotenen Rollen."))
        return redirect("organisation:members", pk=organisation.pk)
    try:
        membership = membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("organisation:members", pk=organisation.pk)
    messages.success(request, _("Die Rolle ist geändert."))
    if membership.user_id == request.user.pk and membership.role != MembershipRole.ADMIN:
        # Whoever steps down from the administration can no longer see the members list.
        return redirect("organisation:detail", pk=organisation.pk)
    return redirect("organisation:members", pk=organisation.pk)


@require_POST
def membership_delete(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk, admin=True)
    membership = get_object_or_404(members_of(organisation), pk=membership_pk)
    try:
        membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("organisation:members", pk=organisation.pk)
    if membership.user_id == request.user.pk:
        messages.success(request, _("Sie gehören nicht mehr zu dieser Organisation."))
        return redirect("organisation:dashboard")
    messages.success(request, _("Die Person gehört nicht mehr zu Ihrer Organisation."))
    return redirect("organisation:members", pk=organisation.pk)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, pk, admin=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organisation=organisation,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=translation.get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s ist unterwegs.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisation:members", pk=organisation.pk)
    return render(
        request, "volunteering/organisations/invite.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens. Accepting needs the invited, verified address (see the service)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "volunteering/organisations/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "volunteering/organisations/invitation_accept.html",
            {"invitation": invitation, "next": request.get_full_path()},
        )
    if not invitation_matches(request.user, invitation):
        return render(
            request,
            "volunteering/organisations/invitation_accept.html",
            {"invitation": invitation, "wrong_account": True},
            status=403,
        )
    if request.method == "POST":
        try:
            membership = invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
            return redirect("organisation:dashboard")
        messages.success(
            request,
            _("Willkommen bei %(name)s.") % {"name": invitation.organisation.name},
        )
        return redirect("organisation:detail", pk=membership.organisation_id)
    return render(request, "volunteering/organisations/invitation_accept.html", {"invitation": invitation})


# --- Public ------------------------------------------------------------------------------------------
@require_GET
def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of a verified organisation; others do not exist for the public (404)."""
    organisation = get_object_or_404(verified_organisations().prefetch_related("kommunen"), slug=slug)
    return render(request, "volunteering/organisations/public.html", {"organisation": organisation})
