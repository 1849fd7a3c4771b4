"""The inbox, the settings page and the login-free unsubscribe link (acceptance 4)."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from config.access import URL_ACCESS, Access
from notifications import clock
from notifications.models import Notification, NotificationPreference
from notifications.services import notifications_sweep, notify
from notifications.services.preferences import UNSUBSCRIBE_SALT, unsubscribe_token
from notifications.transports import build_email
from tests.factories import UserFactory

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _deliver(**kwargs) -> Notification:
    with clock.frozen(T0):
        row = notify(**kwargs)
        notifications_sweep()
    return row


def _unsubscribe_path(row: Notification) -> str:
    header = str(build_email(row).message()["List-Unsubscribe"]).strip().strip("<>")
    return urlsplit(header).path


def _preferences(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("category", "delivery"))


# --- Inbox ----------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_inbox_lists_delivered_entries_and_the_header_counts_unread(client, volunteer, site_tree):
    _deliver(kind="test.inbox", recipient=volunteer, refs={"n": 1})
    _deliver(kind="test.inbox", recipient=volunteer, refs={"n": 2})
    notify(kind="test.inbox", recipient=volunteer, refs={"n": 3})  # not yet sent: not in the inbox
    client.force_login(volunteer)

    page = client.get("/de/benachrichtigungen/")

    assert page.status_code == 200
    assert "Testnachricht n=1" in page.text and "Testnachricht n=2" in page.text
    assert "Testnachricht n=3" not in page.text
    assert 'href="https://example.org/ziel"' in page.text
    assert '2<span class="kern-sr-only"> ungelesen</span>' in page.text


@pytest.mark.django_db
def test_marking_read_clears_the_count(client, volunteer, site_tree):
    first = _deliver(kind="test.inbox", recipient=volunteer, refs={"n": 1})
    _deliver(kind="test.inbox", recipient=volunteer, refs={"n": 2})
    client.force_login(volunteer)

    assert client.post(f"/de/benachrichtigungen/{first.pk}/gelesen/").status_code == 302
    assert '1<span class="kern-sr-only"> ungelesen</span>' in client.get("/de/benachrichtigungen/").text
    assert client.post("/de/benachrichtigungen/alle-gelesen/").status_code == 302
    assert Notification.objects.filter(channel="inapp", read_at__isnull=True).count() == 0
    assert "ungelesen</span>" not in client.get("/de/benachrichtigungen/").text


@pytest.mark.django_db
def test_foreign_entries_answer_404_and_stay_unread(client, volunteer, outsider, site_tree):
    entry = _deliver(kind="test.inbox", recipient=volunteer, refs={"n": 1})
    client.force_login(outsider)

    assert client.post(f"/de/benachrichtigungen/{entry.pk}/gelesen/").status_code == 404
    assert "Testnachricht" not in client.get("/de/benachrichtigungen/").text
    entry.refresh_from_db()
    assert entry.read_at is None


@pytest.mark.django_db
def test_an_entry_about_a_deleted_object_shows_a_placeholder(client, volunteer, site_tree):
    other = UserFactory()
    _deliver(kind="test.inbox", recipient=volunteer, refs={"account": other.pk})
    other.delete()
    client.force_login(volunteer)

    assert "nicht mehr verfügbar" in client.get("/de/benachrichtigungen/").text


@pytest.mark.django_db
def test_the_inbox_renders_in_the_language_of_the_page(client, volunteer, site_tree):
    _deliver(kind="account.welcome", recipient=volunteer)
    client.force_login(volunteer)

    page = client.get("/en/benachrichtigungen/")

    assert page.status_code == 200 and '<html lang="en"' in page.text


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, site_tree):
    for url in ("/de/benachrichtigungen/", "/de/benachrichtigungen/einstellungen/"):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_every_notifications_url_declares_its_access_policy():
    from notifications.urls import urlpatterns

    names = [f"notifications:{pattern.name}" for pattern in urlpatterns]

    assert {name: URL_ACCESS.get(name) for name in names} == {
        "notifications:inbox": Access.LOGIN,
        "notifications:mark_read": Access.LOGIN,
        "notifications:mark_all_read": Access.LOGIN,
        "notifications:preferences": Access.LOGIN,
        "notifications:unsubscribe": Access.SIGNED_LINK,
    }


# --- Preferences ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_settings_page_stores_one_choice_per_optional_category(client, volunteer, site_tree):
    client.force_login(volunteer)

    page = client.get("/de/benachrichtigungen/einstellungen/")
    response = client.post(
        "/de/benachrichtigungen/einstellungen/",
        {"reminders": "immediate", "news": "weekly", "recognition": "off", "essential": "off"},
    )

    assert page.status_code == 200 and 'name="news"' in page.text and 'name="essential"' not in page.text
    assert response.status_code == 302
    assert _preferences(volunteer) == {"reminders": "immediate", "news": "weekly", "recognition": "off"}


@pytest.mark.django_db
def test_an_invalid_choice_changes_nothing(client, volunteer, site_tree):
    client.force_login(volunteer)

    response = client.post("/de/benachrichtigungen/einstellungen/", {"news": "hourly"})

    assert response.status_code == 200 and _preferences(volunteer) == {}


# --- Unsubscribe ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_unsubscribe_link_works_without_login_for_its_person_and_category_only(volunteer, site_tree):
    neighbour = UserFactory()
    row = notify(kind="test.news", recipient=volunteer, refs={"n": 1})
    path = _unsubscribe_path(row)
    anonymous = Client(enforce_csrf_checks=True)

    confirm = anonymous.get(path)
    assert confirm.status_code == 200 and "Neuigkeiten" in confirm.text
    assert _preferences(volunteer) == {}  # a GET (link scanner, preview) changes nothing

    # The mail client's one-click POST (RFC 8058) carries no cookie and no CSRF token.
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})

    assert done.status_code == 200
    assert _preferences(volunteer) == {"news": "off"}
    assert _preferences(neighbour) == {}


@pytest.mark.django_db
def test_after_unsubscribing_that_category_stops_and_others_continue(volunteer, site_tree):
    from django.core import mail

    row = notify(kind="test.news", recipient=volunteer, refs={"n": 1})
    Client().post(_unsubscribe_path(row))
    with clock.frozen(T0):
        notify(kind="test.news", recipient=volunteer, refs={"n": 2})
        notify(kind="test.reminder", recipient=volunteer, refs={"n": 3})
        notifications_sweep()

    assert [message.subject for message in mail.outbox] == ["Testnachricht n=3"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # altered signature
        lambda token: signing.dumps([999_999, "news"], salt=UNSUBSCRIBE_SALT),  # nobody
        lambda token: signing.dumps([1, "news"], salt="another.salt"),  # signed for something else
        lambda token: signing.dumps(["1", "news"], salt=UNSUBSCRIBE_SALT),  # not an id
        lambda token: signing.dumps([1, "no-such-category"], salt=UNSUBSCRIBE_SALT),
        lambda token: signing.dumps([1, "essential"], salt=UNSUBSCRIBE_SALT),  # essential cannot be left
        lambda token: "garbage",
    ],
)
def test_tampered_links_answer_404_and_change_nothing(client, volunteer, site_tree, tamper):
    token = tamper(unsubscribe_token(user_id=volunteer.pk, category="news"))

    assert client.get(f"/de/benachrichtigungen/abmelden/{token}/").status_code == 404
    assert client.post(f"/de/benachrichtigungen/abmelden/{token}/").status_code == 404
    assert NotificationPreference.objects.count() == 0


@pytest.mark.django_db
def test_a_link_for_another_person_cannot_be_turned_into_mine(client, volunteer, outsider, site_tree):
    token = unsubscribe_token(user_id=outsider.pk, category="news")
    _payload, timestamp, signature = token.split(":")
    mine = signing.dumps([volunteer.pk, "news"], salt=UNSUBSCRIBE_SALT).split(":")[0]

    response = client.post(f"/de/benachrichtigungen/abmelden/{mine}:{timestamp}:{signature}/")

    assert response.status_code == 404 and NotificationPreference.objects.count() == 0


@pytest.mark.django_db
def test_expired_links_answer_400_and_change_nothing(client, volunteer, site_tree, settings):
    token = unsubscribe_token(user_id=volunteer.pk, category="news")
    settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = -1  # every link is older than that

    get = client.get(f"/de/benachrichtigungen/abmelden/{token}/")
    post = client.post(f"/de/benachrichtigungen/abmelden/{token}/")

    assert get.status_code == post.status_code == 400
    assert "abgelaufen" in post.text
    assert NotificationPreference.objects.count() == 0
