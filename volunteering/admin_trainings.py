"""Coordinators run trainings in the Wagtail admin: the catalogue (trainings, qualifications), the sessions
and appointments of their towns, and the attendance sheet of each session.

Permissions come from the person's coordinator role on every request (not from Django model permissions):
any coordinator edits the catalogue; sessions, appointments and attendance are limited to the towns of the
coordinator (all towns with a district-wide role). A session of another town answers 404.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from notifications import clock
from volunteering.models import (
    Qualification,
    SessionAppointment,
    Training,
    TrainingSession,
    User,
)
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.selectors.trainings import attendance_sheet, sessions_for_coordinator


def _coordinators():
    return User.objects.filter(Q(is_superuser=True) | Q(coordinator_role__isnull=False), is_active=True)


def _towns(user) -> "list[int] | None":
    """None for superusers (all towns), else the ids of the coordinator's towns."""
    if user.is_superuser:
        return None
    return list(coordinator_kommunen(user).values_list("pk", flat=True))


class CatalogPolicy(BasePermissionPolicy):
    """Coordinators and superusers edit trainings and qualifications."""

    def user_has_permission(self, user, action):
        return user.is_authenticated and user.is_active and (user.is_superuser or is_coordinator(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.model.objects.all()

    def users_with_any_permission(self, actions):
        return _coordinators().distinct()


class TownScopedPolicy(CatalogPolicy):
    """Sessions and appointments: the coordinators of the session's town."""

    town_path = "kommune"

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        towns = _towns(user)
        if towns is None:
            return self.model.objects.all()
        return self.model.objects.filter(**{f"{self.town_path}__in": towns})

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()
        )


class AppointmentPolicy(TownScopedPolicy):
    town_path = "session__kommune"


register_permission_policy(Training, CatalogPolicy(Training))
register_permission_policy(Qualification, CatalogPolicy(Qualification))
register_permission_policy(TrainingSession, TownScopedPolicy(TrainingSession))
register_permission_policy(SessionAppointment, AppointmentPolicy(SessionAppointment))


class SessionForm(WagtailAdminModelForm):
    """Only the coordinator's towns can be chosen. The trainer's account is named by its email address (no
    list of every account on the platform)."""

    trainer_email = forms.EmailField(
        label=_("Referent*in: E-Mail-Adresse des Kontos"),
        required=False,
        help_text=_(
            "Diese Person darf die Anwesenheit eintragen. Leer lassen, wenn die Koordination das tut."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "kommune" in self.fields and not user.is_superuser:
            self.fields["kommune"].queryset = coordinator_kommunen(user)
        if self.instance.pk and self.instance.trainer_id:
            self.initial.setdefault("trainer_email", self.instance.trainer.email)

    def clean_trainer_email(self):
        email = (self.cleaned_data.get("trainer_email") or "").strip().lower()
        if not email:
            self.instance.trainer = None
            return ""
        trainer = User.objects.filter(email__iexact=email, is_active=True).first()
        if trainer is None:
            raise forms.ValidationError(
                _("Zu dieser Adresse gibt es kein Konto. Die Person muss sich erst registrieren.")
            )
        self.instance.trainer = trainer
        return email


class AppointmentForm(WagtailAdminModelForm):
    """Only sessions of the coordinator's towns can be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "session" in self.fields and not user.is_superuser:
            self.fields["session"].queryset = TrainingSession.objects.filter(
                kommune__in=coordinator_kommunen(user)
            ).select_related("training", "kommune")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return cleaned


class TownScopedObjectMixin:
    """Loads the object only from the coordinator's towns: a session of another town answers 404."""

    def get_object(self, queryset=None):
        towns = _towns(self.request.user)
        objects = self.model._default_manager.all()
        if towns is not None:
            path = "session__kommune__in" if self.model is SessionAppointment else "kommune__in"
            objects = objects.filter(**{path: towns})
        if not objects.filter(pk=unquote(str(self.kwargs["pk"]))).exists():
            raise Http404
        return super().get_object(queryset)  # Wagtail keeps its own bookkeeping (live object, revisions)


def _scoped(view_class):
    return type(f"TownScoped{view_class.__name__}", (TownScopedObjectMixin, view_class), {})


class SessionEditView(TownScopedObjectMixin, snippet_views.EditView):
    def save_instance(self):
        from volunteering.services.trainings import training_session_seats_changed

        instance = super().save_instance()
        training_session_seats_changed(session=instance)
        return instance


class TownScopedViewSetMixin:
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    copy_view_class = _scoped(snippet_views.CopyView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)


class QualificationViewSet(SnippetViewSet):
    model = Qualification
    icon = "pick"
    menu_label = _("Qualifikationen")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TrainingViewSet(SnippetViewSet):
    model = Training
    icon = "doc-full"
    menu_label = _("Schulungen")
    list_display = ["title", "handlungsfeld", "grants", "validity_months", "is_active"]
    list_filter = ["handlungsfeld", "is_active"]
    search_fields = ["title"]


class TrainingSessionViewSet(TownScopedViewSetMixin, SnippetViewSet):
    edit_view_class = SessionEditView
    model = TrainingSession
    icon = "date"
    menu_label = _("Durchführungen")
    list_display = ["training", "kommune", "capacity", "status"]
    list_filter = ["status", "kommune"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "training",
                "kommune",
                "place",
                "online_url",
                "capacity",
                "trainer_email",
                "trainer_name",
                "language",
                "status",
                "note",
            )
        ],
        base_form_class=SessionForm,
    )

    def get_queryset(self, request):
        towns = _towns(request.user)
        queryset = TrainingSession.objects.select_related("training", "kommune")
        return queryset if towns is None else queryset.filter(kommune__in=towns)


class SessionAppointmentViewSet(TownScopedViewSetMixin, SnippetViewSet):
    model = SessionAppointment
    icon = "time"
    menu_label = _("Termine")
    list_display = ["session", "starts_at", "ends_at", "required"]
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("session", "starts_at", "ends_at", "required", "topic")],
        base_form_class=AppointmentForm,
    )

    def get_queryset(self, request):
        towns = _towns(request.user)
        queryset = SessionAppointment.objects.select_related("session__training", "session__kommune")
        return queryset if towns is None else queryset.filter(session__kommune__in=towns)


class TrainingGroup(SnippetViewSetGroup):
    menu_label = _("Schulungen")
    menu_icon = "doc-full-inverse"
    menu_order = 320
    items = (TrainingViewSet, QualificationViewSet, TrainingSessionViewSet, SessionAppointmentViewSet)


register_snippet(TrainingGroup)


# --- The attendance sheet --------------------------------------------------------------------------------
def _require_coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


def _session_of_coordinator(request, pk: int) -> TrainingSession:
    session = sessions_for_coordinator(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404  # another town's session, or none: the same answer
    return session


@require_GET
def session_index(request):
    _require_coordinator(request)
    return render(
        request,
        "volunteering/admin/training_sessions.html",
        {"sessions": sessions_for_coordinator(request.user)},
    )


@require_GET
def session_attendance(request, pk: int):
    _require_coordinator(request)
    session = _session_of_coordinator(request, pk)
    appointments, rows = attendance_sheet(session)
    return render(
        request,
        "volunteering/admin/training_attendance.html",
        {
            "session": session,
            "appointments": appointments,
            "rows": rows,
            "now": clock.now(),
            "mark_url": reverse("coordination_training_mark", args=[session.pk]),
            "admin_view": True,
        },
    )


@require_POST
def session_mark(request, pk: int):
    from volunteering.views.trainings import mark_from_post

    _require_coordinator(request)
    session = _session_of_coordinator(request, pk)
    mark_from_post(request, session)
    return redirect("coordination_training_attendance", pk=session.pk)


@hooks.register("register_admin_urls")
def register_training_urls():
    return [
        path("schulungen/anwesenheit/", session_index, name="coordination_training_sessions"),
        path("schulungen/anwesenheit/<int:pk>/", session_attendance, name="coordination_training_attendance"),
        path("schulungen/anwesenheit/<int:pk>/eintragen/", session_mark, name="coordination_training_mark"),
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_training_menu_item():
    return CoordinatorMenuItem(
        _("Schulungen: Anwesenheit"), reverse("coordination_training_sessions"), icon_name="tasks", order=220
    )
