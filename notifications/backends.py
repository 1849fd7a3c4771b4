"""The development mailbox: every outgoing email is written to a file under var/mail/ as it would be sent."""

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    """Writes each message as an RFC 5322 `.eml` file; the mailbox page lists and shows them."""

    _lock = threading.Lock()

    def __init__(self, *args, directory: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or settings.EMAIL_MAILBOX_DIR)

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        with self._lock:
            for message in email_messages:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
                path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
                path.write_bytes(message.message().as_bytes(linesep="\n"))
                sent += 1
        return sent
