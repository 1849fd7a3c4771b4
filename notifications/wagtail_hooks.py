"""Wagtail admin: failed notifications, for coordinators (permission `notifications.view_failed`).

A message that could not be delivered after all its attempts is never dropped silently: it waits here
until someone sends it again (after fixing the address or the mail server) or leaves it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from notifications.models import Notification
from notifications.selectors import failed_list
from notifications.services import notification_retry

PERMISSION = "notifications.view_failed"


def _require_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def masked_recipient(notification: Notification) -> str:
    """Returns who the message was for, with a bare address shortened (enough to recognise, not to copy)."""
    if notification.recipient_id:
        return str(notification.recipient)
    local, _at, domain = notification.email.partition("@")
    return f"{local[:1]}…@{domain}"


class FailedNotificationsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/failed.html"
    page_title = gettext_lazy("Fehlgeschlagene Benachrichtigungen")
    header_icon = "warning"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Dashboard")},
        {"url": "", "label": gettext_lazy("Fehlgeschlagene Benachrichtigungen")},
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(failed_list(), 50).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["rows"] = [(row, masked_recipient(row)) for row in page.object_list]
        return context


@require_POST
def retry_failed(request, pk: int):
    _require_permission(request)
    try:
        notification_retry(notification_id=pk)
    except Notification.DoesNotExist:
        messages.error(request, _("Diese Benachrichtigung ist nicht mehr fehlgeschlagen."))
    else:
        messages.success(request, _("Die Benachrichtigung wird erneut verschickt."))
    return redirect("notifications_failed")


@hooks.register("register_admin_urls")
def register_failed_urls():
    return [
        path(
            "benachrichtigungen/fehlgeschlagen/",
            FailedNotificationsView.as_view(),
            name="notifications_failed",
        ),
        path(
            "benachrichtigungen/fehlgeschlagen/<int:pk>/erneut/",
            retry_failed,
            name="notifications_failed_retry",
        ),
    ]


class FailedMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_failed_menu_item():
    return FailedMenuItem(
        gettext_lazy("Fehlgeschlagene Benachrichtigungen"),
        reverse("notifications_failed"),
        icon_name="warning",
        order=900,
    )
