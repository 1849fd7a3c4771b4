"""The recognition forms fuzzed with hostile input (QUALITY.md 11): 0 server errors; invalid input writes
nothing; what is written is what was sent, never the extra keys."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.volunteering.recognition_world import make_engagement
from tests.volunteering.test_organisation_form_fuzzing import HOSTILE
from volunteering.models import (
    EngagementCertificate,
    HoursEntry,
    HoursStatus,
    RecognitionSettings,
    StoryNomination,
)
from volunteering.services import recognition

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXTRA_KEYS = ["status", "volunteer", "organisation", "decided_by", "source", "engagement", "is_staff"]
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(HoursEntry.objects.order_by("pk").values()),
        list(RecognitionSettings.objects.order_by("pk").values()),
        list(EngagementCertificate.objects.order_by("pk").values()),
        list(StoryNomination.objects.order_by("pk").values()),
    )


@pytest.fixture
def engagement(volunteer, organisation, org_member):
    return make_engagement(volunteer, organisation, starts_on=timezone.localdate() - timedelta(days=100))


@FUZZ
@given(day=HOSTILE, hours=HOSTILE, note=HOSTILE, total=st.sampled_from(["1", "2", "-1", "21", "x", ""]))
def test_logging_hours_survives_hostile_input(client, engagement, day, hours, note, total):
    client.force_login(engagement.volunteer)
    before = snapshot()
    data = {
        "stunden-TOTAL_FORMS": total,
        "stunden-INITIAL_FORMS": "0",
        "stunden-0-worked_on": day,
        "stunden-0-hours": hours,
        "stunden-0-note": note,
        "stunden-0-status": "confirmed",
    }
    response = client.post(f"/de/mein-bereich/anerkennung/stunden/{engagement.pk}/", data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert snapshot() == before
    else:
        assert not HoursEntry.objects.exclude(status=HoursStatus.SUBMITTED).exists()


@FUZZ
@given(reason=HOSTILE, action=st.sampled_from(["confirm", "reject", "publish", ""]), entry=HOSTILE)
def test_deciding_hours_survives_hostile_input(client, engagement, org_member, reason, action, entry):
    waiting = recognition.hours_log(
        volunteer=engagement.volunteer,
        engagement=engagement,
        lines=[recognition.HoursLine(timezone.localdate() - timedelta(days=1), 60)],
    )[0]
    client.force_login(org_member)
    before = snapshot()
    response = client.post(
        f"/de/organisation/{engagement.organisation_id}/stunden/",
        {"entries": [entry, str(waiting.pk)], "action": action, "reason": reason},
    )
    assert response.status_code in (200, 302, 404), response.status_code
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "area": HOSTILE,
            "period_from": HOSTILE,
            "period_to": HOSTILE,
            "scope": HOSTILE,
            "description": HOSTILE,
            "tasks": HOSTILE,
            "thanks": HOSTILE,
            "competencies": HOSTILE,
        }
    ),
    extras=st.dictionaries(st.sampled_from(EXTRA_KEYS), HOSTILE, max_size=3),
)
def test_the_engagementnachweis_form_survives_hostile_input(client, engagement, org_member, fields, extras):
    client.force_login(org_member)
    before = snapshot()
    response = client.post(
        f"/de/organisation/{engagement.organisation_id}/engagements/{engagement.pk}/nachweis/",
        {**fields, **extras},
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert snapshot() == before


@FUZZ
@given(
    kind=HOSTILE,
    amount=HOSTILE,
    years=HOSTILE,
    extras=st.dictionaries(st.sampled_from([*EXTRA_KEYS, "public_slug", "user"]), HOSTILE, max_size=3),
)
def test_the_settings_form_survives_hostile_input(client, volunteer, kind, amount, years, extras):
    client.force_login(volunteer)
    before = snapshot()
    response = client.post(
        "/de/mein-bereich/anerkennung/angaben/",
        {"allowance_kind": kind, "allowance_eur_per_year": amount, "years_before_platform": years, **extras},
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert snapshot() == before
    else:
        row = RecognitionSettings.objects.get(user=volunteer)
        assert row.allowance_kind == kind and row.public_slug is None
