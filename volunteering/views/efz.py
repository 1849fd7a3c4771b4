"""eFZ records (§72a SGB VIII) in the organisation area and in Mein Bereich. Access policies:
config/access.py ("# --- eFZ records"). Only admins of the organisation see its records; every view of a
record writes an audit entry. The coordinators' screens are in volunteering/admin_efz.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_efz import EfzRecordForm
from volunteering.letters.kinds import EFZ_CONFIRMATION
from volunteering.models import Application, EfzRecord, IssuedLetter, Kommune, MembershipRole, Organisation
from volunteering.selectors.efz import efz_records_for_organisation_admin, own_efz_records
from volunteering.selectors.roles import organisations_of
from volunteering.services.efz import (
    NEEDING_STATUSES,
    efz_delete_not_started,
    efz_record,
    efz_records_audit,
)
from volunteering.services.letters import efz_confirmation_issue


def _get_organisation_for_admin(request: HttpRequest, pk: int) -> Organisation:
    organisation = organisations_of(request.user, role=MembershipRole.ADMIN).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def _get_application(organisation: Organisation, application_pk: int) -> Application:
    application = (
        Application.objects.filter(
            pk=application_pk, need__organisation=organisation, status__in=NEEDING_STATUSES
        )
        .select_related("need", "volunteer__volunteer_profile")
        .first()
    )
    if application is None:
        raise Http404
    return application


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
def organisation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's applicants and engaged volunteers with their eFZ status."""
    organisation = _get_organisation_for_admin(request, pk)
    records = list(efz_records_for_organisation_admin(request.user, organisation.pk))
    efz_records_audit(actor=request.user, records=records, action="efz.list")
    by_application: dict[int, list[EfzRecord]] = {}
    for record in records:
        by_application.setdefault(record.application_id, []).append(record)
    applications = (
        Application.objects.filter(need__organisation=organisation, status__in=NEEDING_STATUSES)
        .select_related("need", "volunteer__volunteer_profile")
        .order_by("-created_at")
    )
    letters: dict[int, list[IssuedLetter]] = {}
    for letter in IssuedLetter.objects.filter(
        organisation=organisation, kind=EFZ_CONFIRMATION.name, revoked_at__isnull=True
    ):
        letters.setdefault(letter.subject_id, []).append(letter)
    rows = [
        {
            "application": a,
            "records": by_application.get(a.pk, []),
            "letters": letters.get(a.volunteer_id, []),
        }
        for a in applications
    ]
    return render(
        request,
        "volunteering/efz/organisation_list.html",
        {"organisation": organisation, "rows": rows, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def organisation_record(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_admin(request, pk)
    application = _get_application(organisation, application_pk)
    form = EfzRecordForm(request.POST or None, kommunen=Kommune.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            efz_record(
                actor=request.user,
                volunteer=application.volunteer,
                application=application,
                **form.cleaned_data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Die Einsicht ist erfasst."))
            return redirect("efz:organisation_list", pk=organisation.pk)
    return render(
        request,
        "volunteering/efz/record_form.html",
        {"organisation": organisation, "application": application, "form": form},
    )


@require_POST
def organisation_not_started(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_admin(request, pk)
    record = efz_records_for_organisation_admin(request.user, organisation.pk).filter(pk=record_pk).first()
    if record is None:
        raise Http404
    try:
        efz_delete_not_started(record=record, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Der Eintrag ist gelöscht, weil die Person nicht begonnen hat."))
    return redirect("efz:organisation_list", pk=organisation.pk)


@require_POST
def organisation_confirmation(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    """Issues the confirmation for a free eFZ and offers it for download."""
    organisation = _get_organisation_for_admin(request, pk)
    application = _get_application(organisation, application_pk)
    try:
        letter = efz_confirmation_issue(application=application, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("efz:organisation_list", pk=organisation.pk)
    messages.success(
        request, _("Die Bestätigung ist ausgestellt. Prüfcode: %(code)s") % {"code": letter.display_code}
    )
    return redirect("efz:organisation_list", pk=organisation.pk)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The person's own eFZ status: which inspections are recorded and until when they count."""
    records = list(own_efz_records(request.user))
    efz_records_audit(actor=request.user, records=records, action="efz.view_own")
    return render(request, "volunteering/efz/mine.html", {"records": records, "today": timezone.localdate()})
