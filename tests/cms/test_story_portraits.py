"""A story's portrait is a private file, not a Wagtail image (QUALITY.md 16): checked and stripped of
metadata on upload, served only while the story is live with consent (editors: also drafts), deleted on
revocation and erasure."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Revision

from cms.models import StoryConsent, StoryIndexPage, StoryPage, StoryPageForm
from cms.private_files import portrait_store, private_storage
from cms.services import story_consent_revoke
from tests.volunteering.applications_world import make_volunteer

pytestmark = pytest.mark.django_db
GPS_TAG = 0x8825


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(size=(40, 30)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "Kamera-Hersteller"
    exif[GPS_TAG] = {1: "N", 2: (51.0, 54.0, 24.0)}
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("urlaub.jpg", buffer.getvalue(), content_type="image/jpeg")


def story_with_portrait(*, user=None, live=True) -> StoryPage:
    index_page = StoryIndexPage.objects.get(locale__language_code="de")
    story = StoryPage(
        title="Olena liest vor",
        portrayed_name="Olena",
        portrayed_user=user,
        quote="Kinder hören gern zu.",
        intro="Jeden Dienstag in der Bücherei.",
        portrait=portrait_store(jpeg_with_gps()),
        photo_alt="Olena mit einem Bilderbuch",
        live=live,
    )
    story.consents = [StoryConsent(given_by="Olena S.", given_at=date(2026, 9, 1), scope="website")]
    index_page.add_child(instance=story)
    revision = story.save_revision()
    if live:
        revision.publish()
    return StoryPage.objects.get(pk=story.pk)


def test_uploads_are_re_encoded_without_metadata_outside_the_media_folder(settings):
    name = portrait_store(jpeg_with_gps())

    path = private_storage().path(name)
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert "urlaub" not in name
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (40, 30)
        assert dict(stored.getexif()) == {}


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("bild.png", b"<html><script>alert(1)</script></html>"),
        ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("bild.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_files_that_are_no_photos_are_refused(filename, content):
    with pytest.raises(ValidationError):
        portrait_store(SimpleUploadedFile(filename, content))
    assert not private_storage().exists("story-portraits")


def test_size_and_pixel_limits(settings):
    upload = jpeg_with_gps()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = upload.size - 1
    with pytest.raises(ValidationError):
        portrait_store(upload)

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40 * 30 - 1
    with pytest.raises(ValidationError):
        portrait_store(jpeg_with_gps())


def test_the_admin_form_stores_an_upload_as_a_private_file():
    form = StoryPageForm.__new__(StoryPageForm)
    form.cleaned_data = {"portrait": jpeg_with_gps()}

    name = form.clean_portrait()

    assert name.startswith("story-portraits/")
    assert private_storage().exists(name)


def test_everyone_sees_the_portrait_of_a_live_story_with_consent(client, site_tree):
    story = story_with_portrait()

    page = client.get(story.url).content.decode()
    response = client.get(story.portrait_url())

    assert story.portrait_url() in page
    assert 'alt="Olena mit einem Bilderbuch"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-cache"


def test_a_draft_portrait_is_shown_to_its_editors_only(client, site_tree, editor, volunteer):
    story = story_with_portrait(live=False)

    assert client.get(story.portrait_url()).status_code == 404
    client.force_login(volunteer)
    assert client.get(story.portrait_url()).status_code == 404
    client.force_login(editor)
    response = client.get(story.portrait_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_unknown_names_answer_404(client, site_tree):
    story = story_with_portrait()

    assert client.get(f"/de/geschichten-fotos/{story.pk}/anderes.jpg").status_code == 404
    assert client.get(f"/de/geschichten-fotos/{story.pk}/..%2Fx.jpg").status_code == 404


def test_revoking_consent_deletes_the_portrait_everywhere(
    client, site_tree, django_capture_on_commit_callbacks
):
    person = make_volunteer()
    story = story_with_portrait(user=person)
    url, name = story.portrait_url(), story.portrait.name
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        story_consent_revoke(consent=story.consents.get(), actor=person)

    assert client.get(url).status_code == 404
    assert not private_storage().exists(name)
    assert StoryPage.objects.get(pk=story.pk).portrait.name == ""
    assert not Revision.page_revisions.filter(object_id=str(story.pk), content__portrait=name).exists()


def test_erasure_deletes_the_portrait(site_tree, django_capture_on_commit_callbacks):
    from volunteering.privacy import HANDLERS

    person = make_volunteer()
    story = story_with_portrait(user=person)
    name = story.portrait.name

    with django_capture_on_commit_callbacks(execute=True):
        HANDLERS["cms.StoryPage"].erase(person)

    assert not private_storage().exists(name)
    assert not StoryPage.objects.get(pk=story.pk).live


def test_story_photos_are_no_wagtail_images():
    field_names = {field.name for field in StoryPage._meta.get_fields()}

    assert "photo" not in field_names
    assert StoryPage._meta.get_field("portrait").storage.url("story-portraits/x.jpg") == ""


def test_the_story_editor_shows_the_portrait_field(client, site_tree, editor):
    story = story_with_portrait()
    client.force_login(editor)

    response = client.get(f"/admin/pages/{story.pk}/edit/")

    assert response.status_code == 200
    assert 'name="portrait"' in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()
