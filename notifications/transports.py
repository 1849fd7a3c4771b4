"""One transport class per channel. A transport sends one row or raises; the caller records the outcome."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications import registry
from notifications.models import Notification
from notifications.rendering import render


class DeliveryRefused(Exception):
    """The email backend accepted no message (it returned 0 without raising)."""


class Transport(Protocol):
    channel: str

    def send(self, notification: Notification) -> None: ...


def _message_id(notification: Notification) -> str:
    # Stable per row: if a crash in the send→mark window makes us send a row twice, both copies carry the
    # same Message-ID, which mail clients use to show the duplicate once.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification.{notification.pk}@{domain}>"


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """Returns the multipart/alternative email (text + HTML) in the recipient's language."""
    rendered = render(notification)
    headers = {
        "Message-ID": _message_id(notification),
        "Content-Language": rendered.language,
        # RFC 3834: automatic mail; auto-responders should not answer it.
        "Auto-Submitted": "auto-generated",
    }
    if rendered.unsubscribe_url:
        # RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
        headers["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


class EmailTransport:
    channel = registry.EMAIL

    def send(self, notification: Notification) -> None:
        message = build_email(notification)
        if get_connection(fail_silently=False).send_messages([message]) != 1:
            raise DeliveryRefused


class InAppTransport:
    """The row itself is the inbox entry; sending makes it visible (status sent)."""

    channel = registry.INAPP

    def send(self, notification: Notification) -> None:
        # Rendering once now cancels entries about objects that no longer exist (raises Gone).
        render(notification, email=False)


TRANSPORTS: dict[str, Transport] = {
    EmailTransport.channel: EmailTransport(),
    InAppTransport.channel: InAppTransport(),
}


def transport_for(channel: str) -> Transport:
    """Returns the transport of `channel`; raises LookupError for an unknown channel."""
    try:
        return TRANSPORTS[channel]
    except KeyError:
        raise LookupError(f"No transport for channel {channel!r}.") from None
