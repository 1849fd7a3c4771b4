"""Every URL pattern of the site declares its access policy in config.access (QUALITY.md 1)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from config.access import Access, access_for


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


ALL_PATTERNS = list(_walk(get_resolver().url_patterns))


def test_the_site_has_patterns_to_check():
    assert len(ALL_PATTERNS) > 300


def test_every_url_pattern_declares_its_access_policy():
    unclassified = [(route, name) for route, name in ALL_PATTERNS if access_for(route, name) is None]

    assert unclassified == [], f"{len(unclassified)} URL pattern(s) without access policy: {unclassified}"


def test_the_registry_lists_no_url_that_does_not_exist():
    from config.access import URL_ACCESS

    names = {name for _route, name in ALL_PATTERNS}
    assert sorted(set(URL_ACCESS) - names) == []


@pytest.mark.django_db
def test_an_unclassified_url_answers_404(client, settings, monkeypatch):
    from config import access

    monkeypatch.delitem(access.URL_ACCESS, "account_login")

    assert client.get("/de/konto/login/").status_code == 404


def _login_only_urls() -> list[str]:
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    urls = []
    with translation.override("de"):
        for route, name in ALL_PATTERNS:
            if access_for(route, name) is not Access.LOGIN:
                continue
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                continue  # needs arguments: covered by the permission matrix
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("url", _login_only_urls())
def test_anonymous_visitors_are_sent_to_login_and_change_nothing(client, url):
    get = client.get(url)
    post = client.post(url, {"email": "x@example.org", "status": "active"})

    assert get.status_code == 302 and "/konto/login/" in get["Location"]
    assert post.status_code == 302 and "/konto/login/" in post["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", _login_only_urls())
def test_every_page_for_signed_in_people_renders(client, volunteer, site_tree, url):
    client.force_login(volunteer)

    response = client.get(url)

    allowed = {200, 302, 405}  # 405: actions that only accept POST
    if "/2fa/" in url:
        allowed.add(404)  # allauth: no such authenticator yet for a person without two-factor login
    assert response.status_code in allowed, f"{url} answered {response.status_code}"
    if response.status_code == 302:
        assert "/konto/" in response["Location"]  # re-authentication or a follow-up account step
