import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from volunteering.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from volunteering.models import Kommune, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_one_account_per_role():
    call_command("seed_demo", "--quiet-logins")
    counts = (User.objects.count(), Kommune.objects.count(), EmailAddress.objects.count())
    call_command("seed_demo", "--quiet-logins")

    assert (User.objects.count(), Kommune.objects.count(), EmailAddress.objects.count()) == counts
    assert Kommune.objects.count() == 13
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
@pytest.mark.parametrize("email", [account.email for account in DEMO_ACCOUNTS])
def test_every_demo_login_works(client, email):
    call_command("seed_demo", "--quiet-logins")

    response = client.post("/de/konto/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if response["Location"].endswith("/konto/2fa/authenticate/"):
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_staff_demo_accounts_log_in_with_a_second_factor():
    from allauth.mfa.models import Authenticator

    call_command("seed_demo", "--quiet-logins")

    with_totp = set(Authenticator.objects.values_list("user__email", flat=True))
    assert with_totp == {a.email for a in DEMO_ACCOUNTS if a.uses_two_factor}
    assert "freiwillig@demo.example" not in with_totp


@pytest.mark.django_db
def test_staff_roles_reach_the_wagtail_admin(client):
    call_command("seed_demo", "--quiet-logins")
    for email in ("koordination@demo.example", "redaktion@demo.example"):
        client.force_login(User.objects.get(email=email))
        assert client.get("/admin/").status_code == 200
    client.force_login(User.objects.get(email="freiwillig@demo.example"))
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_demo_has_varied_volunteers_across_towns_and_languages():
    from volunteering.models import ProfileLanguage, VolunteerProfile

    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")

    profiles = VolunteerProfile.objects.all()
    assert profiles.count() >= 12
    assert profiles.values("kommune").distinct().count() >= 10
    assert ProfileLanguage.objects.values("language").distinct().count() >= 12
    assert profiles.values("status").distinct().count() >= 4
