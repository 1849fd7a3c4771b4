"""“Mein Bereich”: the volunteer's own area. Every view works on the signed-in person's own data only."""

import json

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms import (
    AboutForm,
    DeleteAccountForm,
    InterestsForm,
    LanguageFormSet,
    PauseForm,
    PlaceForm,
    TimeForm,
)
from volunteering.models import ConsentKind, ProfileStatus, VolunteerProfile
from volunteering.privacy import person_erase, person_export
from volunteering.selectors.people import consent_overview, onboarding_checklist
from volunteering.services import people as people_services

STEP_FORMS = {"place": PlaceForm, "interests": InterestsForm, "time": TimeForm, "about": AboutForm}
STEP_TITLES = {
    "place": _("Wo Sie sind"),
    "languages": _("Ihre Sprachen"),
    "interests": _("Was Sie interessiert"),
    "time": _("Ihre Zeit"),
    "about": _("Über Sie"),
}


def _get_own_profile(request) -> VolunteerProfile:
    """Returns the signed-in person's profile, creating an empty one for accounts made before profiles."""
    profile, _created = VolunteerProfile.objects.get_or_create(user=request.user)
    return profile


@require_GET
def dashboard(request):
    profile = _get_own_profile(request)
    return render(
        request,
        "volunteering/volunteer/dashboard.html",
        {"profile": profile, "checklist": onboarding_checklist(profile), "pause_form": PauseForm()},
    )


def _initial(profile: VolunteerProfile, step: str) -> dict:
    if step == "place":
        return {
            "display_name": profile.display_name or profile.user.first_name,
            "postcode": profile.postcode,
            "travel_radius_km": profile.travel_radius_km,
        }
    if step == "interests":
        return {
            "handlungsfelder": profile.handlungsfelder.all(),
            "activity_types": profile.activity_types.all(),
            "target_groups": profile.target_groups,
            "skills": ", ".join(profile.skills),
        }
    if step == "time":
        return {
            "availability": profile.availability,
            "hours_per_week": profile.hours_per_week,
            "engagement_forms": profile.engagement_forms,
            "tandem_capacity": profile.tandem_capacity,
            "partner_gender_wish": profile.partner_gender_wish,
        }
    return {"motivation": profile.motivation, "gender": profile.gender}


@require_http_methods(["GET", "POST"])
def profile_step(request, step: str):
    if step not in VolunteerProfile.WIZARD_STEPS:
        raise Http404
    profile = _get_own_profile(request)
    steps = VolunteerProfile.WIZARD_STEPS
    index = steps.index(step)
    if step == "languages":
        initial = [{"language": entry.language, "level": entry.level} for entry in profile.languages.all()]
        form = LanguageFormSet(request.POST or None, initial=initial, prefix="languages")
    else:
        form = STEP_FORMS[step](request.POST or None, initial=_initial(profile, step))
    if request.method == "POST" and form.is_valid():
        data = {"languages": form.languages} if step == "languages" else dict(form.cleaned_data)
        people_services.profile_save_step(profile=profile, step=step, data=data)
        if "back" in request.POST and index > 0:
            return redirect("volunteer:profile_step", step=steps[index - 1])
        if index + 1 < len(steps):
            return redirect("volunteer:profile_step", step=steps[index + 1])
        messages.success(
            request, _("Danke! Ihr Profil ist vollständig. Wir melden uns mit passenden Angeboten.")
        )
        return redirect("volunteer:dashboard")
    return render(
        request,
        f"volunteering/volunteer/step_{step}.html",
        {
            "form": form,
            "step": step,
            "step_title": STEP_TITLES[step],
            "step_number": index + 1,
            "step_count": len(steps),
            "previous_step": steps[index - 1] if index else None,
            "profile": profile,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def status_change(request):
    profile = _get_own_profile(request)
    action = request.POST.get("action")
    if action == "pause":
        form = PauseForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "volunteering/volunteer/dashboard.html",
                {"profile": profile, "checklist": onboarding_checklist(profile), "pause_form": form},
                status=400,
            )
        people_services.profile_set_status(
            profile=profile, status=ProfileStatus.PAUSED, paused_until=form.cleaned_data["paused_until"]
        )
        messages.success(request, _("Ihre Pause ist eingetragen. Bis bald!"))
    elif action == "resume":
        people_services.profile_set_status(profile=profile, status=ProfileStatus.ACTIVE)
        messages.success(request, _("Schön, dass Sie wieder da sind."))
    elif action == "end":
        people_services.profile_set_status(profile=profile, status=ProfileStatus.INACTIVE)
        messages.success(request, _("Wir haben Ihr Engagement als beendet vermerkt. Danke für alles!"))
    else:
        raise Http404
    return redirect("volunteer:dashboard")


@require_http_methods(["GET", "POST"])
def consents(request):
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in ConsentKind.values or kind == ConsentKind.TERMS:
            raise Http404
        if request.POST.get("action") == "give":
            people_services.consent_give(user=request.user, kind=kind)
            messages.success(request, _("Ihre Einwilligung ist gespeichert."))
        else:
            people_services.consent_withdraw(user=request.user, kind=kind)
            messages.success(request, _("Ihre Einwilligung ist widerrufen."))
        return redirect("volunteer:consents")
    return render(
        request, "volunteering/volunteer/consents.html", {"consents": consent_overview(request.user)}
    )


@require_GET
def privacy(request):
    return render(request, "volunteering/volunteer/privacy.html", {"delete_form": DeleteAccountForm()})


@require_GET
@reauthentication_required
def privacy_export(request):
    data = {
        "exported_at": timezone.now().isoformat(),
        "explanation": _("Alle Daten, die die Plattform über Sie gespeichert hat."),
        "data": person_export(request.user),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@require_POST
@reauthentication_required
def account_delete(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "volunteering/volunteer/privacy.html", {"delete_form": form}, status=400)
    user = request.user
    logout(request)
    person_erase(user)
    messages.success(request, _("Ihr Konto und Ihre Daten sind gelöscht. Danke, dass Sie dabei waren."))
    return redirect("/")


def parental_consent(request, token: str):
    """The link a parent receives: shows whose sign-up it is about and confirms with one button."""
    consent = people_services.parental_consent_load(token)
    if consent is None:
        return render(request, "volunteering/volunteer/parental_consent_invalid.html", status=404)
    if request.method == "POST":
        people_services.parental_consent_confirm(consent=consent)
        return render(request, "volunteering/volunteer/parental_consent_done.html")
    verified = EmailAddress.objects.filter(user=consent.user, verified=True).exists()
    return render(
        request,
        "volunteering/volunteer/parental_consent.html",
        {"consent": consent, "child_email_verified": verified},
    )
