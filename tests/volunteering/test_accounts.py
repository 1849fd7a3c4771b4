import re

import pytest
from django.core import mail

from volunteering.models import User


@pytest.mark.django_db
def test_sign_up_sends_a_verification_mail_and_login_waits_for_it(client, site_tree):
    response = client.post(
        "/de/konto/signup/",
        {
            "email": "neu@example.org",
            "password1": "Ein-gutes-Passwort-7",
            "password2": "Ein-gutes-Passwort-7",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="neu@example.org").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert not client.session.get("_auth_user_id")

    link = re.search(r"http://testserver(/de/konto/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    client.post(link)
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_signup_answers_the_same_for_a_known_address(client, volunteer):
    response = client.post(
        "/de/konto/signup/",
        {"email": volunteer.email, "password1": "Ein-gutes-Passwort-7", "password2": "Ein-gutes-Passwort-7"},
    )

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
    client.post(
        "/uk/konto/signup/",
        {
            "email": "olena@example.org",
            "password1": "Ein-gutes-Passwort-7",
            "password2": "Ein-gutes-Passwort-7",
        },
    )

    assert User.objects.get(email="olena@example.org").preferred_language == "uk"
    assert re.search("[а-яіїє]", mail.outbox[0].subject + mail.outbox[0].body)
