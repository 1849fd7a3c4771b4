"""Demo recognition: the demo volunteer is four hours short of the 50-hour milestone, with two afternoons
waiting for the organisation; seeding twice changes nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from volunteering.demo_recognition import seed_recognition
from volunteering.models import HoursEntry, HoursStatus, Milestone, MilestoneKind, User
from volunteering.services import recognition


@pytest.mark.django_db
def test_the_demo_volunteer_is_near_the_fifty_hour_milestone_and_seeding_is_idempotent():
    call_command("seed_demo", "--quiet-logins")
    volunteer = User.objects.get(email="freiwillig@demo.example")
    entries = HoursEntry.objects.filter(volunteer=volunteer)
    counts = entries.count(), Milestone.objects.count()
    confirmed = entries.filter(status=HoursStatus.CONFIRMED).aggregate(total=Sum("minutes"))["total"]
    assert 40 * 60 <= confirmed < 50 * 60
    waiting = entries.filter(status=HoursStatus.SUBMITTED)
    assert waiting.count() == 2
    assert Milestone.objects.filter(volunteer=volunteer, kind=MilestoneKind.HOURS_10).exists()
    assert not Milestone.objects.filter(volunteer=volunteer, kind=MilestoneKind.HOURS_50).exists()

    seed_recognition()
    call_command("seed_demo", "--quiet-logins")
    assert (entries.count(), Milestone.objects.count()) == counts

    # Confirming the two waiting afternoons reaches the 50-hour milestone.
    engagement = waiting.first().engagement
    member = engagement.organisation.memberships.first().user
    recognition.hours_confirm(
        actor=member,
        organisation=engagement.organisation,
        entry_ids=list(waiting.values_list("pk", flat=True)),
    )
    assert Milestone.objects.filter(volunteer=volunteer, kind=MilestoneKind.HOURS_50).exists()
