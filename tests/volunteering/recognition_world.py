"""Helpers of the recognition tests: an engagement of a volunteer with an organisation."""

from datetime import date

from tests.volunteering.applications_world import make_need
from volunteering.models import Application, ApplicationStatus, Engagement


def make_engagement(
    volunteer, organisation, *, starts_on: date = date(2024, 1, 1), need=None, **need_fields
) -> Engagement:
    """Returns an engagement (an accepted application) of `volunteer` with `organisation` (for `need`, or
    for a new published need, which makes the organisation verified)."""
    need = need or make_need(organisation, **need_fields)
    application = Application.objects.create(
        need=need, volunteer=volunteer, status=ApplicationStatus.ACCEPTED
    )
    return Engagement.objects.create(
        application=application,
        volunteer=volunteer,
        organisation=organisation,
        need=need,
        tasks="Hausaufgaben begleiten",
        starts_on=starts_on,
    )
