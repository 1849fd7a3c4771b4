import re

import pytest
from django.core import mail

from volunteering.models import Consent, ParentalConsent, User, VolunteerProfile

SIGNUP = {
    "password1": "Ein-gutes-Passwort-7",
    "password2": "Ein-gutes-Passwort-7",
    "birth_year": 1990,
    "accept_terms": "on",
}


def _link(message, path_pattern: str) -> str:
    return re.search(rf"http://(?:testserver|localhost:8000)({path_pattern}[^\s]+)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_sends_a_verification_mail_and_login_waits_for_it(client, site_tree):
    response = client.post("/de/konto/signup/", {**SIGNUP, "email": "neu@example.org"})

    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.birth_year == 1990
    assert VolunteerProfile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert not client.session.get("_auth_user_id")

    client.post(_link(mail.outbox[0], "/de/konto/confirm-email/"))
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_sign_up_records_the_consents_with_their_text_version(client, site_tree):
    client.post("/de/konto/signup/", {**SIGNUP, "email": "neu@example.org", "accept_contact": "on"})

    consents = Consent.objects.filter(user__email="neu@example.org").select_related("text")
    assert sorted((c.text.kind, c.text.version) for c in consents) == [("contact", 1), ("terms", 1)]


@pytest.mark.django_db
def test_sign_up_without_accepting_the_terms_creates_nothing(client, site_tree):
    response = client.post("/de/konto/signup/", {**SIGNUP, "email": "neu@example.org", "accept_terms": ""})

    assert response.status_code == 200
    assert "Ohne Ihre Zustimmung können wir kein Konto anlegen." in response.text
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("year", [1800, 2030, "abc", ""])
def test_an_impossible_birth_year_is_rejected(client, site_tree, year):
    response = client.post("/de/konto/signup/", {**SIGNUP, "email": "neu@example.org", "birth_year": year})

    assert response.status_code == 200
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_under_16_needs_a_parent_address(client, site_tree):
    from django.utils import timezone

    year = timezone.localdate().year - 14
    response = client.post("/de/konto/signup/", {**SIGNUP, "email": "kind@example.org", "birth_year": year})

    assert response.status_code == 200
    assert "Unter 16 Jahren brauchen wir die E-Mail-Adresse eines Elternteils." in response.text
    assert not User.objects.filter(email="kind@example.org").exists()


@pytest.mark.django_db
def test_under_16_waits_for_the_parent_to_confirm(client, site_tree, django_capture_on_commit_callbacks):
    from django.utils import timezone

    year = timezone.localdate().year - 14
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/de/konto/signup/",
            {**SIGNUP, "email": "kind@example.org", "birth_year": year, "parent_email": "mama@example.org"},
        )
    child = User.objects.get(email="kind@example.org")
    assert child.is_minor and not child.is_active
    parent_mail = next(m for m in mail.outbox if m.to == ["mama@example.org"])
    assert "jünger als 16 Jahre" in parent_mail.body

    link = _link(parent_mail, "/de/mein-bereich/eltern/")
    assert client.get(link).status_code == 200
    client.post(link)

    child.refresh_from_db()
    assert child.is_active
    assert ParentalConsent.objects.get(user=child).confirmed_at is not None


@pytest.mark.django_db
def test_a_forged_parent_link_changes_nothing(client, site_tree):
    response = client.post("/de/mein-bereich/eltern/eyJpZCI6MX0:forged:signature/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_signup_answers_the_same_for_a_known_address(client, volunteer):
    response = client.post("/de/konto/signup/", {**SIGNUP, "email": volunteer.email})

    assert response.status_code == 302
    assert User.objects.filter(email=volunteer.email).count() == 1


@pytest.mark.django_db
def test_account_pages_render_in_the_site_frame(client, site_tree):
    response = client.get("/de/konto/login/")

    assert response.status_code == 200
    assert 'class="kern-form-input__input' in response.text
    assert 'class="skip-link"' in response.text


@pytest.mark.django_db
def test_account_emails_follow_the_language_of_the_page(client, site_tree):
    client.post("/uk/konto/signup/", {**SIGNUP, "email": "olena@example.org"})

    assert User.objects.get(email="olena@example.org").preferred_language == "uk"
    assert re.search("[а-яіїє]", mail.outbox[0].subject + mail.outbox[0].body)
