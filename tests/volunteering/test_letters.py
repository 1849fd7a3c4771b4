"""PDF letters: the three kinds state what they must (checked with pdftotext), codes catch typos and
tampering, the public verification page shows only what the letter states, downloads are scoped."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse

from notifications import clock
from tests.volunteering.applications_world import make_need, make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.letters import registry
from volunteering.letters.codes import ALPHABET, check_symbol, code_state, grouped, new_code, normalise
from volunteering.letters.registry import LetterKind, StatedField
from volunteering.letters.rendering import render_pdf
from volunteering.models import (
    Application,
    ApplicationStatus,
    AuditEntry,
    Engagement,
    IssuedLetter,
    Kommune,
    VolunteerProfile,
)
from volunteering.services import letters as letter_services
from volunteering.services.trainings import training_book, training_mark_attendance

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


@pytest.fixture
def person(reference_data):
    user = make_volunteer("amira.haddad@example.org", first_name="Amira", last_name="Haddad", age=34)
    VolunteerProfile.objects.create(user=user, display_name="Amira", kommune=Kommune.objects.get(name="Verl"))
    return user


@pytest.fixture
def application(organisation, person):
    need = make_need(organisation, title="Hausaufgabenhilfe im Jugendtreff")
    return Application.objects.create(need=need, volunteer=person, status=ApplicationStatus.IN_CONTACT)


@pytest.fixture
def attended(reference_data, person, coordinator):
    qualification = make_qualification()
    session = make_session(
        make_training(qualification=qualification, validity_months=24), trainer_name="Dr. Selin Yıldız"
    )
    registration = training_book(session=session, user=person)
    last = session.appointments.order_by("-starts_at").first()
    with clock.frozen(last.ends_at + timedelta(hours=1)):
        for appointment in session.appointments.all():
            training_mark_attendance(
                registration=registration, appointment=appointment, present=True, actor=coordinator
            )
    registration.refresh_from_db()
    return registration


# --- Codes --------------------------------------------------------------------------------------------
def test_a_code_is_sixteen_symbols_with_a_check_and_reads_forgivingly():
    code = new_code()
    assert len(code) == 16 and set(code) <= set(ALPHABET)
    assert code_state(code) == "well-formed"
    typed = grouped(code).lower().replace("1", "l").replace("0", "o")
    assert normalise(typed) == code
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", grouped(code))


def test_every_single_typo_and_every_swap_of_neighbours_is_caught():
    for _round in range(50):
        code = new_code()
        for index in range(16):
            for symbol in ALPHABET.replace(code[index], ""):
                assert code_state(code[:index] + symbol + code[index + 1 :]) == "mistyped"
        for index in range(15):
            if code[index] != code[index + 1]:
                swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
                assert code_state(swapped) == "mistyped"


def test_codes_are_not_predictable():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000


# --- The registry -------------------------------------------------------------------------------------
def test_another_module_can_register_a_kind_and_issue_it(person, tmp_path, settings, reference_data):
    templates = tmp_path / "templates" / "letters"
    templates.mkdir(parents=True)
    (templates / "test_hours.html").write_text(
        '{% extends "letters/base.html" %}'
        "{% block body %}<p>Stunden: {{ rows.hours.value }}</p>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    kind = registry.register(
        LetterKind(
            name="test_hours",
            title="Stundennachweis",
            template="letters/test_hours.html",
            fields=(StatedField("name", "Name"), StatedField("hours", "Stunden")),
        )
    )
    try:
        letter = letter_services.letter_issue(
            kind=kind.name, subject=person, issued_by=None, stated={"name": "Amira Haddad", "hours": "212"}
        )
        assert "Stunden: 212" in pdf_text(render_pdf(letter), tmp_path)
        with pytest.raises(ValueError):  # a letter states exactly its kind's fields
            letter_services.letter_issue(
                kind=kind.name,
                subject=person,
                issued_by=None,
                stated={"name": "A", "hours": "1", "email": "x"},
            )
        with pytest.raises(ValueError):
            letter_services.letter_issue(kind=kind.name, subject=person, issued_by=None, stated={"name": "A"})
    finally:
        registry.unregister(kind.name)


# --- The three letters, read back with pdftotext -----------------------------------------------------------
def test_the_training_certificate_states_name_training_dates_hours_content_and_qualification(
    attended, person, tmp_path
):
    letter = letter_services.training_certificate_issue(registration=attended, actor=person)
    text = pdf_text(render_pdf(letter), tmp_path)
    assert "Teilnahmebescheinigung" in text
    assert "Amira Haddad" in text
    assert "Basiskurs Sprachmittlung" in text
    assert "6 Stunden" in text  # two appointments of three hours each
    assert "Acht Abende über das Dolmetschen im Alltag." in text
    assert "Dr. Selin Yıldız" in text
    for appointment in attended.session.appointments.all():
        start = appointment.starts_at.astimezone(clock.zone())
        assert f"{start.day}. " in text and f"{start:%H:%M}" in text
    held = attended.qualifications.get()
    assert f"gültig bis {held.expires_on.day}." in text
    assert grouped(letter.code) in text
    assert "/nachweis/" in text


def test_the_training_certificate_needs_attendance(reference_data, person):
    session = make_session(make_training())
    registration = training_book(session=session, user=person)
    with pytest.raises(letter_services.ValidationError):
        letter_services.training_certificate_issue(registration=registration, actor=person)
    assert not IssuedLetter.objects.exists()


def test_the_release_request_for_a_training_states_times_organisation_purpose_and_is_a_request(
    reference_data, person, tmp_path
):
    session = make_session(make_training(title="Grenzen im Ehrenamt", slug="grenzen"))
    registration = training_book(session=session, user=person)
    letter = letter_services.release_request_for_registration(
        registration=registration, actor=person, employer="Miele & Cie. KG"
    )
    text = pdf_text(render_pdf(letter), tmp_path)
    assert "Bitte um Freistellung" in text
    assert "Miele & Cie. KG" in text
    assert "Amira Haddad" in text and "Grenzen im Ehrenamt" in text
    assert "Koordinierungsstelle Ehrenamt, Verl" in text
    assert "gemeinnützige Zwecke" in text
    assert "keinen allgemeinen gesetzlichen Anspruch auf Freistellung" in text
    first = session.appointments.order_by("starts_at").first().starts_at.astimezone(clock.zone())
    assert f"{first:%H:%M}" in text


def test_the_release_request_for_an_engagement_period(organisation, application, person, tmp_path):
    import datetime

    engagement = Engagement.objects.create(
        application=application,
        volunteer=person,
        organisation=organisation,
        need=application.need,
        tasks="Hausaufgaben begleiten",
        starts_on=datetime.date(2026, 9, 1),
    )
    with pytest.raises(letter_services.ValidationError):  # before the engagement began
        letter_services.release_request_for_engagement(
            engagement=engagement,
            actor=person,
            starts_on=datetime.date(2026, 8, 1),
            ends_on=datetime.date(2026, 8, 2),
            times="",
        )
    letter = letter_services.release_request_for_engagement(
        engagement=engagement,
        actor=person,
        starts_on=datetime.date(2026, 10, 5),
        ends_on=datetime.date(2026, 10, 9),
        times="täglich 8–12 Uhr",
    )
    text = pdf_text(render_pdf(letter), tmp_path)
    assert "An den Arbeitgeber" in text  # no employer named
    assert "5. Oktober 2026 bis 9. Oktober 2026" in text and "täglich 8–12 Uhr" in text
    assert "Flüchtlingshilfe Verl e. V." in text and "Hausaufgabenhilfe im Jugendtreff" in text


def test_the_efz_confirmation_states_purpose_72a_and_charitable_volunteer_work(
    application, org_admin, tmp_path
):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    text = pdf_text(render_pdf(letter), tmp_path)
    assert "Bestätigung zur Vorlage bei der Meldebehörde" in text
    assert "Amira Haddad" in text
    assert "Flüchtlingshilfe Verl e. V." in text
    assert "§ 72a SGB VIII" in text
    assert "ehrenamtlich für eine gemeinnützige Einrichtung" in text
    assert "Hausaufgabenhilfe im Jugendtreff" in text
    assert grouped(letter.code) in text
    assert "amira.haddad@example.org" not in text


def test_asking_twice_for_the_same_letter_returns_the_first(application, org_admin):
    first = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    again = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    assert again.pk == first.pk and IssuedLetter.objects.count() == 1
    letter_services.letter_revoke(letter=first, actor=org_admin)
    fresh = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    assert fresh.pk != first.pk and fresh.code != first.code


def test_only_the_organisations_admin_issues_the_efz_confirmation(application, org_member, other_org_member):
    for actor in (org_member, other_org_member):
        with pytest.raises(letter_services.ValidationError):
            letter_services.efz_confirmation_issue(application=application, actor=actor)
    assert not IssuedLetter.objects.exists()


# --- Public verification -----------------------------------------------------------------------------
def test_the_verification_page_shows_only_what_the_letter_states(client, application, org_admin, person):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    other = letter_services.letter_issue(
        kind="release_request",
        subject=person,
        issued_by=person,
        stated={
            "name": "Amira Haddad",
            "occasion": "Schulung",
            "activity": "Geheimes Seminar XY",
            "organisation": "Andere Stelle",
            "times": ["1. Januar 2027"],
            "purpose": "Zweck",
            "employer": "Arbeitgeber Kanarie",
        },
    )
    response = client.get(reverse("letters:verify", args=[grouped(letter.code)]))
    assert response.status_code == 200
    page = response.content.decode()
    for stated in ("Amira Haddad", "Flüchtlingshilfe Verl e. V.", "Hausaufgabenhilfe im Jugendtreff", "72a"):
        assert stated in page
    assert "amira.haddad@example.org" not in page
    assert str(person.birth_year) not in page
    assert "admin@fluechtlingshilfe-verl.example" not in page  # who issued it is not stated
    assert "Geheimes Seminar XY" not in page and "Kanarie" not in page  # another letter of the person
    assert other.code not in page


def test_the_code_can_be_typed_loosely(client, application, org_admin):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    typed = " ".join(grouped(letter.code).lower().split("-"))
    response = client.get(reverse("letters:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_tampered_code_is_reported_as_mistyped(client, application, org_admin):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    code = letter.code
    tampered = code[:3] + ALPHABET[(ALPHABET.index(code[3]) + 1) % 32] + code[4:]
    response = client.get(reverse("letters:verify", args=[tampered]))
    assert response.status_code == 404
    assert "vertippt" in response.content.decode()
    assert "Amira" not in response.content.decode()


def test_an_unknown_code_with_a_valid_check_is_not_found(client, application, org_admin):
    letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    body = "ABCDEFGHJKMNPQR"
    response = client.get(reverse("letters:verify", args=[body + check_symbol(body)]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Kein Schreiben zu diesem Code" in page and "Amira" not in page
    assert client.get(reverse("letters:verify", args=["kein-code"])).status_code == 404


def test_a_revoked_letter_says_so(client, application, org_admin):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    letter_services.letter_revoke(letter=letter, actor=org_admin)
    response = client.get(reverse("letters:verify", args=[letter.code]))
    assert "widerrufen" in response.content.decode()


def test_the_organisations_admin_revokes_a_confirmation_others_get_404(
    client, application, org_admin, org_member, other_org_member, person, town_coordinator_other_town
):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    url = reverse("letters:revoke", args=[letter.pk])
    for user in (person, org_member, other_org_member, town_coordinator_other_town):
        client.force_login(user)
        assert client.post(url).status_code == 404
    letter.refresh_from_db()
    assert letter.revoked_at is None
    client.force_login(org_admin)
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("letters:mine")
    letter.refresh_from_db()
    assert letter.revoked_at is not None and letter.revoked_by == org_admin
    assert "widerrufen" in client.get(reverse("letters:verify", args=[letter.code])).content.decode()


def test_the_verification_is_rate_limited(client, settings, application, org_admin):
    settings.LETTER_VERIFY_RATE = 3
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    url = reverse("letters:verify", args=[letter.code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_honeypot_finds_nothing(client, application, org_admin):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    response = client.get(reverse("letters:verify_form"), {"code": letter.code, "homepage": "http://spam"})
    assert response.status_code == 404


# --- Downloads -----------------------------------------------------------------------------------------
def test_downloads_are_open_to_the_person_the_organisation_and_the_towns_coordinator_only(
    client,
    application,
    org_admin,
    person,
    org_member,
    other_org_member,
    town_coordinator,
    town_coordinator_other_town,
    outsider,
):
    letter = letter_services.efz_confirmation_issue(application=application, actor=org_admin)
    url = reverse("letters:download", args=[letter.pk])
    for user, status in (
        (person, 200),
        (org_admin, 200),
        (town_coordinator, 200),
        (org_member, 404),
        (other_org_member, 404),
        (town_coordinator_other_town, 404),
        (outsider, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user.email
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="letter.download", object_id=letter.pk).count() == 3


def test_mein_bereich_offers_the_certificate_for_an_attended_training(client, attended, person, tmp_path):
    client.force_login(person)
    page = client.get(reverse("letters:mine"))
    assert page.status_code == 200
    assert reverse("letters:training_certificate", args=[attended.pk]) in page.content.decode()
    response = client.post(reverse("letters:training_certificate", args=[attended.pk]))
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(subject=person, kind="training_certificate")
    pdf = client.get(reverse("letters:download", args=[letter.pk]))
    assert "Teilnahmebescheinigung" in pdf_text(pdf.content, tmp_path)


def test_someone_elses_registration_cannot_be_certified(client, attended, outsider):
    client.force_login(outsider)
    assert client.post(reverse("letters:training_certificate", args=[attended.pk])).status_code == 404
    assert not IssuedLetter.objects.exists()


def test_the_release_request_form_issues_a_letter(client, reference_data, person):
    session = make_session(make_training())
    registration = training_book(session=session, user=person)
    client.force_login(person)
    response = client.post(
        reverse("letters:release_request"),
        {"source": f"registration:{registration.pk}", "employer": "Bertelsmann SE"},
    )
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(subject=person, kind="release_request")
    assert letter.stated["employer"] == "Bertelsmann SE"


def test_the_release_request_form_rejects_a_foreign_source(client, reference_data, person, outsider):
    session = make_session(make_training())
    registration = training_book(session=session, user=outsider)
    client.force_login(person)
    response = client.post(reverse("letters:release_request"), {"source": f"registration:{registration.pk}"})
    assert response.status_code == 200
    assert not IssuedLetter.objects.exists()


def test_the_release_request_form_for_an_engagement_period(client, organisation, application, person):
    import datetime

    engagement = Engagement.objects.create(
        application=application,
        volunteer=person,
        organisation=organisation,
        need=application.need,
        tasks="Hausaufgaben begleiten",
        starts_on=datetime.date(2026, 9, 1),
    )
    client.force_login(person)
    source = f"engagement:{engagement.pk}"
    response = client.post(reverse("letters:release_request"), {"source": source, "employer": "Stadtwerke"})
    assert response.status_code == 200  # no period given: a clear error, nothing issued
    assert "von wann bis wann" in response.content.decode() and "Stadtwerke" in response.content.decode()
    assert not IssuedLetter.objects.exists()
    response = client.post(
        reverse("letters:release_request"),
        {"source": source, "employer": "Stadtwerke", "starts_on": "2026-10-05", "ends_on": "2026-10-05"},
    )
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(kind="release_request")
    assert letter.organisation == organisation and letter.stated["times"] == ["Montag, 5. Oktober 2026"]
