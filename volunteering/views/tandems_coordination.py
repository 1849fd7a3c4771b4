"""Coordinators' tandem work in the Wagtail admin: the request queue, intake, suggestions with reasons,
the batch run (preview, then approve), and the lifecycle of each tandem.

Everything is scoped to the coordinator's towns through volunteering.selectors.tandems: a request or
tandem of another town answers 404, like one that does not exist. Opening a request shows the newcomer's
contact data and is audited. The URLs sit under /admin/ (Access.WAGTAIL_ADMIN by prefix); each view checks
the coordinator role itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from notifications import clock
from volunteering import matching
from volunteering.forms_tandems import (
    ActivateForm,
    ChangeEndForm,
    ContactForm,
    EndForm,
    MeetingForm,
    TandemRequestForm,
)
from volunteering.models import (
    ConsentRecordedBy,
    MatchingRun,
    TandemRequest,
    TandemRequestStatus,
    TandemStatus,
    User,
    VolunteerProfile,
)
from volunteering.selectors.coordination import volunteers_for_coordinator
from volunteering.selectors.matching import slot_label
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.selectors.tandems import (
    open_requests,
    proposed_volunteer_ids,
    request_facts,
    request_for_coordinator,
    requests_for_coordinator,
    tandem_for_coordinator,
    tandems_for_coordinator,
    volunteer_facts,
)
from volunteering.services import tandems as services
from volunteering.services.audit import audit_record
from volunteering.views.tandems_reasons import TERM_LABELS, TandemReasonWords

SUGGESTIONS = 10


def _require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


def _get_request(request: HttpRequest, pk: int) -> TandemRequest:
    _require_coordinator(request)
    found = request_for_coordinator(request.user, pk)
    if found is None:
        raise Http404  # another town's request, or none: the same answer
    return found


def _get_tandem(request: HttpRequest, pk: int):
    _require_coordinator(request)
    tandem = tandem_for_coordinator(request.user, pk)
    if tandem is None:
        raise Http404
    return tandem


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _waiting_days(waiting_since) -> int:
    return max(0, (clock.now() - waiting_since).days)


# --- Suggestions with reasons ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    """A ranked proposal, ready to show: who, the total, the named terms and the reasons in words."""

    volunteer_id: int
    request_id: int
    total: float
    terms: list[tuple[str, float]]
    reasons: list[str]
    profile: VolunteerProfile | None = None
    tandem_request: TandemRequest | None = None


def _terms(score: matching.Score) -> list[tuple[str, float]]:
    return [(str(TERM_LABELS.get(name, name)), round(points, 1)) for name, points in score.terms.items()]


def _suggestions_for_request(tandem_request: TandemRequest, words: TandemReasonWords):
    """Returns (suggestions, sentences why there are none) for one request."""
    asked = proposed_volunteer_ids(tandem_request)
    volunteers = [facts for facts in volunteer_facts() if facts.id not in asked]
    request_fact = request_facts([tandem_request])[0]
    proposals = matching.suggest(request_fact, volunteers, k=SUGGESTIONS)
    profiles = {
        profile.user_id: profile
        for profile in VolunteerProfile.objects.filter(
            user_id__in=[p.volunteer_id for p in proposals]
        ).select_related("kommune", "user")
    }
    suggestions = [
        Suggestion(
            volunteer_id=proposal.volunteer_id,
            request_id=proposal.request_id,
            total=round(proposal.score.total, 1),
            terms=_terms(proposal.score),
            reasons=words.phrases((reason.code, reason.value) for reason in proposal.score.reasons),
            profile=profiles.get(proposal.volunteer_id),
        )
        for proposal in proposals
    ]
    why_not = []
    if not suggestions:
        reasons = matching.explain_unmatched(request_fact, volunteers)
        why_not = words.sentences((reason.code, reason.value) for reason in reasons) or [
            _("Im Moment passt niemand.")
        ]
    return suggestions, why_not


# --- Views: requests ------------------------------------------------------------------------------------
@require_GET
def request_index(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    status = request.GET.get("status", TandemRequestStatus.OPEN)
    if status not in TandemRequestStatus.values and status != "all":
        status = TandemRequestStatus.OPEN
    requests = requests_for_coordinator(request.user, status=None if status == "all" else status)
    kommune = request.GET.get("kommune")
    if kommune and kommune.isdigit():
        requests = requests.filter(kommune_id=int(kommune))
    page = Paginator(requests, 50).get_page(request.GET.get("p"))
    for item in page:
        item.waiting_days = _waiting_days(item.waiting_since)
    return render(
        request,
        "volunteering/tandems/admin/request_index.html",
        {
            "page_obj": page,
            "statuses": [("all", _("alle")), *TandemRequestStatus.choices],
            "selected_status": status,
            "kommunen": coordinator_kommunen(request.user),
            "selected_kommune": kommune,
        },
    )


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Coordinator intake: the same form as the public one, consent recorded by the coordinator."""
    _require_coordinator(request)
    consent_text = services.current_tandem_consent_text()
    form = TandemRequestForm(request.POST or None, consent_text=consent_text, intake=True)
    form.fields["kommune"].queryset = coordinator_kommunen(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.tandem_request_submit(
                details=form.details(),
                consent_recorded_by=ConsentRecordedBy.COORDINATOR,
                consent_language=form.cleaned_data["contact_language"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except PermissionDenied:
            form.add_error("kommune", _("Für diesen Ort sind Sie nicht zuständig."))
        else:
            messages.success(request, _("Die Anfrage ist aufgenommen."))
            return redirect("coordination_tandem_request", pk=created.pk)
    return render(
        request,
        "volunteering/tandems/admin/request_new.html",
        {"form": form, "consent_text": consent_text},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tandem_request = _get_request(request, pk)
    audit_record(actor=request.user, action="view", obj=tandem_request)
    words = TandemReasonWords()
    suggestions, why_not = (
        _suggestions_for_request(tandem_request, words)
        if tandem_request.status == TandemRequestStatus.OPEN
        else ([], [])
    )
    return render(
        request,
        "volunteering/tandems/admin/request_detail.html",
        {
            "tandem_request": tandem_request,
            "waiting_days": _waiting_days(tandem_request.waiting_since),
            "availability": [slot_label(slot) for slot in tandem_request.availability],
            "tandems": tandem_request.tandems.select_related("volunteer").order_by("-proposed_at"),
            "suggestions": suggestions,
            "why_not": why_not,
            "consent_wording": tandem_request.consent_text.text_translations.get(
                tandem_request.consent_language
            )
            or tandem_request.consent_text.text,
        },
    )


@require_POST
def request_propose(request: HttpRequest, pk: int) -> HttpResponse:
    tandem_request = _get_request(request, pk)
    volunteer_id = request.POST.get("volunteer", "")
    volunteer = User.objects.filter(pk=int(volunteer_id)).first() if volunteer_id.isdigit() else None
    if volunteer is None:
        raise Http404
    try:
        tandem = services.tandem_propose(request=tandem_request, volunteer=volunteer, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("coordination_tandem_request", pk=tandem_request.pk)
    messages.success(request, _("Der Vorschlag ist verschickt. Die freiwillige Person wird gefragt."))
    return redirect("coordination_tandem", pk=tandem.pk)


@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    tandem_request = _get_request(request, pk)
    try:
        services.tandem_request_withdraw(request=tandem_request, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request, _("Die Anfrage ist zurückgezogen. Ihre Daten werden in der Nacht gelöscht.")
        )
    return redirect("coordination_tandem_requests")


@require_POST
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    tandem_request = _get_request(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie das Löschen."))
        return redirect("coordination_tandem_request", pk=pk)
    services.tandem_request_erase(request=tandem_request, actor=request.user)
    messages.success(request, _("Die Anfrage und alle Daten dazu sind gelöscht."))
    return redirect("coordination_tandem_requests")


# --- Views: per volunteer -------------------------------------------------------------------------------
@require_GET
def volunteer_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    profile = volunteers_for_coordinator(request.user).filter(pk=pk).first()
    if profile is None:
        raise Http404
    facts = volunteer_facts([profile.pk])
    suggestions: list[Suggestion] = []
    if facts:
        requests = {r.pk: r for r in open_requests(coordinator_kommunen(request.user))}
        declined = set(
            profile.user.tandems.filter(status=TandemStatus.DECLINED).values_list("request_id", flat=True)
        )
        candidates = [fact for fact in request_facts(requests.values()) if fact.id not in declined]
        words = TandemReasonWords()
        for proposal in matching.suggest_for_volunteer(facts[0], candidates, k=SUGGESTIONS):
            suggestions.append(
                Suggestion(
                    volunteer_id=proposal.volunteer_id,
                    request_id=proposal.request_id,
                    total=round(proposal.score.total, 1),
                    terms=_terms(proposal.score),
                    reasons=words.phrases((r.code, r.value) for r in proposal.score.reasons),
                    tandem_request=requests[proposal.request_id],
                )
            )
    return render(
        request,
        "volunteering/tandems/admin/volunteer_suggestions.html",
        {"profile": profile, "suggestions": suggestions, "has_room": bool(facts)},
    )


# --- Views: batch run -----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def batch_index(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    if request.method == "POST":
        run = services.tandem_batch_run(actor=request.user)
        return redirect("coordination_tandem_batch_run", pk=run.pk)
    runs = MatchingRun.objects.filter(created_by=request.user)[:10]
    return render(request, "volunteering/tandems/admin/batch_index.html", {"runs": runs})


def _get_run(request: HttpRequest, pk: int) -> MatchingRun:
    _require_coordinator(request)
    run = MatchingRun.objects.filter(pk=pk, created_by=request.user).first()
    if run is None:
        raise Http404
    return run


@require_http_methods(["GET", "POST"])
def batch_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("request") if value.isdigit()]
        if not ids:
            messages.error(request, _("Bitte wählen Sie mindestens einen Vorschlag."))
            return redirect("coordination_tandem_batch_run", pk=run.pk)
        created = services.tandem_batch_approve(run=run, actor=request.user, request_ids=ids)
        skipped = len(ids) - len(created)
        messages.success(
            request,
            _("%(created)s Vorschläge verschickt, %(skipped)s übersprungen (inzwischen vergeben).")
            % {"created": len(created), "skipped": skipped},
        )
        return redirect("coordination_tandems")
    words = TandemReasonWords()
    request_ids = [p["request"] for p in run.proposals] + [u["request"] for u in run.unmatched]
    requests = {r.pk: r for r in requests_for_coordinator(request.user).filter(pk__in=request_ids)}
    profiles = {
        profile.user_id: profile
        for profile in VolunteerProfile.objects.filter(
            user_id__in=[p["volunteer"] for p in run.proposals]
        ).select_related("kommune")
    }
    proposals = [
        {
            "request": requests.get(p["request"]),
            "profile": profiles.get(p["volunteer"]),
            "total": round(p["total"], 1),
            "terms": [(str(TERM_LABELS.get(n, n)), round(v, 1)) for n, v in p["terms"].items()],
            "reasons": words.phrases(p.get("reasons", [])),
        }
        for p in run.proposals
        if p["request"] in requests
    ]
    unmatched = [
        {
            "request": requests[u["request"]],
            "sentences": words.sentences(u["reasons"]) or [_("Kein Vorschlag.")],
        }
        for u in run.unmatched
        if u["request"] in requests
    ]
    return render(
        request,
        "volunteering/tandems/admin/batch_run.html",
        {"run": run, "proposals": proposals, "unmatched": unmatched},
    )


# --- Views: tandems -------------------------------------------------------------------------------------
@require_GET
def tandem_index(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    live = request.GET.get("alle") != "1"
    tandems = tandems_for_coordinator(request.user, live=True if live else None).prefetch_related("check_ins")
    page = Paginator(tandems, 50).get_page(request.GET.get("p"))
    for tandem in page:
        tandem.has_red_flag = any(c.red_flag for c in tandem.check_ins.all())
    return render(request, "volunteering/tandems/admin/tandem_index.html", {"page_obj": page, "live": live})


STEP_FORMS = {
    "contact": (ContactForm, (TandemStatus.ACCEPTED,)),
    "meeting": (MeetingForm, (TandemStatus.CONTACTED, TandemStatus.MEETING)),
    "activate": (ActivateForm, (TandemStatus.MEETING,)),
    "end_date": (ChangeEndForm, (TandemStatus.ACTIVE,)),
    "end": (EndForm, (TandemStatus.ACTIVE,)),
}


def _step_forms(tandem, data=None, failed: str | None = None) -> dict:
    forms = {}
    for step, (form_class, statuses) in STEP_FORMS.items():
        if tandem.status in statuses:
            forms[step] = form_class(data if step == failed else None, prefix=step)
    return forms


@require_GET
def tandem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get_tandem(request, pk)
    return render(
        request,
        "volunteering/tandems/admin/tandem_detail.html",
        {
            "tandem": tandem,
            "forms": _step_forms(tandem),
            "check_ins": list(tandem.check_ins.all()),
            "terms": [(str(TERM_LABELS.get(n, n)), round(v, 1)) for n, v in tandem.score_terms.items()],
        },
    )


@require_POST
def tandem_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    tandem = _get_tandem(request, pk)
    if step == "cancel":
        try:
            services.tandem_cancel(tandem=tandem, actor=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Der Vorschlag ist zurückgenommen; die Anfrage wartet wieder."))
        return redirect("coordination_tandem", pk=tandem.pk)
    if step not in STEP_FORMS:
        raise Http404
    form_class, _statuses = STEP_FORMS[step]
    form = form_class(request.POST, prefix=step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step == "contact":
                services.tandem_mark_contacted(tandem=tandem, actor=request.user, method=data["method"])
            elif step == "meeting":
                services.tandem_plan_meeting(
                    tandem=tandem,
                    actor=request.user,
                    at=data["first_meeting_at"],
                    place=data["first_meeting_place"],
                )
            elif step == "end_date":
                services.tandem_change_end(tandem=tandem, actor=request.user, ends_on=data["ends_on"])
            elif step == "activate":
                services.tandem_activate(
                    tandem=tandem, actor=request.user, scope=data["scope"], ends_on=data["ends_on"]
                )
            else:
                services.tandem_end(
                    tandem=tandem,
                    actor=request.user,
                    reason=data["end_reason"],
                    newcomer_rating=data["newcomer_rating"],
                    newcomer_comment=data["newcomer_comment"],
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("coordination_tandem", pk=tandem.pk)
    forms = _step_forms(tandem)
    forms[step] = form
    return render(
        request,
        "volunteering/tandems/admin/tandem_detail.html",
        {
            "tandem": tandem,
            "forms": forms,
            "check_ins": list(tandem.check_ins.all()),
            "terms": [(str(TERM_LABELS.get(n, n)), round(v, 1)) for n, v in tandem.score_terms.items()],
        },
        status=400,
    )


# --- Registration in the Wagtail admin ------------------------------------------------------------------
@hooks.register("register_admin_urls")
def register_tandem_urls():
    return [
        path("tandems/anfragen/", request_index, name="coordination_tandem_requests"),
        path("tandems/anfragen/neu/", request_new, name="coordination_tandem_request_new"),
        path("tandems/anfragen/<int:pk>/", request_detail, name="coordination_tandem_request"),
        path("tandems/anfragen/<int:pk>/vorschlagen/", request_propose, name="coordination_tandem_propose"),
        path(
            "tandems/anfragen/<int:pk>/zurueckziehen/", request_withdraw, name="coordination_tandem_withdraw"
        ),
        path("tandems/anfragen/<int:pk>/loeschen/", request_erase, name="coordination_tandem_erase"),
        path("tandems/freiwillige/<int:pk>/", volunteer_suggestions, name="coordination_tandem_volunteer"),
        path("tandems/zuordnung/", batch_index, name="coordination_tandem_batch"),
        path("tandems/zuordnung/<int:pk>/", batch_run, name="coordination_tandem_batch_run"),
        path("tandems/", tandem_index, name="coordination_tandems"),
        path("tandems/<int:pk>/", tandem_detail, name="coordination_tandem"),
        path("tandems/<int:pk>/<slug:step>/", tandem_step, name="coordination_tandem_step"),
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_tandem_menu_item():
    return CoordinatorMenuItem(
        gettext_lazy("Tandems"), reverse("coordination_tandem_requests"), icon_name="group", order=205
    )
