"""The application forms fuzzed with hostile input (QUALITY.md 11): 0 server errors, invalid input writes
nothing, and valid input writes exactly what was sent."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import Notification
from tests.volunteering.applications_world import make_need, make_volunteer
from tests.volunteering.test_organisation_form_fuzzing import HOSTILE
from volunteering.models import (
    AnswerTemplate,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationStatus,
    Engagement,
)
from volunteering.services.applications import application_submit

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXTRA_KEYS = ["status", "need", "volunteer", "organisation", "campaign_code", "answered_at", "is_staff"]
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Application.objects.order_by("pk").values()),
        list(ApplicationEvent.objects.order_by("pk").values("pk", "status")),
        list(ApplicationMessage.objects.order_by("pk").values("pk", "body")),
        list(Engagement.objects.order_by("pk").values()),
        list(AnswerTemplate.objects.order_by("pk").values()),
    )


def _payload(message, extras):
    data = {"message": message} if message is not None else {}
    data.update(extras)
    return data


@pytest.fixture
def need(organisation):
    return make_need(organisation, volunteers_wanted=50)


@FUZZ
@given(
    message=st.one_of(st.none(), HOSTILE),
    extras=st.dictionaries(st.sampled_from(EXTRA_KEYS), HOSTILE, max_size=4),
)
def test_the_application_form_survives_hostile_input(client, need, org_admin, message, extras):
    volunteer = make_volunteer()
    client.force_login(volunteer)
    before = snapshot()

    response = client.post(f"/de/einsaetze/{need.pk}/bewerben/", _payload(message, extras))

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert snapshot() == before
        return
    application = Application.objects.get(volunteer=volunteer)
    assert application.need == need and application.status == ApplicationStatus.SUBMITTED
    assert application.message == (message or "").strip()
    assert application.campaign_code == ""  # never from the form
    Notification.objects.all().delete()
    application.delete()


@FUZZ
@given(
    body=st.one_of(st.none(), HOSTILE),
    extras=st.dictionaries(st.sampled_from(EXTRA_KEYS), HOSTILE, max_size=4),
    side=st.sampled_from(["volunteer", "organisation"]),
)
def test_the_message_forms_survive_hostile_input(client, need, org_admin, body, extras, side):
    volunteer = make_volunteer()
    application = application_submit(need=need, volunteer=volunteer)
    if side == "volunteer":
        client.force_login(volunteer)
        url = f"/de/mein-bereich/bewerbungen/{application.pk}/nachricht/"
    else:
        client.force_login(org_admin)
        url = f"/de/organisation/{need.organisation_id}/bewerbungen/{application.pk}/nachricht/"
    before = snapshot()

    response = client.post(url, {**({"body": body} if body is not None else {}), **extras})

    assert response.status_code == 302, response.status_code
    after = snapshot()
    written = ApplicationMessage.objects.filter(application=application)
    if written.exists():
        assert [m.body for m in written] == [(body or "").strip()]
        assert (body or "").strip() and "\x00" not in body
    else:
        assert after == before
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.need == need


@FUZZ
@given(
    action=st.sampled_from(["kontakt", "zusagen", "absagen"]),
    values=st.dictionaries(
        st.sampled_from(["body", "starts_on", "ends_on", *EXTRA_KEYS]), HOSTILE, max_size=5
    ),
)
def test_the_organisation_answers_survive_hostile_input(client, need, org_admin, action, values):
    application = application_submit(need=need, volunteer=make_volunteer())
    client.force_login(org_admin)
    before = snapshot()

    response = client.post(
        f"/de/organisation/{need.organisation_id}/bewerbungen/{application.pk}/{action}/", values
    )

    assert response.status_code == 302, response.status_code
    application.refresh_from_db()
    expected = {"kontakt": "in_contact", "zusagen": "accepted", "absagen": "declined"}[action]
    assert application.status in (ApplicationStatus.SUBMITTED, expected)
    if application.status == ApplicationStatus.SUBMITTED:
        assert snapshot() == before


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["need", "status", "overdue", "seite"]), HOSTILE, max_size=4))
def test_the_inbox_filters_survive_hostile_parameters(client, need, org_admin, values):
    client.force_login(org_admin)

    response = client.get(f"/de/organisation/{need.organisation_id}/bewerbungen/", values)

    assert response.status_code == 200


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["title", "body", "organisation"]), HOSTILE, max_size=3))
def test_the_answer_template_form_survives_hostile_input(client, need, org_admin, values):
    client.force_login(org_admin)
    before = snapshot()

    response = client.post(f"/de/organisation/{need.organisation_id}/textbausteine/", values)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before
    else:
        template = AnswerTemplate.objects.get()
        assert template.organisation_id == need.organisation_id
        template.delete()
