import json

import pytest
from django.utils import timezone

from volunteering.models import Consent, Kommune, Language, ProfileStatus, VolunteerProfile


@pytest.fixture
def signed_in(client, volunteer, reference_data, site_tree):
    client.force_login(volunteer)
    return client


def _languages(*rows):
    data = {"languages-TOTAL_FORMS": "4", "languages-INITIAL_FORMS": "0"}
    for index in range(4):
        language, level = rows[index] if index < len(rows) else ("", "")
        data[f"languages-{index}-language"] = language
        data[f"languages-{index}-level"] = level
    return data


def test_the_dashboard_shows_the_checklist_and_completeness(signed_in):
    response = signed_in.get("/de/mein-bereich/")

    assert response.status_code == 200
    assert "Ihre nächsten Schritte" in response.text
    assert "Ihr Profil ist zu 0 % ausgefüllt." in response.text
    assert "2 bis 3 Wochen" in response.text


def test_the_wizard_saves_each_step_and_finds_the_town(signed_in, volunteer):
    response = signed_in.post(
        "/de/mein-bereich/profil/place/",
        {"display_name": "Lena", "postcode": "33415", "travel_radius_km": "25"},
    )

    assert response.status_code == 302 and response["Location"].endswith("/profil/languages/")
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.kommune == Kommune.objects.get(name="Verl")
    assert profile.latitude == pytest.approx(51.8833)
    assert profile.completed_steps == ["place"]
    assert profile.completeness == 20


def test_a_postcode_outside_the_district_is_allowed(signed_in, volunteer):
    signed_in.post(
        "/de/mein-bereich/profil/place/",
        {"display_name": "Lena", "postcode": "10115", "travel_radius_km": "5"},
    )

    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.postcode == "10115" and profile.kommune is None


def test_an_invalid_postcode_is_explained_and_nothing_is_saved(signed_in, volunteer):
    response = signed_in.post(
        "/de/mein-bereich/profil/place/",
        {"display_name": "Lena", "postcode": "33A15", "travel_radius_km": "5"},
    )

    assert response.status_code == 400
    assert "Eine Postleitzahl hat genau 5 Ziffern." in response.text
    assert not VolunteerProfile.objects.filter(user=volunteer, postcode="33A15").exists()


def test_languages_are_stored_with_their_level(signed_in, volunteer):
    german, arabic = Language.objects.get(code="de"), Language.objects.get(code="ar")

    response = signed_in.post(
        "/de/mein-bereich/profil/languages/", _languages((german.pk, "7"), (arabic.pk, "3"))
    )

    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert {(e.language.code, e.level) for e in profile.languages.all()} == {("de", 7), ("ar", 3)}


def test_a_language_twice_is_rejected(signed_in, volunteer):
    german = Language.objects.get(code="de")

    response = signed_in.post(
        "/de/mein-bereich/profil/languages/", _languages((german.pk, "7"), (german.pk, "3"))
    )

    assert response.status_code == 400
    assert "Jede Sprache bitte nur einmal angeben." in response.text


def test_completing_all_steps_moves_the_volunteer_to_onboarding(signed_in, volunteer, reference_data):
    from volunteering.models import Handlungsfeld

    german = Language.objects.get(code="de")
    signed_in.post(
        "/de/mein-bereich/profil/place/",
        {"display_name": "Lena", "postcode": "33330", "travel_radius_km": "10"},
    )
    signed_in.post("/de/mein-bereich/profil/languages/", _languages((german.pk, "7")))
    signed_in.post(
        "/de/mein-bereich/profil/interests/",
        {"handlungsfelder": [Handlungsfeld.objects.first().pk], "skills": "Kochen, Fußball, Kochen"},
    )
    signed_in.post(
        "/de/mein-bereich/profil/time/",
        {
            "availability": ["tue-evening", "sat-morning"],
            "hours_per_week": "2",
            "engagement_forms": ["tandem"],
        },
    )
    response = signed_in.post(
        "/de/mein-bereich/profil/about/", {"motivation": "Ich war selbst einmal neu hier."}
    )

    assert response.status_code == 302 and response["Location"].endswith("/mein-bereich/")
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.status == ProfileStatus.ONBOARDING
    assert profile.completeness == 100
    assert profile.skills == ["Kochen", "Fußball"]
    assert profile.availability == ["tue-evening", "sat-morning"]


def test_an_unknown_availability_slot_is_rejected(signed_in, volunteer):
    response = signed_in.post(
        "/de/mein-bereich/profil/time/",
        {"availability": ["xyz-night"], "hours_per_week": "2", "engagement_forms": ["tandem"]},
    )

    assert response.status_code == 400
    assert VolunteerProfile.objects.get(user=volunteer).availability == []


def test_control_characters_in_free_text_are_rejected(signed_in, volunteer):
    response = signed_in.post("/de/mein-bereich/profil/about/", {"motivation": "Hallo\u202eWelt\x00"})

    assert response.status_code == 400
    assert VolunteerProfile.objects.get(user=volunteer).motivation == ""


def test_free_text_fields_warn_against_sensitive_data(signed_in):
    response = signed_in.get("/de/mein-bereich/profil/about/")

    assert "nichts über Gesundheit, Religion, Herkunft oder Aufenthaltsstatus" in response.text


def test_a_volunteer_pauses_with_a_return_date_and_comes_back(signed_in, volunteer):
    day = timezone.localdate() + timezone.timedelta(days=30)

    signed_in.post("/de/mein-bereich/status/", {"action": "pause", "paused_until": day.isoformat()})
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.status == ProfileStatus.PAUSED and profile.paused_until == day

    signed_in.post("/de/mein-bereich/status/", {"action": "resume"})
    profile.refresh_from_db()
    assert profile.status != ProfileStatus.PAUSED and profile.paused_until is None


def test_a_pause_in_the_past_is_rejected(signed_in, volunteer):
    response = signed_in.post("/de/mein-bereich/status/", {"action": "pause", "paused_until": "2000-01-01"})

    assert response.status_code == 400
    assert VolunteerProfile.objects.get(user=volunteer).status == ProfileStatus.NEW


def test_consent_is_given_and_withdrawn_as_easily(signed_in, volunteer):
    signed_in.post("/de/mein-bereich/einwilligungen/", {"kind": "newsletter", "action": "give"})
    assert Consent.objects.filter(user=volunteer, text__kind="newsletter", withdrawn_at__isnull=True).exists()

    signed_in.post("/de/mein-bereich/einwilligungen/", {"kind": "newsletter", "action": "withdraw"})
    consent = Consent.objects.get(user=volunteer, text__kind="newsletter")
    assert consent.withdrawn_at is not None


def test_the_terms_cannot_be_withdrawn_on_the_consent_page(signed_in, volunteer):
    response = signed_in.post("/de/mein-bereich/einwilligungen/", {"kind": "terms", "action": "withdraw"})

    assert response.status_code == 404


def test_mass_assignment_keys_are_ignored(signed_in, volunteer):
    signed_in.post(
        "/de/mein-bereich/profil/place/",
        {
            "display_name": "Lena",
            "postcode": "33330",
            "travel_radius_km": "10",
            "status": "active",
            "user": "1",
            "is_staff": "on",
            "verified": "on",
            "owner": "2",
            "organisation": "3",
        },
    )

    volunteer.refresh_from_db()
    assert not volunteer.is_staff
    assert VolunteerProfile.objects.get(user=volunteer).status == ProfileStatus.NEW


def test_the_export_needs_a_recent_login(client, volunteer):
    client.force_login(volunteer)

    response = client.get("/de/mein-bereich/meine-daten/export/")

    assert response.status_code == 302 and "/konto/reauthenticate/" in response["Location"]


def _reauthenticated(client, user):
    from tests.factories import PASSWORD

    client.force_login(user)
    client.post("/de/konto/reauthenticate/", {"password": PASSWORD})
    return client


def test_the_export_holds_the_persons_data_and_nobody_elses(client, volunteer, outsider, reference_data):
    VolunteerProfile.objects.create(
        user=volunteer, display_name="MARKER-LENA-7781", motivation="MARKER-MOTIV-19"
    )
    VolunteerProfile.objects.create(user=outsider, display_name="MARKER-OTHER-5521")

    response = _reauthenticated(client, volunteer).get("/de/mein-bereich/meine-daten/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten.json"'
    text = response.content.decode()
    data = json.loads(text)
    assert data["data"]["volunteering.User"]["email"] == volunteer.email
    assert "MARKER-LENA-7781" in text and "MARKER-MOTIV-19" in text
    assert "MARKER-OTHER-5521" not in text and outsider.email not in text


def test_deleting_the_account_removes_the_person_and_ends_the_session(client, volunteer, outsider):
    VolunteerProfile.objects.create(user=volunteer, display_name="MARKER-LENA-7781")
    _reauthenticated(client, volunteer)

    response = client.post("/de/mein-bereich/meine-daten/konto-loeschen/", {"confirm": "on"})

    assert response.status_code == 302
    assert not VolunteerProfile.objects.filter(display_name="MARKER-LENA-7781").exists()
    assert not type(volunteer).objects.filter(pk=volunteer.pk).exists()
    assert type(outsider).objects.filter(pk=outsider.pk).exists()
    assert client.get("/de/mein-bereich/").status_code == 302


def test_deleting_without_confirmation_keeps_everything(client, volunteer):
    _reauthenticated(client, volunteer)

    response = client.post("/de/mein-bereich/meine-daten/konto-loeschen/", {})

    assert response.status_code == 400
    assert type(volunteer).objects.filter(pk=volunteer.pk).exists()
