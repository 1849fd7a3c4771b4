"""Failed notifications are listed for coordinators, never dropped silently (QUALITY.md 23)."""

import pytest
from django.contrib.auth.models import Group, Permission

from notifications.models import Notification
from notifications.services import notify


def _grant_view_failed(group_name: str = "Koordination") -> None:
    # What seed_roles gives the coordination group (volunteering/demo.py).
    permission = Permission.objects.get(content_type__app_label="notifications", codename="view_failed")
    Group.objects.get(name=group_name).permissions.add(permission)


@pytest.fixture
def failed(volunteer) -> list[Notification]:
    rows = [
        notify(kind="test.reminder", recipient=volunteer, refs={"n": 1}),
        notify(kind="test.essential", email="newcomer.kanarie@example.org", refs={"n": 2}),
    ]
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        status="failed", attempts=6, last_error="smtplib.SMTPServerDisconnected"
    )
    return rows


@pytest.mark.django_db
def test_coordinators_see_failed_notifications_with_masked_bare_addresses(client, coordinator, failed):
    _grant_view_failed()
    client.force_login(coordinator)

    page = client.get("/admin/benachrichtigungen/fehlgeschlagen/")
    home = client.get("/admin/")

    assert page.status_code == 200
    assert "test.reminder" in page.text and "smtplib.SMTPServerDisconnected" in page.text
    assert "n…@example.org" in page.text and "kanarie" not in page.text
    assert "Fehlgeschlagene Benachrichtigungen" in home.text  # the menu entry


@pytest.mark.django_db
def test_a_coordinator_can_send_a_failed_notification_again(client, coordinator, failed):
    _grant_view_failed()
    client.force_login(coordinator)

    response = client.post(f"/admin/benachrichtigungen/fehlgeschlagen/{failed[0].pk}/erneut/")

    assert response.status_code == 302
    failed[0].refresh_from_db()
    assert failed[0].status in ("pending", "sent") and failed[0].last_error == ""


@pytest.mark.django_db
def test_staff_without_the_permission_neither_see_nor_retry(client, editor, failed):
    client.force_login(editor)

    assert client.get("/admin/benachrichtigungen/fehlgeschlagen/").status_code in (302, 403)
    assert client.post(f"/admin/benachrichtigungen/fehlgeschlagen/{failed[0].pk}/erneut/").status_code in (
        302,
        403,
    )
    assert "Fehlgeschlagene Benachrichtigungen" not in client.get("/admin/").text
    assert Notification.objects.filter(status="failed").count() == 2


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_admin_login(client, failed):
    response = client.get("/admin/benachrichtigungen/fehlgeschlagen/")

    assert response.status_code == 302 and "login" in response["Location"]
