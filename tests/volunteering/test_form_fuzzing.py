"""Every form of the people area fuzzed with hostile input: 0 server errors, and invalid input writes
nothing (QUALITY.md 11)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteering.models import Consent, User, VolunteerProfile

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "\u202egnp.exe",
            "👩🏽‍🦱🧕🏿",
            "Привіт, світе",
            "مرحبا بالعالم",
            "2026-02-30",
            "-1",
            "99999999999999999999",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '=HYPERLINK("http://x")',
            "",
        ]
    ),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _snapshot(user):
    profile = VolunteerProfile.objects.filter(user=user).values().first()
    return (
        profile,
        list(Consent.objects.filter(user=user).values_list("id", "withdrawn_at")),
        User.objects.filter(pk=user.pk).values("email", "birth_year", "is_staff", "is_active").first(),
    )


@pytest.fixture
def signed_in(client, volunteer, reference_data, site_tree):
    VolunteerProfile.objects.create(user=volunteer)  # as every sign-up does
    client.force_login(volunteer)
    return client


@pytest.mark.django_db
@FUZZ
@given(email=HOSTILE, year=HOSTILE, parent=HOSTILE, password=HOSTILE)
def test_signup_survives_hostile_input(client, site_tree, email, year, parent, password):
    before = User.objects.count()
    response = client.post(
        "/de/konto/signup/",
        {
            "email": email,
            "password1": password,
            "password2": password,
            "birth_year": year,
            "parent_email": parent,
        },
    )

    assert response.status_code < 500
    assert User.objects.count() == before  # none of these is a valid sign-up (terms not accepted)


@pytest.mark.django_db
@FUZZ
@given(
    step=st.sampled_from(["place", "interests", "time", "about"]),
    values=st.dictionaries(
        st.sampled_from(
            [
                "display_name",
                "postcode",
                "travel_radius_km",
                "handlungsfelder",
                "activity_types",
                "target_groups",
                "skills",
                "availability",
                "hours_per_week",
                "engagement_forms",
                "motivation",
            ]
        ),
        HOSTILE,
        max_size=6,
    ),
)
def test_wizard_steps_survive_hostile_input(signed_in, volunteer, step, values):
    before = _snapshot(volunteer)

    response = signed_in.post(f"/de/mein-bereich/profil/{step}/", values)

    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert _snapshot(volunteer) == before


@pytest.mark.django_db
@FUZZ
@given(rows=st.lists(st.tuples(HOSTILE, HOSTILE), max_size=6), total=HOSTILE)
def test_the_language_step_survives_hostile_input(signed_in, volunteer, rows, total):
    data = {"languages-TOTAL_FORMS": total, "languages-INITIAL_FORMS": "0"}
    for index, (language, level) in enumerate(rows):
        data[f"languages-{index}-language"] = language
        data[f"languages-{index}-level"] = level
    before = _snapshot(volunteer)

    response = signed_in.post("/de/mein-bereich/profil/languages/", data)

    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert _snapshot(volunteer) == before


@pytest.mark.django_db
@FUZZ
@given(action=HOSTILE, day=HOSTILE, kind=HOSTILE)
def test_status_and_consent_forms_survive_hostile_input(signed_in, volunteer, action, day, kind):
    before = _snapshot(volunteer)

    status = signed_in.post("/de/mein-bereich/status/", {"action": action, "paused_until": day})
    consent = signed_in.post("/de/mein-bereich/einwilligungen/", {"kind": kind, "action": action})

    assert status.status_code in (302, 400, 404)
    assert consent.status_code in (302, 404)
    if status.status_code != 302 and consent.status_code != 302:
        assert _snapshot(volunteer) == before
