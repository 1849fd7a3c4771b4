"""Reference data coordinators edit in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from volunteering.models import ActivityType, CoordinatorRole, Handlungsfeld, Kommune, Language, Organisation
from volunteering.views.organisations_coordination import (
    CoordinationGroup,
    CoordinatorRolePolicy,
    OrganisationReviewPolicy,
)


class KommuneViewSet(SnippetViewSet):
    model = Kommune
    icon = "site"
    menu_label = _("Kommunen")
    list_display = ["name", "ags", "jugendamt", "issues_ehrenamtskarte"]
    search_fields = ["name", "ags"]


class HandlungsfeldViewSet(SnippetViewSet):
    model = Handlungsfeld
    icon = "list-ul"
    list_display = ["name", "sort_order"]


class ActivityTypeViewSet(SnippetViewSet):
    model = ActivityType
    icon = "tag"
    list_display = ["name", "handlungsfeld", "is_tandem", "efz_required"]
    list_filter = ["handlungsfeld", "is_tandem"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    list_display = ["name", "native_name", "code"]
    search_fields = ["name", "native_name", "code"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("Stammdaten")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (KommuneViewSet, HandlungsfeldViewSet, ActivityTypeViewSet, LanguageViewSet)


register_snippet(ReferenceDataGroup)


# --- Coordination: reviewing organisations, assigning coordinator roles (policies read the person's role)
register_permission_policy(Organisation, OrganisationReviewPolicy(Organisation))
register_permission_policy(CoordinatorRole, CoordinatorRolePolicy(CoordinatorRole))


@hooks.register("register_admin_viewset")
def register_coordination_viewsets():
    return CoordinationGroup()


from volunteering import (  # noqa: E402, F401 - register the coordinators' admin views
    admin_applications,
    admin_efz,
    admin_recognition,
    admin_trainings,
    admin_volunteers,
)
from volunteering.views import tandems_coordination  # noqa: E402, F401 - tandem requests, matching, tandems
