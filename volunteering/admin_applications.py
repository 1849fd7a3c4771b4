"""Coordinators see the escalated applications of their towns in the Wagtail admin.

An application escalates when its organisation has not answered within twice its response deadline; the
escalation message links here. Only the need, the organisation and the dates are shown – no personal data
of the volunteer is needed to call the organisation.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from volunteering.selectors.applications import escalated_for_coordinator
from volunteering.selectors.roles import is_coordinator


def escalated_applications(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    page = Paginator(escalated_for_coordinator(request.user), 50).get_page(request.GET.get("p"))
    return render(request, "volunteering/admin/escalated_applications.html", {"page_obj": page})


@hooks.register("register_admin_urls")
def register_escalation_urls():
    return [
        path(
            "bewerbungen-ueberfaellig/",
            escalated_applications,
            name="coordination_escalated_applications",
        )
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_escalation_menu_item():
    return CoordinatorMenuItem(
        _("Überfällige Bewerbungen"),
        reverse("coordination_escalated_applications"),
        icon_name="warning",
        order=210,
    )
