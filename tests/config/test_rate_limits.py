"""Every login path is rate-limited on the shared cache: limit + 1 → 429, allowed again after the
cool-off, a spoofed X-Forwarded-For does not help, and nothing is locked for good (QUALITY.md 9)."""

import datetime
import time

import pytest

from tests.factories import PASSWORD

LOGIN_PATHS = {
    "allauth": ("/de/konto/login/", lambda email, password: {"login": email, "password": password}),
    "allauth-english": ("/en/konto/login/", lambda email, password: {"login": email, "password": password}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("admin_login", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_login_forms_lead_to_the_one_rate_limited_login(client, volunteer, admin_login):
    """Wagtail's and Django's own login forms would accept a password alone; both send people to allauth."""
    response = client.post(admin_login, {"username": volunteer.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/de/konto/login/")
    assert not client.session.get("_auth_user_id")


LIMIT = 3  # failed attempts answered normally; the next one is refused


@pytest.fixture
def short_cooloff(settings):
    # django-axes locks on the attempt that reaches AXES_FAILURE_LIMIT.
    settings.AXES_FAILURE_LIMIT = LIMIT + 1
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=2)
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("path_name", LOGIN_PATHS)
def test_the_attempt_after_the_limit_is_refused_with_429(
    client, short_cooloff, volunteer, site_tree, path_name
):
    url, payload = LOGIN_PATHS[path_name]
    statuses = [client.post(url, payload(volunteer.email, "falsch")).status_code for _ in range(LIMIT)]

    assert 429 not in statuses
    assert client.post(url, payload(volunteer.email, "falsch")).status_code == 429
    # Even the right password is refused while the lock lasts.
    assert client.post(url, payload(volunteer.email, PASSWORD)).status_code == 429


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_header_does_not_reset_the_count(client, short_cooloff, volunteer, site_tree):
    url, payload = LOGIN_PATHS["allauth"]
    for n in range(LIMIT):
        client.post(url, payload(volunteer.email, "falsch"), headers={"x-forwarded-for": f"203.0.113.{n}"})

    response = client.post(
        url, payload(volunteer.email, "falsch"), headers={"x-forwarded-for": "198.51.100.7"}
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_login_works_again_after_the_cool_off(client, short_cooloff, volunteer, site_tree):
    url, payload = LOGIN_PATHS["allauth"]
    for _ in range(LIMIT + 1):
        client.post(url, payload(volunteer.email, "falsch"))
    assert client.post(url, payload(volunteer.email, PASSWORD)).status_code == 429

    time.sleep(2.5)

    response = client.post(url, payload(volunteer.email, PASSWORD))
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(volunteer.pk)


@pytest.mark.redis
def test_the_counts_live_in_the_shared_redis_cache(settings):
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
