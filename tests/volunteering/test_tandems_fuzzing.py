"""The tandem forms fuzzed with hostile input: 0 server errors, invalid input writes nothing
(QUALITY.md 11)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.volunteering.tandems_world import make_request, make_volunteer
from tests.volunteering.test_form_fuzzing import FUZZ, HOSTILE
from tests.volunteering.test_tandems_views import form_data
from volunteering.models import Tandem, TandemCheckIn, TandemRequest

FIELDS = [
    "alias",
    "email",
    "phone",
    "postcode",
    "kommune",
    "radius_km",
    "tandem_type",
    "availability",
    "partner_gender_wish",
    "age_group_wish",
    "birth_year",
    "contact_language",
    "requester",
    "languages-0-language",
    "languages-0-level",
    "languages-TOTAL_FORMS",
]


@pytest.mark.django_db
@FUZZ
@given(values=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1, max_size=5))
def test_the_public_request_form_survives_hostile_input(client, reference_data, settings, values):
    settings.TANDEM_REQUEST_RATE_LIMIT = "10000/m/ip"  # every example reaches the validation
    before = TandemRequest.objects.count()
    data = form_data(consent="")  # without consent nothing may be stored, whatever else arrives
    data.update(values)

    response = client.post("/ar/tandem/anfrage/", data)

    assert response.status_code == 400
    assert TandemRequest.objects.count() == before


@pytest.mark.django_db
@FUZZ
@given(
    frequency=HOSTILE,
    mood=HOSTILE,
    support=HOSTILE,
    reason=HOSTILE,
)
def test_the_volunteers_tandem_forms_survive_hostile_input(
    client, reference_data, coordinator, frequency, mood, support, reason
):
    from volunteering.services.tandems import tandem_propose

    helper = make_volunteer(f"h{TandemRequest.objects.count()}@example.org")
    tandem = tandem_propose(
        request=make_request(email=f"n{TandemRequest.objects.count()}@example.org"),
        volunteer=helper,
        actor=coordinator,
    )
    client.force_login(helper)

    decline = client.post(f"/de/mein-bereich/tandems/{tandem.pk}/absagen/", {"reason": reason})
    check_in = client.post(
        f"/de/mein-bereich/tandems/{tandem.pk}/rueckmeldung/1/",
        {"frequency": frequency, "mood": mood, "support": support},
    )

    assert decline.status_code < 500 and check_in.status_code < 500
    tandem.refresh_from_db()
    assert tandem.status == (
        "declined" if reason in ("no-time", "too-far", "not-suitable", "other") else "proposed"
    )
    assert not TandemCheckIn.objects.exclude(answered_at=None).exists()
    assert Tandem.objects.filter(pk=tandem.pk).exists()
