"""Demo applications: every state, a few engagements, idempotent, and nothing without needs."""

import pytest
from django.core.management import call_command

from tests.volunteering.applications_world import make_need
from volunteering.demo_applications import seed_applications
from volunteering.models import Application, ApplicationStatus, Engagement, Need, Organisation

pytestmark = pytest.mark.django_db


def test_without_published_needs_the_demo_seeds_no_applications():
    call_command("seed_demo", "--quiet-logins")
    Application.objects.all().delete()
    Need.objects.update(status="draft")

    assert seed_applications() == 0
    assert not Application.objects.exists()


def test_the_demo_has_applications_in_every_state_and_engagements_and_is_idempotent():
    call_command("seed_demo", "--quiet-logins")
    if not Need.objects.filter(status="published").exists():
        # Without demo needs (yet), give the demo organisations two to apply for.
        for organisation in Organisation.objects.filter(memberships__isnull=False).distinct():
            make_need(organisation, volunteers_wanted=5)
            make_need(organisation, title="Sprachcafé", volunteers_wanted=5)
    seed_applications()
    first = sorted(Application.objects.values_list("pk", "status"))

    seed_applications()

    assert sorted(Application.objects.values_list("pk", "status")) == first
    assert {status for _pk, status in first} == set(ApplicationStatus.values)
    assert Engagement.objects.count() >= 2
    for application in Application.objects.all():
        assert application.events.exists()
