"""Letters issued as PDFs (training certificate, release-time letter, eFZ confirmation, …).

A letter keeps exactly what it states (`stated`, rendered into the PDF and shown on the public verification
page) and a verification code. The kinds live in a registry (volunteering/letters/registry.py), so `kind` is a
plain string checked by the service, not a choices list other modules would have to edit.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models.organisations import Organisation


class IssuedLetter(models.Model):
    """One issued letter: its kind, whom it is about, who issued it, what it states, and its code."""

    kind = models.CharField(_("Art"), max_length=40, db_index=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="issued_letters",
        verbose_name=_("Person"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Ausgestellt von"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_letters",
        verbose_name=_("Ausstellende Organisation"),
    )
    issued_at = models.DateTimeField(_("Ausgestellt am"), default=timezone.now)
    # Exactly what the letter states, as shown in the PDF and on the verification page.
    stated = models.JSONField(_("Inhalt"), encoder=DjangoJSONEncoder)
    # 16 Crockford base32 symbols without separators; the last one is a check symbol.
    code = models.CharField(_("Prüfcode"), max_length=16, unique=True)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Widerrufen von"),
    )

    class Meta:
        verbose_name = _("Ausgestelltes Schreiben")
        verbose_name_plural = _("Ausgestellte Schreiben")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        """The code in four groups of four, as printed on the letter."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
