"""Coordinators see the volunteers of their towns in the Wagtail admin. Opening a profile is audited."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from volunteering.models import ProfileStatus
from volunteering.selectors.coordination import volunteers_for_coordinator
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.services.audit import audit_record


def _require_coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


@require_GET
def volunteer_index(request):
    _require_coordinator(request)
    kommune = request.GET.get("kommune")
    status = request.GET.get("status") if request.GET.get("status") in ProfileStatus.values else None
    profiles = volunteers_for_coordinator(
        request.user, kommune_id=int(kommune) if kommune and kommune.isdigit() else None, status=status
    )
    page = Paginator(profiles, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "volunteering/admin/volunteer_index.html",
        {
            "page_obj": page,
            "kommunen": coordinator_kommunen(request.user),
            "statuses": ProfileStatus.choices,
            "selected_kommune": kommune,
            "selected_status": status,
        },
    )


@require_GET
def volunteer_detail(request, pk: int):
    _require_coordinator(request)
    profile = volunteers_for_coordinator(request.user).filter(pk=pk).first()
    if profile is None:
        raise Http404  # not in the coordinator's towns, or does not exist: the same answer
    audit_record(actor=request.user, action="view", obj=profile)
    return render(request, "volunteering/admin/volunteer_detail.html", {"profile": profile})


@hooks.register("register_admin_urls")
def register_volunteer_urls():
    return [
        path("freiwillige/", volunteer_index, name="coordination_volunteers"),
        path("freiwillige/<int:pk>/", volunteer_detail, name="coordination_volunteer"),
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_volunteer_menu_item():
    return CoordinatorMenuItem(
        _("Freiwillige"), reverse("coordination_volunteers"), icon_name="group", order=200
    )
