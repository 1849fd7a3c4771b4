"""Portraits of the people in appreciation stories: private files, never Wagtail images.

QUALITY.md 16 forbids personal photos as Wagtail images: Wagtail's image library is shared by all editors,
its files and renditions are public under /media/ and outlive the story, and a revoked consent would
leave them online. A story's portrait therefore lives in a private directory (PRIVATE_MEDIA_ROOT, never
served by the web server) and is delivered only by `cms.views_stories.story_portrait`: to everyone while
the story is live, public and its consent holds; otherwise only to editors who may edit the story.
Revoking the consent deletes the file (cms.services.story_consent_revoke).

Uploads are checked and re-encoded: at most WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes and
WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels, real JPEG/PNG/WebP content whatever the file name says, and
stored as a fresh JPEG or PNG without any metadata (EXIF, GPS) under a random name.
"""

from __future__ import annotations

import secrets
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FOLDER = "story-portraits"


class PrivateStorage(FileSystemStorage):
    """Files without a public address: `url()` is empty, views hand them out after their checks."""

    def url(self, name):
        return ""


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so that tests and deployments can move the directory)."""
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


def portrait_store(upload) -> str:
    """Returns the stored name of a checked, re-encoded copy of the uploaded portrait.

    Raises ValidationError with a sentence for the editor when the file is too big or not a photo.
    """
    if upload.size > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Das Foto ist zu groß (höchstens %(mb)s MB).")
            % {"mb": settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE // (1024 * 1024)}
        )
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(_("Bitte laden Sie ein Foto als JPEG, PNG oder WebP hoch."))
        if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            raise ValidationError(_("Das Foto hat zu viele Bildpunkte."))
        with Image.open(BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the metadata
            has_alpha = image.mode in ("RGBA", "LA", "P") and image_format != "JPEG"
            clean = image.convert("RGBA" if has_alpha else "RGB")
            buffer = BytesIO()
            if has_alpha:
                clean.save(buffer, format="PNG", optimize=True)
                extension = "png"
            else:
                clean.save(buffer, format="JPEG", quality=88, optimize=True)
                extension = "jpg"
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Diese Datei ist kein lesbares Foto.")) from None
    name = f"{FOLDER}/{secrets.token_urlsafe(18)}.{extension}"
    return private_storage().save(name, ContentFile(buffer.getvalue()))


def portrait_delete(name: str) -> None:
    """Deletes a stored portrait (nothing happens if it is gone already)."""
    if name:
        private_storage().delete(name)
