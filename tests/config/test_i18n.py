import polib
import pytest
from django.conf import settings

LOCALE_DIR = settings.BASE_DIR / "locale"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept, expected", [("de-DE,de;q=0.9", "/de/"), ("ar", "/ar/"), ("uk,ru;q=0.5", "/uk/")]
)
def test_the_root_sends_visitors_to_their_language(client, site_tree, accept, expected):
    response = client.get("/", headers={"accept-language": accept})

    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, direction",
    [
        ("de", "ltr"),
        ("en", "ltr"),
        ("uk", "ltr"),
        ("ru", "ltr"),
        ("ar", "rtl"),
        ("tr", "ltr"),
        ("ro", "ltr"),
        ("fa", "rtl"),
    ],
)
def test_every_language_prefix_serves_the_start_page_with_lang_and_direction(
    client, site_tree, code, direction
):
    response = client.get(f"/{code}/")

    assert response.status_code == 200
    assert f'<html lang="{code}" dir="{direction}">' in response.text


@pytest.mark.django_db
def test_untranslated_content_is_marked_as_german(client, site_tree):
    response = client.get("/ar/")

    assert '<div lang="de" dir="ltr">' in response.text


@pytest.mark.django_db
def test_the_language_switcher_links_to_every_language(client, site_tree):
    response = client.get("/de/impressum/")

    for code, _name in settings.LANGUAGES:
        assert f'href="/{code}/impressum/" lang="{code}" hreflang="{code}"' in response.text


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES if code != "de"])
def test_every_catalogue_is_complete_and_compiled(code):
    po_path = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert po_path.with_suffix(".mo").stat().st_mtime >= po_path.stat().st_mtime - 1


@pytest.mark.django_db
@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES if code != "de"])
def test_the_frame_is_translated(client, site_tree, code):
    response = client.get(f"/{code}/")

    assert "Zum Inhalt springen" not in response.text
    assert "Hauptnavigation" not in response.text


@pytest.mark.django_db
def test_the_last_language_used_wins_over_the_browser_setting(client, site_tree):
    client.get("/uk/", headers={"accept-language": "de"})

    response = client.get("/", headers={"accept-language": "de"})

    assert response["Location"] == "/uk/"


@pytest.mark.django_db
def test_after_login_people_stay_in_their_language(client, volunteer):
    from tests.factories import PASSWORD

    response = client.post("/ar/konto/login/", {"login": volunteer.email, "password": PASSWORD})

    assert response["Location"] == "/ar/mein-bereich/"
