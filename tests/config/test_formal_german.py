"""The German site says "Sie": allauth's informal strings are replaced by locale_overrides/de."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from tests.factories import UserFactory

INFORMAL = re.compile(r"\b(du|Du|dich|Dich|dein\w*|Dein\w*|dir|Dir)\b")


def _main_text(html: str) -> str:
    """The visible text of the <main> element, with tags stripped roughly."""
    match = re.search(r"<main\b[^>]*>(.*?)</main>", html, re.DOTALL)
    assert match, "the page has no <main> element"
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", match.group(1), flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/de/konto/signup/", "/de/konto/login/", "/de/konto/password/reset/"])
def test_account_pages_address_people_formally(client, site_tree, url):
    response = client.get(url)

    assert response.status_code == 200
    text = _main_text(response.text)
    assert "Sie" in text
    assert not INFORMAL.findall(text), text


@pytest.mark.django_db
def test_the_signup_page_uses_the_formal_login_hint(client, site_tree):
    response = client.get("/de/konto/signup/")

    assert "Sie haben bereits ein Konto?" in _main_text(response.text)


@pytest.mark.django_db
def test_the_confirmation_email_addresses_people_formally(site_tree):
    user = UserFactory(verified=False)
    # Without django.contrib.sites, allauth takes the site and the link from the request that its
    # AccountMiddleware puts into request_context; here the test sets it up the same way.
    request = RequestFactory().get("/de/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = user

    with translation.override("de"), request_context(request):
        EmailAddress.objects.get(user=user).send_confirmation(request=request, signup=True)

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Vielen Dank, dass Sie" in body
    assert not INFORMAL.findall(body), body
