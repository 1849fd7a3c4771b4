from django.core.management.base import BaseCommand

from cms.demo_content import seed_cms_demo


class Command(BaseCommand):
    help = (
        "Legt die Demo-Inhalte an: Kampagne, Schnupperangebote, Geschichten, Leichte Sprache, Übersetzungen."
    )

    def handle(self, *args, **options):
        counts = seed_cms_demo()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{key}: {value}" for key, value in counts.items())))
