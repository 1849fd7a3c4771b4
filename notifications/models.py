"""The outbox (`Notification`) and per-person delivery preferences (`NotificationPreference`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.registry import CHANNELS


class Notification(models.Model):
    """One message to one person over one channel, written in the transaction of the change causing it.

    The row is the outbox entry (swept when due, see `services.notifications_sweep`) and, for the in-app
    channel, the inbox entry itself. It holds ids (`refs`), never rendered text: the message is rendered
    at send time in the recipient's language.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird verschickt")
        SENT = "sent", _("verschickt")
        BUNDLED = "bundled", _("wartet auf Sammelnachricht")
        CANCELLED = "cancelled", _("abgebrochen")
        FAILED = "failed", _("fehlgeschlagen")

    class Channel(models.TextChoices):
        EMAIL = CHANNELS[0], _("E-Mail")
        INAPP = CHANNELS[1], _("Benachrichtigung auf der Website")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger*in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # a partial index below: rows for bare addresses are not in it
    )
    # Only for people without an account (newcomers); account holders are reached at their current
    # address, so it is not copied here.
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # Blank: the recipient's preferred language at send time.
    language = models.CharField(_("Sprache"), max_length=8, blank=True, choices=settings.LANGUAGES)
    kind = models.CharField(_("Art"), max_length=100)
    category = models.CharField(_("Kategorie"), max_length=40)
    refs = models.JSONField(_("Bezüge"), default=dict, blank=True)
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices)
    key = models.CharField(_("Idempotenzschlüssel"), max_length=200)
    due_at = models.DateTimeField(_("fällig am"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    # Exception class or a short code, never a message text that could carry an address.
    last_error = models.CharField(_("letzter Fehler"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("übernommen am"), null=True, blank=True)
    lease_owner = models.CharField(_("bearbeitet von"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("Bearbeitung bis"), null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("Sammelnachricht"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bundled",
        db_index=False,  # a partial index below: only bundled rows point to a digest
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verschickt am"), null=True, blank=True)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-due_at"]
        permissions = [("view_failed", _("Kann fehlgeschlagene Benachrichtigungen sehen und erneut senden"))]
        constraints = [
            # The same event never creates two rows (per channel).
            models.UniqueConstraint(fields=["key", "channel"], name="notification_unique_key_per_channel"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_recipient"
            ),
        ]
        indexes = [
            # The sweep reads due rows only: this partial index holds the pending rows alone, so its
            # cost grows with the number of waiting rows, not with the whole history.
            models.Index(fields=["due_at"], name="notification_pending_due", condition=Q(status="pending")),
            models.Index(
                fields=["claimed_at"], name="notification_sending_claimed", condition=Q(status="sending")
            ),
            # The other indexes are partial too. Claiming and marking rows cannot be HOT updates (the
            # status is indexed), so every update writes an entry into every index the row version
            # belongs to; keeping history rows out of most indexes keeps a sweep cheap on a big table.
            models.Index(
                fields=["recipient", "status", "read_at"],
                name="notification_inbox",
                condition=Q(channel="inapp"),
            ),
            models.Index(
                fields=["status", "sent_at"],
                name="notification_finished",
                condition=Q(status__in=["sent", "failed", "bundled"]),
            ),
            models.Index(
                fields=["recipient"], name="notification_recipient", condition=Q(recipient__isnull=False)
            ),
            models.Index(fields=["digest"], name="notification_digest", condition=Q(digest__isnull=False)),
            models.Index(
                fields=["kind"],
                name="notification_cancellable",
                condition=Q(status__in=["pending", "bundled"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.channel}, {self.status})"

    @property
    def resolved_language(self) -> str:
        """The language to render in: the explicit one, else the recipient's preference, else the default."""
        if self.language:
            return self.language
        if self.recipient_id and self.recipient.preferred_language:
            return self.recipient.preferred_language
        return settings.LANGUAGE_CODE

    @property
    def address(self) -> str:
        """The email address to deliver to (the account's current one, or the bare address)."""
        return self.recipient.email if self.recipient_id else self.email


class NotificationPreference(models.Model):
    """How a person wants messages of one optional category (blank: every optional category)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("sofort")
        DAILY = "daily", _("täglich gesammelt")
        WEEKLY = "weekly", _("wöchentlich gesammelt")
        OFF = "off", _("aus")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("Kategorie"), max_length=40, blank=True)
    delivery = models.CharField(
        _("Zustellung"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notification_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'}: {self.delivery}"
