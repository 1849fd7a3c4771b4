from django.core.management.base import BaseCommand

from cms.demo import seed_pages


class Command(BaseCommand):
    help = "Legt die Startseite und die rechtlichen Seiten an oder aktualisiert sie."

    def handle(self, *args, **options):
        home = seed_pages()
        self.stdout.write(
            self.style.SUCCESS(f"Seiten bereit: {home.title} und {home.get_children().count()} Unterseiten.")
        )
