"""Staff roles must set up two-factor login before they use their area (QUALITY.md 8)."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def coordinator_without_totp(roles, reference_data):
    from volunteering.models import CoordinatorRole

    user = UserFactory(email="neu-koordination@example.org", is_staff=True, groups=["Koordination"])
    CoordinatorRole.objects.create(user=user, whole_district=True)
    return user


@pytest.mark.django_db
def test_a_coordinator_without_totp_is_sent_to_set_it_up(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/de/konto/2fa/totp/activate/")


@pytest.mark.django_db
def test_an_editor_without_totp_cannot_edit_pages(client, roles):
    editor = UserFactory(email="neu-redaktion@example.org", is_staff=True, groups=["Redaktion"])
    client.force_login(editor)

    assert client.get("/admin/pages/").status_code == 302


@pytest.mark.django_db
def test_with_totp_the_coordinator_reaches_the_admin(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_volunteers_are_not_asked_for_a_second_factor(client, volunteer, site_tree):
    client.force_login(volunteer)

    assert client.get("/de/mein-bereich/").status_code == 200


@pytest.mark.django_db
def test_revoking_the_role_applies_on_the_next_request(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200

    coordinator.groups.clear()
    coordinator.is_staff = False
    coordinator.save()
    coordinator.coordinator_role.delete()

    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_totp_code_is_accepted_once_only(client, site_tree):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from tests.conftest import with_totp
    from tests.factories import PASSWORD

    user = with_totp(UserFactory(email="staff@example.org", is_staff=True, is_superuser=True))
    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXP", int(time.time()) // 30))

    first = client.post("/de/konto/login/", {"login": user.email, "password": PASSWORD})
    assert first["Location"].endswith("/konto/2fa/authenticate/")
    assert client.post(first["Location"], {"code": code}).status_code == 302
    client.logout()

    second = client.post("/de/konto/login/", {"login": user.email, "password": PASSWORD})
    response = client.post(second["Location"], {"code": code})
    assert response.status_code == 200  # the form shows the error; the same code does not work twice
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_a_session_opened_without_the_second_factor_must_confirm_it(coordinator):
    from django.test import Client

    plain = Client()  # a session that knows the password only
    plain.force_login(coordinator)

    response = plain.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/de/konto/2fa/reauthenticate/")
