import pytest
from django.core.mail import EmailMultiAlternatives

from notifications.backends import MailboxBackend
from notifications.mailbox import mailbox_get, mailbox_list


def _send(subject: str) -> None:
    message = EmailMultiAlternatives(
        subject, "Hallo Lena,\nhttps://example.org/weiter", "a@example.org", ["b@example.org"]
    )
    message.attach_alternative("<p>Hallo Lena</p>", "text/html")
    MailboxBackend().send_messages([message])


def test_the_mailbox_keeps_each_message_as_sent():
    _send("Erste")
    _send("Zweite")

    entries = mailbox_list()

    assert [entry.subject for entry in entries] == ["Zweite", "Erste"]
    assert entries[0].html.strip() == "<p>Hallo Lena</p>"
    assert mailbox_get(entries[0].name).text.startswith("Hallo Lena")


def test_unknown_or_malformed_names_find_nothing():
    assert mailbox_get("../../etc/passwd") is None
    assert mailbox_get("20260101T000000000000-deadbeef") is None


@pytest.mark.django_db
def test_the_mailbox_page_exists_only_when_enabled(client, settings, site_tree):
    _send("Bestätigen Sie Ihre Adresse")
    settings.MAILBOX_ENABLED = True
    listing = client.get("/de/dev/postfach/")
    assert listing.status_code == 200
    assert "Bestätigen Sie Ihre Adresse" in listing.text
    name = mailbox_list()[0].name
    detail = client.get(f"/de/dev/postfach/{name}/")
    assert '<a href="https://example.org/weiter"' in detail.text

    settings.MAILBOX_ENABLED = False
    assert client.get("/de/dev/postfach/").status_code == 404
    assert client.get(f"/de/dev/postfach/{name}/").status_code == 404
