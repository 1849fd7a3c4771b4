"""Taster offers: booking from the offer page, the person's bookings, the organisation's attendance list,
proposals of new offers, and the iCal feed. Access policies: config/access.py ("# --- Taster offers").

The offer pages are Wagtail pages; they are found through volunteering.selectors.tasters. The
organisation's side goes through `_get_organisation_for_member`: 404 for every other organisation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_tasters import TasterProposalForm
from volunteering.models import Organisation
from volunteering.selectors.organisations import organisation_of_member
from volunteering.selectors.tasters import (
    bookable_offer,
    offer_of_organisation,
    offers_of_organisation,
    signup_for_organisation,
    signup_of_user,
    signups_for_organisation,
    signups_of,
    upcoming_offers,
)
from volunteering.services.tasters import (
    taster_book,
    taster_cancel,
    taster_mark_attendance,
    taster_offer_propose,
)


def _get_offer(pk: int):
    offer = bookable_offer(pk)
    if offer is None:
        raise Http404
    return offer


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Volunteers ---------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (where a new visitor lands after sign-up); POST: books the seat."""
    offer = _get_offer(pk)
    if request.method == "POST":
        try:
            signup = taster_book(offer=offer.source, user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            if signup.status == "waitlisted":
                messages.warning(
                    request,
                    _("Das Angebot ist voll. Sie stehen auf der Warteliste und rücken automatisch nach."),
                )
            else:
                messages.success(
                    request, _("Ihr Platz ist gebucht. Wir haben Ihnen eine Bestätigung geschickt.")
                )
        return redirect(offer.localized.url or offer.url)
    return render(request, "volunteering/tasters/book.html", {"offer": offer.localized})


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteering/tasters/mine.html", {"signups": signups_of(request.user)})


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = signup_of_user(request.user, pk)
    if signup is None:
        raise Http404
    try:
        taster_cancel(signup=signup, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Sie haben abgesagt. Danke, dass Sie Bescheid gegeben haben."))
    return redirect("tasters:mine")


# --- Organisations ------------------------------------------------------------------------------------
def _get_organisation_for_member(request: HttpRequest, org_pk: int, *, admin: bool = False) -> Organisation:
    organisation = organisation_of_member(request.user, org_pk, admin=admin)
    if organisation is None:
        raise Http404
    return organisation


def _get_offer_for_member(request: HttpRequest, org_pk: int, pk: int):
    organisation = _get_organisation_for_member(request, org_pk)
    offer = offer_of_organisation(organisation, pk)
    if offer is None:
        raise Http404
    return organisation, offer


@require_GET
def organisation_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, org_pk)
    return render(
        request,
        "volunteering/tasters/organisation_list.html",
        {
            "organisation": organisation,
            "offers": offers_of_organisation(organisation),
            "is_admin": organisation_of_member(request.user, org_pk, admin=True) is not None,
        },
    )


@require_GET
def organisation_detail(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organisation, offer = _get_offer_for_member(request, org_pk, pk)
    return render(
        request,
        "volunteering/tasters/organisation_detail.html",
        {"organisation": organisation, "offer": offer, "signups": signups_for_organisation(offer)},
    )


@require_POST
def organisation_attendance(request: HttpRequest, org_pk: int, pk: int, signup_pk: int) -> HttpResponse:
    organisation, offer = _get_offer_for_member(request, org_pk, pk)
    signup = signup_for_organisation(offer, signup_pk)
    if signup is None:
        raise Http404
    try:
        taster_mark_attendance(
            signup=signup, actor=request.user, attended=request.POST.get("attended") == "yes"
        )
    except ValidationError as error:
        _show_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Die Teilnahme ist eingetragen."))
    return redirect("tasters:organisation_detail", org_pk=organisation.pk, pk=offer.pk)


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, org_pk, admin=True)
    form = TasterProposalForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            taster_offer_propose(organisation=organisation, actor=request.user, details=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Danke! Ihr Vorschlag ist bei der Redaktion. "
                    "Sie veröffentlicht ihn nach einer kurzen Prüfung."
                ),
            )
            return redirect("tasters:organisation_list", org_pk=organisation.pk)
    return render(request, "volunteering/tasters/propose.html", {"organisation": organisation, "form": form})


# --- iCal feed ----------------------------------------------------------------------------------------
@require_GET
def ical(request: HttpRequest) -> HttpResponse:
    """Returns the upcoming public taster offers as an iCalendar feed."""
    from volunteering.calendar_feed import offers_to_ical

    body = offers_to_ical(upcoming_offers(locale=None).filter(locale__language_code="de"), request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schnupperangebote.ics"'
    return response
