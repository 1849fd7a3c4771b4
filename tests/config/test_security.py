import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7#production-like-secret-with-enough-entropy-3fK9qLm2Zp8Rt6Vw1Yc4",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "ehrenamt.example.org",
    "SITE_URL": "https://ehrenamt.example.org",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
    "CACHE_URL": "locmemcache://",
    "MAILBOX_ENABLED": "false",
    "DJANGO_READ_DOT_ENV": "false",
}


def test_check_deploy_with_production_values_finds_nothing():
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CACHE_", "EMAIL_"))
    }
    env.update(PRODUCTION_ENV)
    env.pop("STATIC_STORAGE", None)
    env.pop("PASSWORD_HASHERS", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_public_pages_send_a_strict_nonce_based_policy(client, site_tree):
    response = client.get("/de/")

    policy = response["Content-Security-Policy"]
    # A nonce is added only to responses whose template uses one; none of the frame's scripts are inline.
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_the_wagtail_admin_gets_the_documented_relaxed_policy(client, editor):
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_for_logged_in_people_are_never_stored(client, site_tree, volunteer):
    client.force_login(volunteer)

    response = client.get("/de/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_django_admin_is_for_superusers_only(client, coordinator, superuser):
    client.force_login(coordinator)
    assert client.get("/django-admin/").status_code == 302

    client.force_login(superuser)
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.django_db
def test_errors_show_a_friendly_page_without_details(client, settings, site_tree):
    settings.DEBUG = False
    response = client.get("/de/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.text
    assert "Traceback" not in response.text
