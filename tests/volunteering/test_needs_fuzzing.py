"""The need editor and the search parameters fuzzed with hostile input: 0 server errors, and invalid input
writes nothing (QUALITY.md 11)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.volunteering.needs_helpers import make_need, verify
from volunteering.models import Need, SavedNeed

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
            "2026-02-30T10:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "-1",
            "99999999999999999999",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "hausaufgaben:* & !kinder | (",
            "tue-evening",
            "one-off",
            "",
        ]
    ),
)
NEED_FIELDS = [
    "title",
    "description",
    "tasks",
    "limits",
    "handlungsfeld",
    "activity_type",
    "kommune",
    "place",
    "schedule_kind",
    "starts_at",
    "ends_at",
    "slots",
    "schedule_note",
    "hours_per_week",
    "time_commitment",
    "languages",
    "min_age",
    "volunteers_wanted",
    "contact_name",
    "status",
    "organisation",
    "action",
]
SEARCH_PARAMETERS = [
    "q",
    "ort",
    "feld",
    "taetigkeit",
    "sprache",
    "form",
    "zeit",
    "schnuppern",
    "unter18",
    "ohne_deutsch",
    "plz",
    "umkreis",
    "sortierung",
    "seite",
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Need.objects.order_by("pk").values()),
        sorted(Need.languages.through.objects.values_list("need_id", "language_id")),
        list(SavedNeed.objects.values()),
    )


@FUZZ
@given(values=st.dictionaries(st.sampled_from(NEED_FIELDS), HOSTILE, max_size=10))
def test_creating_a_need_survives_hostile_input(client, site_tree, organisation, org_member, values):
    client.force_login(org_member)
    before = snapshot()

    response = client.post(f"/de/organisation/{organisation.pk}/bedarfe/neu/", values)

    assert response.status_code == 200  # never valid without real reference data
    assert snapshot() == before


@FUZZ
@given(values=st.dictionaries(st.sampled_from(NEED_FIELDS), HOSTILE, max_size=10))
def test_editing_a_need_survives_hostile_input(client, site_tree, organisation, org_admin, values):
    if not Need.objects.exists():
        make_need(organisation, org_admin)
    need = Need.objects.get()
    client.force_login(org_admin)
    before = snapshot()

    response = client.post(f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/bearbeiten/", values)

    assert response.status_code == 200
    assert snapshot() == before


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(SEARCH_PARAMETERS), st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=8
    ),
    htmx=st.booleans(),
)
def test_the_search_survives_hostile_parameters(client, site_tree, organisation, org_admin, params, htmx):
    if not Need.objects.exists():
        verify(organisation)
        make_need(organisation, org_admin, publish=True)
    before = snapshot()

    response = client.get("/de/einsaetze/", params, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    assert snapshot() == before


@FUZZ
@given(pk=st.integers(min_value=-(2**70), max_value=2**70))
def test_need_urls_survive_any_number(client, site_tree, volunteer, pk):
    client.force_login(volunteer)
    assert client.get(f"/de/einsaetze/{pk}/").status_code in (404,)
    assert client.post(f"/de/einsaetze/{pk}/merken/").status_code == 404
