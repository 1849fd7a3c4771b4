"""Applications: the volunteer's side in "Mein Bereich" and the organisation's inbox.

Object access goes through one helper per side: `_get_application_for_volunteer` (the person's own
applications) and `_get_application_for_member` (applications for the needs of one of the person's
organisations). Everything else answers 404, so nobody learns that a foreign application exists.
"""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_applications import (
    AcceptForm,
    AnswerTemplateForm,
    ApplicationForm,
    ContactForm,
    DeclineForm,
    InboxFilterForm,
    MessageForm,
)
from volunteering.models import AnswerTemplate, Application, ApplicationStatus, Organisation
from volunteering.selectors import applications as selectors
from volunteering.selectors.needs import public_needs
from volunteering.selectors.organisations import is_admin_of, organisation_of_member
from volunteering.services import applications as services

INBOX_PAGE_SIZE = 50


# --- Object access -----------------------------------------------------------------------------------
def _get_application_for_volunteer(request: HttpRequest, pk: int) -> Application:
    """Returns the signed-in person's own application `pk`; 404 for every other one."""
    application = selectors.application_of_volunteer(request.user, pk)
    if application is None:
        raise Http404
    return application


def _get_organisation(request: HttpRequest, org_pk: int, *, admin: bool = False) -> Organisation:
    organisation = organisation_of_member(request.user, org_pk, admin=admin)
    if organisation is None:
        raise Http404
    return organisation


def _get_application_for_member(request: HttpRequest, org_pk: int, pk: int) -> Application:
    """Returns application `pk` for a need of organisation `org_pk` the person belongs to; 404 otherwise."""
    organisation = _get_organisation(request, org_pk)
    application = selectors.application_of_organisation(organisation, pk)
    if application is None:
        raise Http404
    return application


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Applying ----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(public_needs().select_related("organisation", "kommune"), pk=pk)
    existing = selectors.live_application(need=need, volunteer=request.user)
    if existing is not None:
        messages.info(request, _("Sie haben sich für diese Einsatzmöglichkeit schon beworben."))
        return redirect("application:mine_detail", pk=existing.pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                need=need,
                volunteer=request.user,
                message=form.cleaned_data["message"],
                campaign_code=request.session.get("campaign_code", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Ihre Bewerbung ist angekommen. Die Organisation antwortet Ihnen innerhalb von %(days)s "
                    "Tagen; Sie bekommen eine E-Mail."
                )
                % {"days": need.organisation.response_deadline_days},
            )
            return redirect("application:mine_detail", pk=application.pk)
    return render(request, "volunteering/applications/apply.html", {"need": need, "form": form})


# --- The volunteer's side ----------------------------------------------------------------------------
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/applications/mine.html",
        {"applications": selectors.applications_of_volunteer(request.user)},
    )


@require_GET
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_volunteer(request, pk)
    return render(
        request,
        "volunteering/applications/mine_detail.html",
        {
            "application": application,
            "thread": application.messages.select_related("author"),
            "form": MessageForm(),
            "is_open": application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT),
        },
    )


@require_POST
def mine_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_volunteer(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("application:mine_detail", pk=application.pk)
    try:
        services.message_post(application=application, author=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Ihre Nachricht ist gesendet."))
    return redirect("application:mine_detail", pk=application.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_volunteer(request, pk)
    try:
        services.application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Sie haben Ihre Bewerbung zurückgezogen."))
    return redirect("application:mine_detail", pk=application.pk)


# --- The organisation's side -------------------------------------------------------------------------
@require_GET
def inbox(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    needs = selectors.needs_with_applications(organisation)
    form = InboxFilterForm(request.GET or None, needs=needs)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.inbox(
        organisation,
        need_id=filters.get("need"),
        status=filters.get("status") or None,
        overdue=bool(filters.get("overdue")),
    )
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "volunteering/applications/inbox.html",
        {
            "organisation": organisation,
            "form": form,
            "page_obj": page,
            "counts": selectors.status_counts(organisation),
            "statuses": ApplicationStatus.choices,
            "overdue_before": selectors.overdue_cutoff(organisation),
            "query": query.urlencode(),
            "is_admin": is_admin_of(request.user, organisation),
        },
    )


@require_GET
def detail(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    application = _get_application_for_member(request, org_pk, pk)
    organisation = application.need.organisation
    deadline = application.created_at + timedelta(days=organisation.response_deadline_days)
    return render(
        request,
        "volunteering/applications/detail.html",
        {
            "organisation": organisation,
            "application": application,
            "profile": getattr(application.volunteer, "volunteer_profile", None),
            "thread": application.messages.select_related("author"),
            "templates": selectors.answer_templates_of(organisation),
            # Several forms on one page: distinct ids keep every label tied to its own field.
            "message_form": MessageForm(auto_id="message_%s"),
            "contact_form": ContactForm(auto_id="contact_%s"),
            "decline_form": DeclineForm(auto_id="decline_%s"),
            "accept_form": AcceptForm(auto_id="accept_%s", initial={"starts_on": timezone.localdate()}),
            "deadline": deadline,
            "overdue": application.status == ApplicationStatus.SUBMITTED
            and application.answered_at is None
            and deadline < timezone.now(),
            # Contact details are shared only after acceptance.
            "show_contact": application.status == ApplicationStatus.ACCEPTED,
        },
    )


def _org_action(request: HttpRequest, org_pk: int, pk: int, form_class, action, success: str) -> HttpResponse:
    application = _get_application_for_member(request, org_pk, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            action(application, form.cleaned_data)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, success)
    return redirect("application:detail", org_pk=org_pk, pk=application.pk)


@require_POST
def contact(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _org_action(
        request,
        org_pk,
        pk,
        ContactForm,
        lambda application, data: services.application_contact(
            application=application, actor=request.user, message=data["body"]
        ),
        _("Ihre Antwort ist gesendet; die Bewerbung ist jetzt im Gespräch."),
    )


@require_POST
def accept(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _org_action(
        request,
        org_pk,
        pk,
        AcceptForm,
        lambda application, data: services.application_accept(
            application=application, actor=request.user, starts_on=data["starts_on"], ends_on=data["ends_on"]
        ),
        _("Zugesagt. Das Engagement ist angelegt; jetzt sehen Sie die Kontaktdaten der Person."),
    )


@require_POST
def decline(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _org_action(
        request,
        org_pk,
        pk,
        DeclineForm,
        lambda application, data: services.application_decline(
            application=application, actor=request.user, message=data["body"]
        ),
        _("Abgesagt. Die Person wird benachrichtigt."),
    )


@require_POST
def message(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _org_action(
        request,
        org_pk,
        pk,
        MessageForm,
        lambda application, data: services.message_post(
            application=application, author=request.user, body=data["body"]
        ),
        _("Ihre Nachricht ist gesendet."),
    )


@require_GET
def engagements(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    return render(
        request,
        "volunteering/applications/engagements.html",
        {"organisation": organisation, "engagements": selectors.engagements_of_organisation(organisation)},
    )


# Cells starting with these characters are read as formulas by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """Returns `value` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


@require_GET
def export(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bewerbungen.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # a BOM, so that Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Eingang"),
            _("Einsatzmöglichkeit"),
            _("Name"),
            _("Status"),
            _("Erste Antwort"),
            _("Entschieden"),
            _("E-Mail (nach Zusage)"),
            _("Nachricht"),
        ]
    )
    for application in selectors.export_rows(organisation):
        profile = getattr(application.volunteer, "volunteer_profile", None)
        name = (profile.display_name if profile else "") or application.volunteer.first_name
        accepted = application.status == ApplicationStatus.ACCEPTED
        writer.writerow(
            csv_cell(value)
            for value in (
                timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
                application.need.title,
                name,
                application.get_status_display(),
                _day(application.answered_at),
                _day(application.decided_at),
                application.volunteer.email if accepted else "",
                application.message,
            )
        )
    return response


# --- Answer templates (administrators) ---------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation(request, org_pk, admin=True)
    form = AnswerTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_template_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Textbaustein ist gespeichert."))
            return redirect("application:templates", org_pk=organisation.pk)
    return render(
        request,
        "volunteering/applications/templates.html",
        {
            "organisation": organisation,
            "templates": selectors.answer_templates_of(organisation),
            "form": form,
        },
    )


def _get_template(request: HttpRequest, org_pk: int, pk: int) -> AnswerTemplate:
    organisation = _get_organisation(request, org_pk, admin=True)
    return get_object_or_404(selectors.answer_templates_of(organisation), pk=pk)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    template = _get_template(request, org_pk, pk)
    form = AnswerTemplateForm(request.POST or None, initial={"title": template.title, "body": template.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_template_update(template=template, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Textbaustein ist gespeichert."))
            return redirect("application:templates", org_pk=org_pk)
    return render(
        request,
        "volunteering/applications/template_edit.html",
        {"organisation": template.organisation, "template": template, "form": form},
    )


@require_POST
def template_delete(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    template = _get_template(request, org_pk, pk)
    services.answer_template_delete(template=template, actor=request.user)
    messages.success(request, _("Der Textbaustein ist gelöscht."))
    return redirect("application:templates", org_pk=org_pk)
