import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from volunteering.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Zeigt den aktuellen Einmalcode der Demo-Konten mit Zwei-Faktor-Anmeldung (nur Entwicklung)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Nur in der Entwicklungsumgebung (DJANGO_DEBUG=true).")
        period = 30
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (noch {period - now % period} Sekunden gültig)")
