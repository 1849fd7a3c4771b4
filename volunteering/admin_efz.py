"""Coordinators record and see eFZ inspections (§72a SGB VIII) of volunteers in their towns, in the Wagtail
admin. Records of other towns answer 404; every list and view writes audit entries."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from volunteering.forms_efz import CoordinatorEfzRecordForm
from volunteering.models import EfzInspector, User
from volunteering.selectors.efz import efz_records_for_coordinator
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.services.efz import efz_delete_not_started, efz_record, efz_records_audit


def _require_coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


@require_GET
def efz_index(request):
    _require_coordinator(request)
    records = list(efz_records_for_coordinator(request.user)[:500])
    efz_records_audit(actor=request.user, records=records, action="efz.list")
    return render(
        request, "volunteering/admin/efz_index.html", {"records": records, "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
def efz_new(request):
    _require_coordinator(request)
    towns = coordinator_kommunen(request.user)
    form = CoordinatorEfzRecordForm(request.POST or None, kommunen=towns, allow_organisation=False)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        volunteer = User.objects.filter(
            email__iexact=data.pop("email"), volunteer_profile__kommune__in=towns
        ).first()
        if volunteer is None:
            form.add_error(
                "email", _("In Ihren Kommunen gibt es keine freiwillige Person mit dieser Adresse.")
            )
        else:
            try:
                efz_record(actor=request.user, volunteer=volunteer, **data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Die Einsicht ist erfasst."))
                return redirect("coordination_efz")
    return render(
        request, "volunteering/admin/efz_form.html", {"form": form, "kommune": EfzInspector.KOMMUNE}
    )


@require_POST
def efz_delete(request, pk: int):
    _require_coordinator(request)
    record = efz_records_for_coordinator(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    try:
        efz_delete_not_started(record=record, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Der Eintrag ist gelöscht."))
    return redirect("coordination_efz")


@hooks.register("register_admin_urls")
def register_efz_urls():
    return [
        path("fuehrungszeugnisse/", efz_index, name="coordination_efz"),
        path("fuehrungszeugnisse/neu/", efz_new, name="coordination_efz_new"),
        path("fuehrungszeugnisse/<int:pk>/loeschen/", efz_delete, name="coordination_efz_delete"),
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_efz_menu_item():
    return CoordinatorMenuItem(
        gettext_lazy("Führungszeugnisse"), reverse("coordination_efz"), icon_name="doc-full", order=210
    )
