"""Recognition: the volunteer's page in "Mein Bereich" and the organisation's hours, thanks and certificates.

Object access goes through one helper per side: the volunteer only ever sees their own entries, milestones
and nominations (`_own_*`, 404 otherwise); organisation members only the hours, thanks and engagements of
an organisation they belong to (`_get_organisation`, `_engagement_of`, 404 otherwise). Entries credited
from attendance (no engagement) are never shown to an organisation for a decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import clock
from volunteering import ehrenamtskarte
from volunteering.forms_recognition import (
    EngagementCertificateForm,
    HoursDecisionForm,
    HoursFormSet,
    NominationForm,
    RecognitionSettingsForm,
    ThanksForm,
)
from volunteering.models import (
    Engagement,
    HoursEntry,
    HoursStatus,
    Milestone,
    NominationStatus,
    Organisation,
    StoryNomination,
    ThankYou,
)
from volunteering.selectors import recognition as selectors
from volunteering.selectors.organisations import organisation_of_member
from volunteering.services import recognition as services

# The Land's page about the "Ehrenamtskarte NRW" app (application, renewal, the digital card).
LAND_CARD_URL = "https://www.engagiert-in-nrw.de/faq-zur-ehrenamtskarten-app-nrw"

REASON_TEXTS = {
    ehrenamtskarte.NO_TOWN: gettext_lazy(
        "Tragen Sie Ihre Postleitzahl im Profil ein: Die Karte gibt Ihre Wohnort-Kommune aus."
    ),
    ehrenamtskarte.TOWN_DOES_NOT_ISSUE: gettext_lazy(
        "Ihre Kommune gibt die Ehrenamtskarte NRW im Moment nicht aus."
    ),
    ehrenamtskarte.TOO_YOUNG: gettext_lazy("Sie haben das Mindestalter Ihrer Kommune noch nicht erreicht."),
    ehrenamtskarte.AGE_UNKNOWN: gettext_lazy(
        "Tragen Sie Ihr Geburtsjahr ein, damit wir das Mindestalter prüfen können."
    ),
    ehrenamtskarte.NOT_ENGAGED_LONG_ENOUGH: gettext_lazy("Sie engagieren sich noch nicht lange genug."),
    ehrenamtskarte.TOO_FEW_HOURS: gettext_lazy("Es fehlen noch bestätigte Stunden."),
    ehrenamtskarte.ALLOWANCE_TOO_HIGH: gettext_lazy(
        "Ihre Pauschale liegt über der Grenze für die Ehrenamtskarte."
    ),
}


def _hours(minutes: int) -> str:
    """Returns minutes as hours with at most two decimals, in the active language's format."""
    from django.utils.formats import number_format

    hours = minutes / 60
    return number_format(round(hours, 2), decimal_pos=0 if hours == int(hours) else 2)


# --- Mein Bereich ------------------------------------------------------------------------------------
def _own_engagement(request: HttpRequest, pk: int) -> Engagement:
    engagement = selectors.engagement_of_volunteer(request.user, pk)
    if engagement is None:
        raise Http404
    return engagement


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    totals = selectors.totals_of_volunteer(user)
    estimate = selectors.card_estimate(user)
    settings_row = selectors.settings_of(user)
    context = {
        "totals": totals,
        "confirmed_hours": _hours(totals.confirmed_minutes),
        "submitted_hours": _hours(totals.submitted_minutes),
        "by_year": [{**row, "hours": _hours(row["minutes"])} for row in totals.by_year],
        "by_organisation": [{**row, "hours": _hours(row["minutes"])} for row in totals.by_organisation],
        "by_field": [{**row, "hours": _hours(row["minutes"])} for row in totals.by_field],
        "entries": selectors.hours_of_volunteer(user)[:50],
        "engagements": selectors.engagements_for_logging(user),
        "milestones": selectors.milestones_of(user),
        "estimate": estimate,
        "missing_hours": _hours(estimate.missing_minutes),
        "reason_texts": [REASON_TEXTS[reason] for reason in estimate.reasons],
        "town": selectors.town_rules(user),
        "land_card_url": LAND_CARD_URL,
        "settings_row": settings_row,
        "nominations": selectors.nominations_waiting(user),
        "invitations": selectors.invitations_of(user),
        "letters": selectors.letters_of(user),
        "confirmable_organisations": [row for row in totals.by_organisation if row["organisation_id"]],
    }
    return render(request, "volunteering/recognition/overview.html", context)


@require_http_methods(["GET", "POST"])
def hours_log(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    engagement = _own_engagement(request, engagement_pk)
    formset = HoursFormSet(request.POST or None, prefix="stunden")
    if request.method == "POST" and formset.is_valid():
        try:
            entries = services.hours_log(volunteer=request.user, engagement=engagement, lines=formset.lines())
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(
                request,
                _("%(count)d Einträge gespeichert. %(name)s bestätigt sie.")
                % {"count": len(entries), "name": engagement.organisation.name},
            )
            return redirect("recognition:overview")
    return render(
        request, "volunteering/recognition/hours_log.html", {"engagement": engagement, "formset": formset}
    )


@require_POST
def hours_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(HoursEntry, pk=pk, volunteer=request.user)
    try:
        services.hours_withdraw(volunteer=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Der Eintrag ist gelöscht."))
    return redirect("recognition:overview")


@require_http_methods(["GET", "POST"])
def recognition_settings(request: HttpRequest) -> HttpResponse:
    form = RecognitionSettingsForm(request.POST or None, instance=selectors.settings_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.recognition_settings_update(
            user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Ihre Angaben sind gespeichert."))
        return redirect("recognition:overview")
    return render(request, "volunteering/recognition/settings.html", {"form": form})


@require_POST
def milestone_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk, volunteer=request.user)
    services.milestone_set_public(
        user=request.user, milestone=milestone, public=request.POST.get("public") == "1"
    )
    return redirect("recognition:overview")


@require_POST
def nomination_answer(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(StoryNomination, pk=pk, volunteer=request.user)
    answer = request.POST.get("answer")
    try:
        if answer == "revoke":
            services.nomination_revoke(volunteer=request.user, nomination=nomination)
            messages.success(
                request, _("Ihre Zustimmung ist widerrufen. Die Geschichte ist nicht mehr öffentlich.")
            )
        elif answer in ("yes", "no"):
            services.nomination_answer(volunteer=request.user, nomination=nomination, consent=answer == "yes")
            if answer == "yes":
                messages.success(request, _("Danke! Die Redaktion meldet sich, bevor etwas erscheint."))
            else:
                messages.success(request, _("Ihre Antwort ist gespeichert. Es erscheint keine Geschichte."))
        else:
            messages.error(request, _("Bitte wählen Sie eine Antwort."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("recognition:overview")


@require_POST
def hours_confirmation(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Issues (or reuses) the hours confirmation for one organisation and starts the download."""
    organisation = get_object_or_404(
        Organisation.objects.filter(hours_entries__volunteer=request.user).distinct(), pk=org_pk
    )
    try:
        letter = services.hours_confirmation_issue(volunteer=request.user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recognition:overview")
    return redirect("letters:download", pk=letter.pk)


@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    from volunteering.models import EventInvitation

    invitation = get_object_or_404(EventInvitation, pk=pk, volunteer=request.user)
    answer = request.POST.get("rsvp")
    if answer not in ("yes", "no"):
        messages.error(request, _("Bitte wählen Sie eine Antwort."))
        return redirect("recognition:overview")
    try:
        services.event_rsvp(volunteer=request.user, invitation=invitation, attending=answer == "yes")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Schön, dass Sie kommen!") if answer == "yes" else _("Danke für Ihre Rückmeldung.")
        )
    return redirect("recognition:overview")


@require_GET
def public_badges(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_milestones(slug)
    if found is None:
        raise Http404
    settings_row, milestones = found
    profile = getattr(settings_row.user, "volunteer_profile", None)
    name = (profile.display_name if profile else "") or settings_row.user.first_name
    return render(
        request, "volunteering/recognition/public_badges.html", {"name": name, "milestones": milestones}
    )


# --- Organisationsbereich -----------------------------------------------------------------------------
def _get_organisation(request: HttpRequest, org_pk: int) -> Organisation:
    organisation = organisation_of_member(request.user, org_pk)
    if organisation is None:
        raise Http404
    return organisation


def _engagement_of(organisation: Organisation, pk: int) -> Engagement:
    engagement = selectors.engagements_of_organisation(organisation).filter(pk=pk).first()
    if engagement is None:
        raise Http404
    return engagement


@require_http_methods(["GET", "POST"])
def org_hours(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    waiting = selectors.hours_for_organisation(organisation, status=HoursStatus.SUBMITTED)
    form = HoursDecisionForm(request.POST or None, entry_ids=waiting.values_list("pk", flat=True))
    if request.method == "POST":
        # Ids of other organisations are no choice of this form: they answer 404, nothing changes.
        requested = [value for value in request.POST.getlist("entries") if value.isdigit()]
        if requested and not all(
            HoursEntry.objects.filter(
                pk=int(value), organisation=organisation, engagement__isnull=False
            ).exists()
            for value in requested
        ):
            raise Http404
        if form.is_valid():
            ids = form.cleaned_data["entries"]
            try:
                if form.cleaned_data["action"] == "confirm":
                    changed = services.hours_confirm(
                        actor=request.user, organisation=organisation, entry_ids=ids
                    )
                    messages.success(request, _("%(count)d Einträge bestätigt.") % {"count": len(changed)})
                else:
                    changed = services.hours_reject(
                        actor=request.user,
                        organisation=organisation,
                        entry_ids=ids,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("%(count)d Einträge abgelehnt.") % {"count": len(changed)})
            except HoursEntry.DoesNotExist:
                raise Http404 from None
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                return redirect("recognition:org_hours", org_pk=organisation.pk)
    decided = selectors.hours_for_organisation(organisation).exclude(status=HoursStatus.SUBMITTED)
    return render(
        request,
        "volunteering/recognition/org_hours.html",
        {
            "organisation": organisation,
            "waiting": [(entry, _hours(entry.minutes)) for entry in waiting],
            "decided": [(entry, _hours(entry.minutes)) for entry in decided.order_by("-decided_at")[:50]],
            "form": form,
            "selected": {str(value) for value in request.POST.getlist("entries")},
        },
    )


@require_GET
def org_thanks(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    return render(
        request,
        "volunteering/recognition/org_thanks.html",
        {
            "organisation": organisation,
            "thanks": selectors.thanks_for_organisation(organisation)[:100],
            "now": clock.now(),
        },
    )


def default_thanks_text(milestone: Milestone) -> str:
    """Returns the default thank-you text of a milestone in the active language."""
    return render_to_string("emails/recognition/thanks_default.txt", {"milestone": milestone}).strip()


@require_http_methods(["GET", "POST"])
def org_thanks_edit(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    thank_you = get_object_or_404(
        ThankYou.objects.select_related("milestone__volunteer"), pk=pk, organisation=organisation
    )
    with translation.override(thank_you.milestone.volunteer.preferred_language):
        default_text = default_thanks_text(thank_you.milestone)
    initial = {"text": thank_you.text or default_text, "signature": thank_you.signature}
    form = ThanksForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if text.strip() == default_text:
            text = ""  # unchanged: the default goes out in the recipient's language
        try:
            services.thanks_update(
                actor=request.user,
                thank_you=thank_you,
                text=text,
                signature=form.cleaned_data["signature"],
                send_now="send_now" in request.POST,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if "send_now" in request.POST:
                messages.success(request, _("Ihr Dankeschön ist unterwegs."))
            else:
                messages.success(request, _("Ihr Text ist gespeichert und geht zum angegebenen Termin raus."))
            return redirect("recognition:org_thanks", org_pk=organisation.pk)
    return render(
        request,
        "volunteering/recognition/org_thanks_edit.html",
        {"organisation": organisation, "thank_you": thank_you, "form": form},
    )


@require_http_methods(["GET", "POST"])
def org_certificate(request: HttpRequest, org_pk: int, engagement_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    engagement = _engagement_of(organisation, engagement_pk)
    initial = {
        "area": engagement.need.title,
        "period_from": engagement.starts_on,
        "period_to": engagement.ends_on or selectors.today(),
        "description": engagement.tasks,
        "thanks": _("Wir danken für das großartige Engagement."),
    }
    form = EngagementCertificateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_issue(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Der Engagementnachweis ist ausgestellt; die Person kann ihn herunterladen.")
            )
            return redirect("application:engagements", org_pk=organisation.pk)
    return render(
        request,
        "volunteering/recognition/org_certificate.html",
        {"organisation": organisation, "engagement": engagement, "form": form},
    )


@require_http_methods(["GET", "POST"])
def org_nominate(request: HttpRequest, org_pk: int, engagement_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    engagement = _engagement_of(organisation, engagement_pk)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_create(
                actor=request.user,
                volunteer=engagement.volunteer,
                organisation=organisation,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Danke! Wir fragen die Person, ob sie einverstanden ist."))
            return redirect("application:engagements", org_pk=organisation.pk)
    return render(
        request,
        "volunteering/recognition/org_nominate.html",
        {"organisation": organisation, "engagement": engagement, "form": form, "statuses": NominationStatus},
    )
