"""Coordinators in the Wagtail admin: recognition events (criteria, candidates, invitations with RSVP)
and story nominations of volunteers in their towns. Everything is scoped to the coordinator's towns."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from volunteering.admin_volunteers import CoordinatorMenuItem
from volunteering.forms_recognition import ThanksForm
from volunteering.models import Kommune, RecognitionEvent
from volunteering.selectors import recognition as selectors
from volunteering.selectors.coordination import volunteers_for_coordinator
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.services import recognition as services
from volunteering.views.recognition import default_thanks_text


def _require_coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


class EventForm(forms.ModelForm):
    class Meta:
        model = RecognitionEvent
        fields = ["title", "description", "starts_at", "place", "min_hours", "min_years", "kommunen"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "kommunen": forms.CheckboxSelectMultiple,
        }
        help_texts = {"kommunen": _("Leer lassen: alle Ihre Kommunen.")}

    def __init__(self, *args, coordinator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommunen"].queryset = (
            coordinator_kommunen(coordinator) if coordinator else Kommune.objects.none()
        )


@require_http_methods(["GET", "POST"])
def event_index(request):
    _require_coordinator(request)
    form = EventForm(request.POST or None, coordinator=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "kommunen"}
        try:
            event = services.event_create(
                actor=request.user, kommunen=list(form.cleaned_data["kommunen"]), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Die Veranstaltung ist angelegt. Prüfen Sie die Gäste und laden Sie ein.")
            )
            return redirect("coordination_recognition_event", pk=event.pk)
    return render(
        request,
        "volunteering/admin/recognition_events.html",
        {"events": selectors.events_for_coordinator(request.user), "form": form},
    )


@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    _require_coordinator(request)
    event = selectors.events_for_coordinator(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    if request.method == "POST":
        try:
            count = services.event_invite(actor=request.user, event=event)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d Personen eingeladen.") % {"count": count})
        return redirect("coordination_recognition_event", pk=event.pk)
    invitations = event.invitations.select_related("volunteer__volunteer_profile").order_by("rsvp", "pk")
    candidates = selectors.event_candidates(event, coordinator=request.user).exclude(
        pk__in=event.invitations.values("volunteer_id")
    )
    return render(
        request,
        "volunteering/admin/recognition_event.html",
        {
            "event": event,
            "invitations": invitations,
            "new_candidates": candidates.count(),
            "yes": invitations.filter(rsvp="yes").count(),
        },
    )


class NominationForm(forms.Form):
    volunteer = forms.TypedChoiceField(label=_("Freiwillige Person"), coerce=int)
    text = forms.CharField(
        label=_("Warum soll über diese Person erzählt werden?"), max_length=3000, widget=forms.Textarea
    )

    def __init__(self, *args, coordinator=None, **kwargs):
        super().__init__(*args, **kwargs)
        profiles = volunteers_for_coordinator(coordinator).order_by("display_name", "pk")[:500]
        self.fields["volunteer"].choices = [
            (profile.user_id, f"{profile.display_name or profile.user.first_name} ({profile.kommune or '–'})")
            for profile in profiles
        ]


@require_http_methods(["GET", "POST"])
def nominate(request):
    _require_coordinator(request)
    form = NominationForm(request.POST or None, coordinator=request.user)
    if request.method == "POST" and form.is_valid():
        profile = (
            volunteers_for_coordinator(request.user).filter(user_id=form.cleaned_data["volunteer"]).first()
        )
        if profile is None:
            raise Http404
        try:
            services.nomination_create(
                actor=request.user, volunteer=profile.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Danke! Wir fragen die Person, ob sie einverstanden ist."))
            return redirect("coordination_recognition_events")
    return render(request, "volunteering/admin/recognition_nominate.html", {"form": form})


@require_http_methods(["GET", "POST"])
def thanks_index(request):
    """The thank-yous the coordination signs: milestones reached without an organisation (for example
    hours from trainings alone). Pending ones can be edited or sent at once."""
    from notifications import clock

    _require_coordinator(request)
    thanks = selectors.thanks_for_coordinator(request.user)
    edit = None
    if request.GET.get("bearbeiten", "").isdigit():
        edit = thanks.filter(pk=int(request.GET["bearbeiten"])).first()
        if edit is None:
            raise Http404
    form = None
    if edit is not None:
        with translation.override(edit.milestone.volunteer.preferred_language):
            default_text = default_thanks_text(edit.milestone)
        form = ThanksForm(
            request.POST or None, initial={"text": edit.text or default_text, "signature": edit.signature}
        )
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            try:
                services.thanks_update(
                    actor=request.user,
                    thank_you=edit,
                    text="" if text.strip() == default_text else text,
                    signature=form.cleaned_data["signature"],
                    send_now="send_now" in request.POST,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Das Dankeschön ist gespeichert."))
                return redirect("coordination_recognition_thanks")
    return render(
        request,
        "volunteering/admin/recognition_thanks.html",
        {"thanks": thanks[:200], "edit": edit, "form": form, "now": clock.now()},
    )


@hooks.register("register_admin_urls")
def register_recognition_urls():
    return [
        path("anerkennung/", event_index, name="coordination_recognition_events"),
        path("anerkennung/<int:pk>/", event_detail, name="coordination_recognition_event"),
        path("anerkennung/geschichte-vorschlagen/", nominate, name="coordination_recognition_nominate"),
        path("anerkennung/dank/", thanks_index, name="coordination_recognition_thanks"),
    ]


@hooks.register("register_admin_menu_item")
def register_recognition_menu_item():
    return CoordinatorMenuItem(
        _("Anerkennung"), reverse("coordination_recognition_events"), icon_name="pick", order=230
    )
