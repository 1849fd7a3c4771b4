"""The record of an inspected erweitertes Führungszeugnis (§72a SGB VIII).

By law only three facts may be kept: that the certificate was inspected, the certificate's date, and whether
it shows a relevant entry (yes/no). This model therefore has no field that could hold a copy of the
document or the content of an entry — tests check that by introspection.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from volunteering.models.needs import Application
from volunteering.models.organisations import Organisation
from volunteering.models.places import Kommune


class EfzInspector(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    KOMMUNE = "kommune", _("Kommune")


def efz_expiry(certificate_date: datetime.date) -> datetime.date:
    """Returns the first day on which a certificate of `certificate_date` is no longer valid."""
    years = settings.EFZ_VALIDITY_YEARS
    try:
        return certificate_date.replace(year=certificate_date.year + years)
    except ValueError:  # 29 February → 1 March
        return certificate_date.replace(year=certificate_date.year + years, month=3, day=1)


class EfzRecord(models.Model):
    """That a volunteer's eFZ was inspected, for which organisation or Kommune, and by whom."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="efz_records",
        verbose_name=_("Freiwillige Person"),
    )
    # What the inspection was for. Deleting the application (or the organisation) deletes the record.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="efz_records",
        verbose_name=_("Organisation"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="efz_records",
        verbose_name=_("Bewerbung bzw. Engagement"),
    )
    inspected = models.BooleanField(_("Eingesehen"), default=True, editable=False)
    certificate_date = models.DateField(_("Ausstellungsdatum des Führungszeugnisses"))
    relevant_entry = models.BooleanField(_("Eintrag nach §72a SGB VIII relevant"))
    inspected_by = models.CharField(_("Eingesehen durch"), max_length=12, choices=EfzInspector)
    # The Kommune that inspected (inspected_by = kommune); also places the record in a coordinator's scope.
    kommune = models.ForeignKey(
        Kommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kommune"),
    )
    inspected_on = models.DateField(_("Eingesehen am"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Erfasst von"),
    )
    recorded_at = models.DateTimeField(_("Erfasst am"), auto_now_add=True)
    # Derived from certificate_date and EFZ_VALIDITY_YEARS when recorded, so that reads can filter on it.
    valid_until = models.DateField(_("Gültig bis"), editable=False)

    class Meta:
        verbose_name = _("Führungszeugnis-Einsicht")
        verbose_name_plural = _("Führungszeugnis-Einsichten")
        ordering = ["-certificate_date", "-pk"]
        indexes = [models.Index(fields=["volunteer", "valid_until"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(inspected=True), name="efz_record_only_inspected"),
        ]

    def __str__(self) -> str:
        return f"eFZ #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # A derived value, not logic: kept in step with the certificate date.
        self.valid_until = efz_expiry(self.certificate_date)
        super().save(*args, **kwargs)

    def is_valid_on(self, on_date: datetime.date) -> bool:
        """True when the certificate is within its validity on `on_date` and shows no relevant entry."""
        return not self.relevant_entry and self.certificate_date <= on_date < self.valid_until
