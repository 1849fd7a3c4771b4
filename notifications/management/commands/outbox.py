"""`manage.py outbox`: the state of the notification outbox for operators (counts only, no personal data)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from notifications import clock
from notifications.selectors import oldest_due, outbox_counts
from notifications.services import notifications_sweep, notify

LABELS = {
    "due": "due now (pending, due time passed)",
    "pending": "pending (incl. later reminders and retries)",
    "sending": "sending (claimed or in a worker)",
    "bundled": "bundled (waiting for a digest)",
    "failed": "failed (see Wagtail admin)",
    "sent_today": "sent today (since local midnight)",
}


class Command(BaseCommand):
    help = "Shows how many notifications are due, pending, sending, failed and sent today."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the counts as JSON.")
        parser.add_argument(
            "--sweep", action="store_true", help="Run one sweep now (queues the due rows) before counting."
        )
        parser.add_argument(
            "--send-test",
            metavar="ADDRESS",
            help="Queue a test email to ADDRESS through the whole outbox path.",
        )

    def handle(
        self, *args, as_json: bool = False, sweep: bool = False, send_test: str | None = None, **options
    ):
        if send_test:
            try:
                validate_email(send_test)
            except Exception:
                raise CommandError("That is not a valid email address.") from None
            with transaction.atomic():
                row = notify(kind="system.test", email=send_test, refs={"run": int(clock.now().timestamp())})
            self.stdout.write(f"Queued test notification #{row.pk}.")
        if sweep:
            self.stdout.write(f"Sweep queued {len(notifications_sweep())} notification(s).")
        now = clock.now()
        counts = outbox_counts(now=now)
        oldest = oldest_due(now=now)
        lag = round((now - oldest).total_seconds()) if oldest else 0
        if as_json:
            self.stdout.write(json.dumps({**counts, "oldest_due_seconds": lag}, sort_keys=True))
            return
        for key, label in LABELS.items():
            self.stdout.write(f"{counts[key]:>10}  {label}")
        self.stdout.write(f"{lag:>10}  seconds the oldest due row has waited")
