"""Tandems on the public site and in "Mein Bereich". Access policies: config/access.py ("# --- Tandems").

The public request form is for newcomers and their advisers (no account needed): honeypot, a rate limit
per address, a confirmation page and an email in the chosen language. A volunteer sees only the tandems
proposed to them (`_get_own_tandem` → 404 for every other), and of the newcomer only the first name or
alias, languages, town and interests – never contact data.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import clock
from volunteering.forms_tandems import CheckInForm, DeclineForm, EvaluationForm, TandemRequestForm
from volunteering.models import Tandem, TandemRequestStatus, TandemStatus
from volunteering.selectors.tandems import check_in_of_volunteer, tandem_of_volunteer, tandems_of_volunteer
from volunteering.services.tandems import (
    current_tandem_consent_text,
    tandem_accept,
    tandem_check_in_answer,
    tandem_decline,
    tandem_evaluate,
    tandem_request_from_token,
    tandem_request_submit,
    tandem_request_withdraw,
)

RATE_LIMIT_APP = "volunteering.tandems"


def _rate_limited(request: HttpRequest) -> bool:
    """Counts a submission of the public form; True when the address sent too many."""
    usage = ratelimit.consume(
        request,
        app=RATE_LIMIT_APP,
        action="request",
        config={"request": settings.TANDEM_REQUEST_RATE_LIMIT},
    )
    return usage is None


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Public request form --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    consent_text = current_tandem_consent_text()
    form = TandemRequestForm(request.POST or None, consent_text=consent_text)
    if request.method == "POST":
        if _rate_limited(request):
            return ratelimit.respond_429(request)
        if form.is_bot:
            # Answer as if it worked, so that the bot learns nothing; nothing is stored.
            return redirect("tandems:request_done")
        if form.is_valid():
            try:
                tandem_request_submit(
                    details=form.details(),
                    consent_recorded_by=form.cleaned_data["requester"],
                    consent_language=get_language() or settings.LANGUAGE_CODE,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return redirect("tandems:request_done")
    return render(
        request,
        "volunteering/tandems/request_form.html",
        {"form": form, "consent_text": consent_text},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def request_done(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteering/tandems/request_done.html")


@require_http_methods(["GET", "POST"])
def request_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the newcomer's confirmation: withdraws the request (its data is deleted at night)."""
    tandem_request = tandem_request_from_token(token)
    if tandem_request is None:
        return render(request, "volunteering/tandems/request_withdraw_invalid.html", status=404)
    if request.method == "POST":
        if tandem_request.status != TandemRequestStatus.WITHDRAWN:
            tandem_request_withdraw(request=tandem_request, actor=None, by_newcomer=True)
        return render(request, "volunteering/tandems/request_withdraw.html", {"done": True})
    return render(
        request,
        "volunteering/tandems/request_withdraw.html",
        {"done": tandem_request.status == TandemRequestStatus.WITHDRAWN, "tandem_request": tandem_request},
    )


# --- Mein Bereich ---------------------------------------------------------------------------------------
def _get_own_tandem(request: HttpRequest, pk: int) -> Tandem:
    tandem = tandem_of_volunteer(request.user, pk)
    if tandem is None:
        raise Http404
    return tandem


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    tandems = list(tandems_of_volunteer(request.user))
    return render(
        request,
        "volunteering/tandems/mine.html",
        {
            "open": [t for t in tandems if t.is_live],
            "past": [t for t in tandems if not t.is_live],
        },
    )


@require_GET
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get_own_tandem(request, pk)
    return render(
        request,
        "volunteering/tandems/mine_detail.html",
        {
            "tandem": tandem,
            "newcomer": tandem.request,
            "check_ins": list(tandem.check_ins.all()),
            "today": clock.now().astimezone(clock.zone()).date(),
            "decline_form": DeclineForm(),
            "evaluation_form": EvaluationForm()
            if tandem.status == TandemStatus.ENDED and tandem.volunteer_rating is None
            else None,
        },
    )


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get_own_tandem(request, pk)
    try:
        tandem_accept(tandem=tandem, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request, _("Danke für Ihre Zusage! Die Koordination meldet sich für ein erstes Treffen.")
        )
    return redirect("tandems:mine_detail", pk=tandem.pk)


@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get_own_tandem(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen Grund."))
        return redirect("tandems:mine_detail", pk=tandem.pk)
    try:
        tandem_decline(tandem=tandem, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _show_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Danke für Ihre ehrliche Antwort. Wir suchen weiter."))
    return redirect("tandems:mine")


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    entry = check_in_of_volunteer(request.user, pk, number)
    if entry is None:
        raise Http404
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tandem_check_in_answer(check_in=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(request, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung!"))
            return redirect("tandems:mine_detail", pk=pk)
    return render(
        request,
        "volunteering/tandems/check_in.html",
        {"check_in": entry, "tandem": entry.tandem, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get_own_tandem(request, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            tandem_evaluate(
                tandem=tandem,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung!"))
            return redirect("tandems:mine_detail", pk=tandem.pk)
    else:
        messages.error(request, _("Bitte wählen Sie eine Bewertung."))
    return redirect("tandems:mine_detail", pk=tandem.pk)
