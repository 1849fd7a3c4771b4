"""Tandem views: the public request form (languages, validation, honeypot, rate limit), the volunteer's
side in Mein Bereich, and the coordinators' screens in the Wagtail admin."""

import pytest
from django.conf import settings

from notifications.models import Notification
from tests.volunteering.tandems_world import make_request, make_volunteer
from volunteering.models import (
    ActivityType,
    AuditEntry,
    Language,
    MatchingRun,
    Tandem,
    TandemRequest,
    TandemStatus,
)
from volunteering.services import tandems as services

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def form_data(**overrides) -> dict:
    data = {
        "requester": "self",
        "alias": "Olena",
        "email": "olena@example.org",
        "phone": "",
        "postcode": "33415",
        "kommune": "",
        "radius_km": "10",
        "tandem_type": str(ActivityType.objects.get(slug="sprachpatenschaft").pk),
        "availability": ["tue-evening", "sat-morning"],
        "gender": "",
        "partner_gender_wish": "female",
        "age_group_wish": "any",
        "birth_year": "",
        "contact_language": "uk",
        "consent": "on",
        "website": "",
        "languages-TOTAL_FORMS": "4",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "4",
        "languages-MAX_NUM_FORMS": "8",
        "languages-0-language": str(Language.objects.get(code="uk").pk),
        "languages-0-level": "7",
        "languages-1-language": str(Language.objects.get(code="de").pk),
        "languages-1-level": "2",
    }
    for row in (2, 3):
        data[f"languages-{row}-language"] = ""
        data[f"languages-{row}-level"] = ""
    data.update(overrides)
    return data


# --- Public form ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_is_there_in_every_ui_language(client, reference_data, language):
    response = client.get(f"/{language}/tandem/anfrage/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    # The consent text is shown in the visitor's language (the migration ships all eight).
    from volunteering.models import ConsentText

    text = ConsentText.objects.get(kind="tandem", version=1)
    wording = text.text if language == "de" else text.text_translations[language]
    assert wording[:40] in html
    # Nothing about residence status, religion or health is asked.
    for field in ("aufenthalt", "religion", "gesundheit", "nationality"):
        assert f'name="{field}' not in html.lower()


@pytest.mark.parametrize("language", ["uk", "ar", "de"])
def test_a_valid_request_in_the_visitors_language_is_stored_and_confirmed(client, reference_data, language):
    response = client.post(f"/{language}/tandem/anfrage/", form_data(contact_language=language))

    assert response.status_code == 302 and response["Location"] == f"/{language}/tandem/anfrage/danke/"
    request = TandemRequest.objects.get()
    assert (request.contact_language, request.consent_language) == (language, language)
    assert request.kommune.name == "Verl" and request.partner_gender_wish == "female"
    assert [(e.language.code, e.level) for e in request.languages.all()] == [("uk", 7), ("de", 2)]
    assert Notification.objects.get(kind="tandem.request_received").language == language
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "language, overrides, field_hint",
    [
        ("uk", {"email": "", "phone": ""}, 'id="id_email"'),
        ("ar", {"postcode": "", "kommune": ""}, 'id="id_postcode"'),
        ("tr", {"consent": ""}, 'id="id_consent"'),
        ("fa", {"languages-0-language": "", "languages-1-language": ""}, "languages-0-language"),
        ("ru", {"phone": "<script>alert(1)</script>", "email": ""}, 'id="id_phone"'),
        ("ro", {"availability": []}, "slot-tue-evening"),
        ("en", {"postcode": "99999", "kommune": ""}, 'id="id_postcode"'),
    ],
)
def test_invalid_input_writes_nothing_and_keeps_what_was_typed(
    client, reference_data, language, overrides, field_hint
):
    response = client.post(f"/{language}/tandem/anfrage/", form_data(alias="Марія", **overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert "kern-error" in html or "kern-alert--danger" in html
    assert field_hint in html
    assert 'value="Марія"' in html  # nothing the person typed is lost
    assert "<script>alert(1)</script>" not in html
    assert not TandemRequest.objects.exists()


def test_the_honeypot_answers_like_success_and_stores_nothing(client, reference_data):
    response = client.post("/de/tandem/anfrage/", form_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"].endswith("/tandem/anfrage/danke/")
    assert not TandemRequest.objects.exists()
    assert not Notification.objects.exists()


def test_the_form_is_rate_limited_per_address(client, reference_data, settings):
    settings.TANDEM_REQUEST_RATE_LIMIT = "3/h/ip"
    for number in range(3):
        response = client.post("/de/tandem/anfrage/", form_data(email=f"p{number}@example.org"))
        assert response.status_code == 302
    response = client.post("/de/tandem/anfrage/", form_data(email="p9@example.org"))
    assert response.status_code == 429
    assert TandemRequest.objects.count() == 3
    assert client.get("/de/tandem/anfrage/").status_code == 200  # reading the form is never limited


# --- Mein Bereich ---------------------------------------------------------------------------------------
@pytest.fixture
def proposed(reference_data, coordinator):
    helper = make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request(alias="Olena", email="olena-kontakt@example.org", phone="0151 999")
    return services.tandem_propose(request=request, volunteer=helper, actor=coordinator)


def test_the_volunteer_sees_first_name_languages_town_and_interests_but_no_contact(client, proposed):
    client.force_login(proposed.volunteer)
    html = client.get(f"/de/mein-bereich/tandems/{proposed.pk}/").content.decode()

    assert "Olena" in html and "Verl" in html and "Ukrainisch" in html and "Freizeit und Sport" in html
    assert "olena-kontakt@example.org" not in html and "0151 999" not in html
    assert "/zusagen/" in html
    assert "Olena" in client.get("/de/mein-bereich/tandems/").content.decode()


def test_the_volunteer_accepts_in_mein_bereich(client, proposed):
    client.force_login(proposed.volunteer)
    response = client.post(f"/de/mein-bereich/tandems/{proposed.pk}/zusagen/")
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.ACCEPTED


def test_a_decline_without_reason_changes_nothing(client, proposed):
    client.force_login(proposed.volunteer)
    client.post(f"/de/mein-bereich/tandems/{proposed.pk}/absagen/", {})
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.PROPOSED
    client.post(f"/de/mein-bereich/tandems/{proposed.pk}/absagen/", {"reason": "too-far"})
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.DECLINED and proposed.decline_reason == "too-far"


def test_someone_elses_tandem_answers_404(client, proposed, volunteer):
    client.force_login(volunteer)
    assert client.get(f"/de/mein-bereich/tandems/{proposed.pk}/").status_code == 404
    assert client.post(f"/de/mein-bereich/tandems/{proposed.pk}/zusagen/").status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.PROPOSED


def _activate(tandem, coordinator, *, days: int):
    """Takes a proposed tandem through acceptance, contact and first meeting to running for `days` days."""
    from datetime import timedelta

    from notifications import clock

    services.tandem_accept(tandem=tandem, actor=tandem.volunteer)
    services.tandem_mark_contacted(tandem=tandem, actor=coordinator, method="coordinator")
    soon, ends_on = clock.now() + timedelta(hours=2), clock.now().date() + timedelta(days=days)
    services.tandem_plan_meeting(tandem=tandem, actor=coordinator, at=soon, place="Café")
    services.tandem_activate(tandem=tandem, actor=coordinator, scope="Deutsch üben.", ends_on=ends_on)


def test_the_check_in_form_takes_three_answers(client, proposed, coordinator):
    from notifications import clock

    _activate(proposed, coordinator, days=200)
    first = proposed.check_ins.get(number=1)
    first.due_on = clock.now().date()
    first.save()
    client.force_login(proposed.volunteer)

    assert client.get(f"/de/mein-bereich/tandems/{proposed.pk}/rueckmeldung/1/").status_code == 200
    assert (
        client.post(f"/de/mein-bereich/tandems/{proposed.pk}/rueckmeldung/1/", {"mood": "good"}).status_code
        == 400
    )
    response = client.post(
        f"/de/mein-bereich/tandems/{proposed.pk}/rueckmeldung/1/",
        {"frequency": "weekly", "mood": "okay", "support": "call"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.answered_at and not first.red_flag
    assert Notification.objects.filter(kind="tandem.support_wanted", recipient=coordinator).exists()


# --- Coordination in the Wagtail admin ------------------------------------------------------------------
def test_the_queue_lists_the_longest_waiting_first(client, reference_data, coordinator):
    from datetime import UTC, datetime

    from notifications import clock

    with clock.frozen(datetime(2026, 10, 1, tzinfo=UTC)):
        older = make_request(alias="Früher", email="a@example.org")
    newer = make_request(alias="Später", email="b@example.org")
    client.force_login(coordinator)
    html = client.get("/admin/tandems/anfragen/").content.decode()
    assert html.index(older.alias) < html.index(newer.alias)
    assert "b@example.org" not in html  # contact data only on the audited detail page


def test_opening_a_request_shows_contact_data_suggestions_and_is_audited(client, reference_data, coordinator):
    make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request(email="kontakt@example.org")
    client.force_login(coordinator)

    html = client.get(f"/admin/tandems/anfragen/{request.pk}/").content.decode()

    assert "kontakt@example.org" in html
    assert "Helga" in html and "spricht Ukrainisch" in html
    assert AuditEntry.objects.filter(
        actor=coordinator, action="view", object_type="volunteering.TandemRequest", object_id=request.pk
    ).exists()


@pytest.mark.parametrize(
    ("wish", "born", "phrase"),
    [
        ("similar", 1975, "ungefähr gleich alt, wie gewünscht"),
        ("older", 2001, "generationenübergreifend, wie gewünscht"),
    ],
)
def test_a_met_age_wish_is_named_among_the_reasons(client, reference_data, coordinator, wish, born, phrase):
    make_volunteer("helferin@example.org", first_name="Helga")  # born in 1970
    request = make_request(age_group_wish=wish, birth_year=born)
    client.force_login(coordinator)
    html = client.get(f"/admin/tandems/anfragen/{request.pk}/").content.decode()
    assert "Helga" in html and phrase in html


def test_an_age_wish_in_the_other_direction_earns_no_points(client, reference_data, coordinator):
    make_volunteer("helferin@example.org", first_name="Helga")  # born in 1970
    request = make_request(age_group_wish="younger", birth_year=2001)
    client.force_login(coordinator)
    html = client.get(f"/admin/tandems/anfragen/{request.pk}/").content.decode()
    assert "Helga" in html and "generationenübergreifend, wie gewünscht" not in html


def test_a_request_nobody_fits_says_why(client, reference_data, coordinator):
    make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request(languages={"ti": 7}, radius_km=25)
    client.force_login(coordinator)
    html = client.get(f"/admin/tandems/anfragen/{request.pk}/").content.decode()
    assert "Im Umkreis von 25 km spricht niemand Tigrinya." in html


def test_the_coordinator_proposes_from_the_suggestions(client, reference_data, coordinator):
    helper = make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request()
    client.force_login(coordinator)
    response = client.post(f"/admin/tandems/anfragen/{request.pk}/vorschlagen/", {"volunteer": helper.pk})
    tandem = Tandem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/tandems/{tandem.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_the_coordinator_changes_the_agreed_end_of_a_running_tandem(client, proposed, coordinator):
    from datetime import timedelta

    from notifications import clock

    _activate(proposed, coordinator, days=100)
    client.force_login(coordinator)
    page = client.get(f"/admin/tandems/{proposed.pk}/").content.decode()
    assert "Vereinbartes Ende ändern" in page and 'name="end_date-ends_on"' in page
    before = proposed.check_ins.count()

    bad = client.post(f"/admin/tandems/{proposed.pk}/end_date/", {"end_date-ends_on": "2001-01-01"})
    assert bad.status_code == 400
    assert "Das vereinbarte Ende muss in der Zukunft liegen." in bad.content.decode()
    later = clock.now().date() + timedelta(days=300)
    response = client.post(f"/admin/tandems/{proposed.pk}/end_date/", {"end_date-ends_on": later.isoformat()})

    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.ends_on == later and proposed.check_ins.count() > before


def test_the_coordinator_intake_records_consent_by_the_coordinator(client, reference_data, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/tandems/anfragen/neu/").status_code == 200
    data = form_data(requester="coordinator")
    data.pop("website")
    response = client.post("/admin/tandems/anfragen/neu/", data)
    assert response.status_code == 302
    request = TandemRequest.objects.get()
    assert (request.consent_recorded_by, request.recorded_by) == ("coordinator", coordinator)


def test_the_batch_preview_and_approval(client, reference_data, coordinator):
    helper = make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request()
    make_request(alias="Tesfay", email="t@example.org", languages={"ti": 7}, radius_km=25)
    client.force_login(coordinator)

    response = client.post("/admin/tandems/zuordnung/")
    run = MatchingRun.objects.get()
    assert response["Location"] == f"/admin/tandems/zuordnung/{run.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Helga" in html and "Tesfay" in html and "spricht niemand Tigrinya" in html
    assert not Tandem.objects.exists()

    client.post(f"/admin/tandems/zuordnung/{run.pk}/", {"request": [str(request.pk)]})
    assert Tandem.objects.get().volunteer == helper


def test_the_lifecycle_steps_in_the_admin(client, proposed, coordinator):
    services.tandem_accept(tandem=proposed, actor=proposed.volunteer)
    client.force_login(coordinator)
    base = f"/admin/tandems/{proposed.pk}/"
    assert client.get(base).status_code == 200
    # Skipping a step is refused: the form for it is not offered and the service says no.
    response = client.post(base + "activate/", {"activate-scope": "x", "activate-ends_on": "2030-01-01"})
    assert response.status_code == 400
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.ACCEPTED
    assert client.post(base + "contact/", {"contact-method": "email"}).status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == TandemStatus.CONTACTED


def test_per_volunteer_suggestions(client, reference_data, coordinator):
    helper = make_volunteer("helferin@example.org", first_name="Helga")
    make_request(alias="Olena")
    client.force_login(coordinator)
    html = client.get(f"/admin/tandems/freiwillige/{helper.volunteer_profile.pk}/").content.decode()
    assert "Olena" in html and "spricht Ukrainisch" in html


def test_the_newcomer_withdraws_through_the_link_in_the_confirmation(client, reference_data, coordinator):
    from notifications import registry

    helper = make_volunteer("helferin@example.org", first_name="Helga")
    request = make_request(contact_language="uk")
    tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
    confirmation = Notification.objects.get(kind="tandem.request_received", channel="email")
    context = registry.get("tandem.request_received").context(confirmation.refs)
    link = context["withdraw_url"].removeprefix(settings.SITE_URL)
    assert link.startswith("/uk/tandem/anfrage/zurueckziehen/") and "url" not in context

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200
    request.refresh_from_db()
    tandem.refresh_from_db()
    assert request.status == "withdrawn" and tandem.status == TandemStatus.CANCELLED
    assert client.post(link).status_code == 200  # twice changes nothing

    services.tandem_requests_purge()
    assert client.get(link).status_code == 404
    assert client.get("/uk/tandem/anfrage/zurueckziehen/gefälscht/").status_code == 404
