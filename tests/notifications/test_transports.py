"""Emails as recipients' mail programs see them, and the in-app transport (QUALITY.md acceptance 4)."""

import email
from datetime import UTC, datetime
from email import policy

import pytest
from django.core import mail
from django.utils import translation

from notifications import clock
from notifications.models import Notification
from notifications.services import notifications_sweep, notify
from notifications.transports import build_email, transport_for
from tests.factories import UserFactory

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
WELCOME_SUBJECTS = {
    "de": "Willkommen bei Ehrenamt im Kreis Gütersloh",
    "en": "Welcome to Ehrenamt im Kreis Gütersloh",
    "uk": "Ласкаво просимо до Ehrenamt im Kreis Gütersloh",
    "ar": "مرحبًا بكم في Ehrenamt im Kreis Gütersloh",
    "fa": "به Ehrenamt im Kreis Gütersloh خوش آمدید",
}


def _parsed(row: Notification) -> email.message.EmailMessage:
    return email.message_from_bytes(build_email(row).message().as_bytes(), policy=policy.default)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en", "uk", "ar", "fa"])
def test_emails_are_multipart_alternative_in_the_recipients_language(language):
    person = UserFactory(preferred_language=language, first_name="Lena")
    row = notify(kind="account.welcome", recipient=person)

    parsed = _parsed(row)

    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Content-Language"] == language
    assert parsed["To"] == person.email
    assert str(parsed["Subject"]).strip() == WELCOME_SUBJECTS[language]
    with translation.override(language):
        expected_greeting = translation.gettext("Guten Tag %(recipient_name)s,") % {"recipient_name": "Lena"}
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert text.startswith(expected_greeting)
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    # Essential messages cannot be unsubscribed from.
    assert parsed["List-Unsubscribe"] is None


@pytest.mark.django_db
def test_optional_emails_carry_a_one_click_unsubscribe_header(volunteer):
    row = notify(kind="test.news", recipient=volunteer, refs={"need": 4})

    parsed = _parsed(row)

    header = str(parsed["List-Unsubscribe"]).strip()  # long headers are folded onto a new line
    assert header.startswith("<http") and header.endswith(">")
    assert "/benachrichtigungen/abmelden/" in header
    assert volunteer.email not in header and "lena" not in header.lower()
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    assert header.strip("<>") in text  # the footer links to the same place


@pytest.mark.django_db
def test_the_message_id_is_stable_so_a_duplicate_shows_once(volunteer):
    row = notify(kind="account.welcome", recipient=volunteer)

    assert _parsed(row)["Message-ID"] == _parsed(row)["Message-ID"] == f"<notification.{row.pk}@localhost>"
    assert _parsed(row)["Auto-Submitted"] == "auto-generated"


@pytest.mark.django_db
def test_plain_text_is_not_html_escaped():
    person = UserFactory(first_name="O'Neill & Co")
    row = notify(kind="account.welcome", recipient=person)

    parsed = _parsed(row)

    assert "O'Neill & Co" in parsed.get_body(preferencelist=("plain",)).get_content()
    assert "O&#x27;Neill &amp; Co" in parsed.get_body(preferencelist=("html",)).get_content()


@pytest.mark.django_db
def test_the_account_holder_is_reached_at_their_current_address(volunteer):
    row = notify(kind="account.welcome", recipient=volunteer)
    volunteer.email = "new-address@example.org"
    volunteer.save()
    row.refresh_from_db()

    assert _parsed(row)["To"] == "new-address@example.org"


@pytest.mark.django_db
def test_the_sent_email_is_the_built_one(volunteer):
    with clock.frozen(T0):
        notify(kind="account.welcome", recipient=volunteer)
        notifications_sweep()

    [message] = mail.outbox
    assert message.alternatives[0].mimetype == "text/html"
    assert message.to == [volunteer.email]


@pytest.mark.django_db
def test_the_in_app_transport_only_checks_the_entry_still_makes_sense(volunteer):
    row = notify(kind="test.inbox", recipient=volunteer, refs={"n": 1})

    transport_for("inapp").send(row)

    assert mail.outbox == []
    with pytest.raises(LookupError):
        transport_for("sms")
