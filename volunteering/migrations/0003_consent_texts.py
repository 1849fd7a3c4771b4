"""The first published version of each consent text. Later wording changes are new versions (new rows)."""

from django.db import migrations
from django.utils import timezone

TEXTS = {
    "terms": (
        True,
        "Ich nutze die Plattform, um mich ehrenamtlich zu engagieren. Der Kreis speichert meine Angaben, um "
        "mir passende Einsätze, Schulungen und Schnupperangebote vorzuschlagen, und löscht sie, wenn ich mein "
        "Konto lösche. Angaben zu Gesundheit, Religion, Herkunft oder Aufenthaltsstatus werden nicht erhoben. "
        "Einzelheiten stehen in der Datenschutzerklärung.",
    ),
    "contact": (
        False,
        "Geprüfte Organisationen dürfen mich über die Plattform zu Einsätzen ansprechen, die zu meinem Profil "
        "passen. Sie sehen dabei meinen angezeigten Namen, meine Kommune, Sprachen, Interessen und Zeiten, "
        "nicht meine E-Mail-Adresse.",
    ),
    "newsletter": (
        False,
        "Ich möchte höchstens einmal im Monat Neuigkeiten zum Ehrenamt im Kreis per E-Mail bekommen. Jede "
        "E-Mail enthält einen Link zum Abbestellen.",
    ),
    "story": (
        False,
        "Die Redaktion darf eine Geschichte über mein Engagement mit meinem Vornamen und, wenn ich eines "
        "schicke, einem Foto auf der Website veröffentlichen. Ich kann die Einwilligung jederzeit widerrufen; "
        "dann wird die Geschichte offline genommen.",
    ),
}


def forwards(apps, schema_editor):
    ConsentText = apps.get_model("volunteering", "ConsentText")
    for kind, (required, text) in TEXTS.items():
        ConsentText.objects.get_or_create(
            kind=kind, version=1, defaults={"text": text, "required": required, "published_at": timezone.now()}
        )


def backwards(apps, schema_editor):
    apps.get_model("volunteering", "ConsentText").objects.filter(version=1, consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0002_people_organisations_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
