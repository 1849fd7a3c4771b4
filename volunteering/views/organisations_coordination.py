"""Coordination screens in the Wagtail admin: reviewing organisations, assigning coordinator roles.

Who may do what is decided by two permission policies that read the person's coordinator role on every
request (revoking a role applies at once), not by Django model permissions:

- Organisations: superusers and coordinators. A coordinator sees, opens and reviews only organisations
  active in one of their towns (all of them with a district-wide role); any other organisation answers
  404. Nobody adds, edits or deletes organisations here: they describe themselves in their own area.
- Coordinator roles: superusers and district-wide coordinators only.

Writes go through volunteering.services.organisations; the services check the same rules again.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, RelatedObjectsColumn, StatusTagColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permission_policies import BasePermissionPolicy

from volunteering.forms_organisation import CoordinatorRoleCreateForm, CoordinatorRoleEditForm, ReviewForm
from volunteering.models import (
    CoordinatorRole,
    MembershipRole,
    Organisation,
    OrganisationStatus,
    User,
)
from volunteering.selectors.organisations import (
    can_assign_coordinators,
    organisations_for_coordinator,
    reviewable_kommunen,
)
from volunteering.selectors.roles import is_coordinator
from volunteering.services.organisations import (
    coordinator_role_assign,
    coordinator_role_revoke,
    organisation_reject,
    organisation_verify,
)

REVIEW_ACTIONS = ("view", "review")


# --- Permission policies -----------------------------------------------------------------------------
class OrganisationReviewPolicy(BasePermissionPolicy):
    """Coordinators view and review the organisations of their towns; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        if action not in REVIEW_ACTIONS or not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or is_coordinator(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and organisations_for_coordinator(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Organisation.objects.none()
        return organisations_for_coordinator(user)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(REVIEW_ACTIONS):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(coordinator_role__isnull=False), is_active=True
        ).distinct()


class CoordinatorRolePolicy(BasePermissionPolicy):
    """Superusers and district-wide coordinators assign, change and end coordinator roles."""

    def user_has_permission(self, user, action):
        return user.is_active and can_assign_coordinators(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return CoordinatorRole.objects.none()
        return CoordinatorRole.objects.all()

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True) | Q(coordinator_role__whole_district=True), is_active=True
        ).distinct()


# --- Organisations -----------------------------------------------------------------------------------
class OrganisationReviewFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrganisationStatus.choices)
    kommune = django_filters.ModelChoiceFilter(
        label=_("Kommune"),
        field_name="kommunen",
        queryset=lambda request: reviewable_kommunen(request.user),
        distinct=True,
    )

    class Meta:
        model = Organisation
        fields = ["status", "kommune"]


class ScopedToCoordinatorMixin:
    """Loads the organisation only from those the coordinator may review: any other answers 404."""

    def get_object(self, queryset=None):
        return get_object_or_404(organisations_for_coordinator(self.request.user), pk=self.kwargs["pk"])


class ReviewButtonsMixin:
    def review_buttons(self, organisation, button_class):
        buttons = []
        if organisation.status != OrganisationStatus.VERIFIED:
            buttons.append(
                button_class(
                    _("Freigeben"),
                    url=reverse(self.verify_url_name, args=(quote(organisation.pk),)),
                    icon_name="check",
                    priority=5,
                )
            )
        if organisation.status != OrganisationStatus.REJECTED:
            buttons.append(
                button_class(
                    _("Ablehnen"),
                    url=reverse(self.reject_url_name, args=(quote(organisation.pk),)),
                    icon_name="cross",
                    priority=6,
                )
            )
        return buttons


class OrganisationIndexView(ReviewButtonsMixin, IndexView):
    verify_url_name = None
    reject_url_name = None

    def get_base_queryset(self):
        return organisations_for_coordinator(self.request.user).prefetch_related("kommunen")

    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *self.review_buttons(instance, MenuItem)]


class OrganisationInspectView(ReviewButtonsMixin, ScopedToCoordinatorMixin, InspectView):
    verify_url_name = None
    reject_url_name = None

    labels = {
        "admins": _("Verwaltung der Organisation"),
        "created_at": _("Registriert am"),
        "verified_by": _("Geprüft von"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return self.labels[field_name]
        return super().get_field_label(field_name, field)

    def get_is_mso_display_value(self):
        return _("ja") if self.object.is_mso else _("nein")

    def get_verified_by_display_value(self):
        return str(self.object.verified_by) if self.object.verified_by else "-"

    def get_admins_display_value(self):
        admins = self.object.memberships.filter(role=MembershipRole.ADMIN).select_related("user")
        return ", ".join(f"{m.user.get_full_name() or m.user.email} <{m.user.email}>" for m in admins) or "-"

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.review_buttons(self.object, Button)]


class OrganisationReviewView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Asks for an optional note (required for a rejection) and records the coordinator's decision."""

    model = Organisation
    permission_required = "review"
    form_class = ReviewForm
    template_name = "volunteering/organisations/admin/review.html"
    decision = "verify"
    index_url_name = None
    inspect_url_name = None
    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(organisations_for_coordinator(request.user), pk=kwargs["pk"])

    def get_page_title(self):
        if self.decision == "verify":
            return _("Organisation freigeben")
        return _("Organisation ablehnen")

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": Organisation._meta.verbose_name_plural},
            {"url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)), "label": self.object.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.object,
            decision=self.decision,
            cancel_url=reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
        )
        return context

    def form_valid(self, form):
        review = organisation_verify if self.decision == "verify" else organisation_reject
        try:
            review(organisation=self.object, actor=self.request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if self.decision == "verify":
            message = _("„%(name)s“ ist freigegeben und jetzt öffentlich.")
        else:
            message = _("„%(name)s“ ist abgelehnt. Die Verwaltung der Organisation wurde informiert.")
        messages.success(self.request, message % {"name": self.object.name})
        return redirect(self.index_url_name)


class OrganisationReviewViewSet(ModelViewSet):
    """Organisations of the coordinator's towns, pending first, with "Freigeben" and "Ablehnen"."""

    model = Organisation
    name = "coordination_organisations"
    url_prefix = "koordination/organisationen"
    icon = "group"
    menu_label = _("Organisationen")
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrganisationIndexView
    inspect_view_class = OrganisationInspectView
    filterset_class = OrganisationReviewFilterSet
    ordering = ["review_order", "name"]
    list_display = [
        "name",
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            sort_key="status",
            primary=lambda organisation: organisation.status == OrganisationStatus.PENDING,
        ),
        RelatedObjectsColumn("kommunen", label=_("Tätig in")),
        Column("get_legal_form_display", label=_("Rechtsform")),
        DateColumn("created_at", label=_("Registriert am"), sort_key="created_at"),
    ]
    search_fields = ["name", "email", "description"]
    inspect_view_fields = [
        "name",
        "status",
        "status_note",
        "legal_form",
        "is_mso",
        "kommunen",
        "description",
        "email",
        "phone",
        "website",
        "response_deadline_days",
        "admins",
        "created_at",
        "verified_at",
        "verified_by",
    ]
    form_fields = []  # no add or edit views (see get_urlpatterns)

    def get_common_view_kwargs(self, **kwargs):
        # Only the listing, the details and the two decisions exist here; nothing links to editing.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in (
            "add_url_name",
            "edit_url_name",
            "delete_url_name",
            "history_url_name",
            "usage_url_name",
        ):
            view_kwargs[name] = None
        return view_kwargs

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            verify_url_name=self.get_url_name("verify"), reject_url_name=self.get_url_name("reject"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            verify_url_name=self.get_url_name("verify"), reject_url_name=self.get_url_name("reject"), **kwargs
        )

    def review_view(self, decision: str):
        return OrganisationReviewView.as_view(
            decision=decision,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/freigeben/", self.review_view("verify"), name="verify"),
            path("<int:pk>/ablehnen/", self.review_view("reject"), name="reject"),
        ]


# --- Coordinator roles -------------------------------------------------------------------------------
class CoordinatorRoleCreateView(CreateView):
    def save_instance(self):
        role = coordinator_role_assign(
            actor=self.request.user,
            user=self.form.cleaned_data["user"],
            whole_district=self.form.cleaned_data["whole_district"],
            kommunen=self.form.cleaned_data["kommunen"],
        )
        log(instance=role, action="wagtail.create", user=self.request.user)
        return role


class CoordinatorRoleEditView(EditView):
    def save_instance(self):
        role = coordinator_role_assign(
            actor=self.request.user,
            user=self.object.user,
            whole_district=self.form.cleaned_data["whole_district"],
            kommunen=self.form.cleaned_data["kommunen"],
        )
        log(instance=role, action="wagtail.edit", user=self.request.user)
        return role


class CoordinatorRoleDeleteView(DeleteView):
    def delete_action(self):
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        coordinator_role_revoke(actor=self.request.user, role=self.object)


class CoordinatorRoleViewSet(ModelViewSet):
    """Who coordinates which towns. Saving makes the person staff in the "Koordination" group."""

    model = CoordinatorRole
    name = "coordinator_roles"
    url_prefix = "koordination/rollen"
    icon = "user"
    menu_label = _("Koordinationsrollen")
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    add_view_class = CoordinatorRoleCreateView
    edit_view_class = CoordinatorRoleEditView
    delete_view_class = CoordinatorRoleDeleteView
    list_display = [
        "user",
        Column("user.email", label=_("E-Mail-Adresse")),
        Column(
            "scope",
            label=_("Zuständig für"),
            accessor=lambda role: (
                _("ganzer Kreis")
                if role.whole_district
                else ", ".join(kommune.name for kommune in role.kommunen.all())
            ),
        ),
    ]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering = ["user__email"]

    def get_form_class(self, for_update=False):
        return CoordinatorRoleEditForm if for_update else CoordinatorRoleCreateForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=CoordinatorRole.objects.select_related("user").prefetch_related("kommunen"), **kwargs
        )


class CoordinationGroup(ViewSetGroup):
    menu_label = _("Koordination")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationReviewViewSet, CoordinatorRoleViewSet)
