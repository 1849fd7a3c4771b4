"""Story photos leave Wagtail's image library (QUALITY.md 16: no personal photos as Wagtail images).

Each story's photo is copied into the private files (checked and re-encoded without metadata, see
cms/private_files.py); the Wagtail image, its renditions and files are deleted unless something other
than a story's photo field still refers to them. Reversing keeps the private files and leaves the stories
without a Wagtail image (the library copy is gone).
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models

import cms.private_files


def photos_to_private_files(apps, schema_editor):
    from cms.private_files import portrait_store

    StoryPage = apps.get_model("cms", "StoryPage")
    Image = apps.get_model("wagtailimages", "Image")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ContentType = apps.get_model("contenttypes", "ContentType")
    image_ids = set()
    for story in StoryPage.objects.filter(photo__isnull=False):
        image = Image.objects.get(pk=story.photo_id)
        try:
            with image.file.open("rb") as upload:
                story.portrait = portrait_store(upload)
        except (OSError, ValidationError):
            story.portrait = ""  # a missing or unreadable file: the story goes without a photo
        story.save(update_fields=["portrait"])
        image_ids.add(image.pk)
    image_type = ContentType.objects.filter(app_label="wagtailimages", model="image").first()
    for image in Image.objects.filter(pk__in=image_ids):
        other_uses = (
            ReferenceIndex.objects.filter(to_content_type=image_type, to_object_id=str(image.pk))
            .exclude(model_path="photo")
            .exists()
            if image_type
            else False
        )
        if other_uses:
            continue
        for rendition in Rendition.objects.filter(image=image):
            rendition.file.delete(save=False)
            rendition.delete()
        image.file.delete(save=False)
        image.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_easy_language"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="storypage",
            name="portrait",
            field=models.FileField(
                blank=True,
                help_text="JPEG, PNG oder WebP. Das Foto ist nur sichtbar, solange die Einwilligung gilt, und wird "
                "beim Widerruf gelöscht. Es landet nicht in der Bildersammlung.",
                max_length=200,
                storage=cms.private_files.private_storage,
                upload_to="",
                verbose_name="Foto der Person",
            ),
        ),
        migrations.RunPython(photos_to_private_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="storypage", name="photo"),
    ]
