"""Reading the development mailbox written by `MailboxBackend`."""

import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings

NAME_PATTERN = re.compile(r"^[0-9T]+-[0-9a-f]{8}$")


@dataclass(frozen=True)
class MailboxEntry:
    name: str
    subject: str
    to: str
    sender: str
    date: str
    text: str
    html: str | None


def _parse(path: Path) -> MailboxEntry:
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return MailboxEntry(
        name=path.stem,
        subject=str(message["Subject"] or ""),
        to=str(message["To"] or ""),
        sender=str(message["From"] or ""),
        date=str(message["Date"] or ""),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else None,
    )


def mailbox_list(*, limit: int = 200) -> list[MailboxEntry]:
    """Returns the newest messages first."""
    directory = Path(settings.EMAIL_MAILBOX_DIR)
    if not directory.exists():
        return []
    paths = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [_parse(path) for path in paths]


def mailbox_get(name: str) -> MailboxEntry | None:
    """Returns one message by its file name, or None for an unknown or malformed name."""
    if not NAME_PATTERN.match(name):
        return None
    path = Path(settings.EMAIL_MAILBOX_DIR) / f"{name}.eml"
    return _parse(path) if path.exists() else None
