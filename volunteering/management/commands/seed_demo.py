from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Site

from volunteering.demo import DEMO_PASSWORD, seed_accounts, seed_roles
from volunteering.demo_applications import seed_applications
from volunteering.demo_efz import seed_efz
from volunteering.demo_needs import seed_needs
from volunteering.demo_organisations import seed_organisations
from volunteering.demo_recognition import seed_recognition
from volunteering.demo_tandems import seed_tandems
from volunteering.demo_trainings import seed_trainings
from volunteering.demo_volunteers import seed_volunteers
from volunteering.services.reference_data import DEFAULT_DISTRICT_FILE, district_load, taxonomy_load


class Command(BaseCommand):
    help = "Lädt Kreis, Kommunen, Stammdaten, Demo-Seiten und Demo-Konten. Mehrfach ausführbar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--district-file",
            default=str(DEFAULT_DISTRICT_FILE),
            help="JSON-Datei des Kreises (Voreinstellung: Kreis Gütersloh)",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Demo-Zugänge nicht ausgeben")

    def handle(self, *args, **options):
        district = district_load(path=options["district_file"])
        taxonomy_load()
        call_command("seed_pages", verbosity=0)
        home = Site.objects.get(is_default_site=True).root_page
        seed_roles(home=home)
        accounts = seed_accounts()
        seed_organisations()
        seed_volunteers()
        seed_needs()
        seed_applications()
        seed_efz()
        seed_recognition()
        seed_trainings()
        seed_tandems()
        call_command("seed_cms_demo", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"{district.name}: {district.kommunen.count()} Kommunen geladen.")
        )
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
            for account in accounts:
                self.stdout.write(f"  {account.role:<32} {account.email}")
