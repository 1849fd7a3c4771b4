"""Reads for coordinators: always limited to the towns they are responsible for."""

from django.db.models import Prefetch, QuerySet

from volunteering.models import ProfileLanguage, User, VolunteerProfile
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator


def volunteers_for_coordinator(
    user: User, *, kommune_id: int | None = None, status: str | None = None
) -> QuerySet[VolunteerProfile]:
    """Returns the volunteer profiles in the coordinator's towns (none for anyone else)."""
    if not is_coordinator(user):
        return VolunteerProfile.objects.none()
    profiles = VolunteerProfile.objects.select_related("kommune", "user").prefetch_related(
        Prefetch("languages", queryset=ProfileLanguage.objects.select_related("language"))
    )
    if not user.coordinator_role.whole_district:
        profiles = profiles.filter(kommune__in=coordinator_kommunen(user))
    if kommune_id:
        profiles = profiles.filter(kommune_id=kommune_id)
    if status:
        profiles = profiles.filter(status=status)
    return profiles.order_by("-created_at")
