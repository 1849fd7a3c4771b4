"""Email backends for tests that need the worker's sends to fail in a controlled way."""

import smtplib

from notifications.backends import MailboxBackend


class RefuseSomeMailboxBackend(MailboxBackend):
    """Writes to the mailbox, except for addresses containing "refuse", which the 'server' rejects.

    The rejection names the address, as real SMTP servers do: the engine must keep it out of the row and
    the logs.
    """

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            refused = [address for address in message.to if "refuse" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"unknown " + address.encode()) for address in refused}
                )
        return super().send_messages(email_messages)
