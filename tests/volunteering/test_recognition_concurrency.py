"""Recognition under concurrency, on PostgreSQL with real concurrent transactions: an attendance credited
twice at once is one entry; two confirmations that only together cross 10 hours reach the milestone once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.volunteering.recognition_world import make_engagement
from tests.volunteering.test_applications_concurrency import _race
from volunteering.models import HoursEntry, Milestone, MilestoneKind, ThankYou
from volunteering.services import recognition
from volunteering.services.recognition import HoursLine

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_attendance_credited_twice_at_once_is_one_entry(volunteer, organisation):
    day = timezone.localdate() - timedelta(days=1)
    for source_id in range(1, 6):
        results = _race(
            *[
                lambda source_id=source_id: recognition.credit_attendance(
                    volunteer, source="training", source_id=source_id, on_date=day, hours=2
                )
                for _ in range(3)
            ]
        )
        assert all(isinstance(result, HoursEntry) for result in results), results
        assert len({result.pk for result in results}) == 1
    assert HoursEntry.objects.count() == 5


def test_two_confirmations_crossing_ten_hours_together_reach_the_milestone_once(
    volunteer, organisation, org_admin, org_member
):
    engagement = make_engagement(volunteer, organisation, starts_on=timezone.localdate() - timedelta(days=30))
    first, second = recognition.hours_log(
        volunteer=volunteer,
        engagement=engagement,
        lines=[HoursLine(timezone.localdate() - timedelta(days=2), 6 * 60)] * 2,
    )
    results = _race(
        lambda: recognition.hours_confirm(actor=org_admin, organisation=organisation, entry_ids=[first.pk]),
        lambda: recognition.hours_confirm(actor=org_member, organisation=organisation, entry_ids=[second.pk]),
    )
    assert all(isinstance(result, list) for result in results), results
    assert Milestone.objects.filter(volunteer=volunteer, kind=MilestoneKind.HOURS_10).count() == 1
    assert ThankYou.objects.count() == 1
