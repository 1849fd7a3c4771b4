from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from volunteering.models.places import Kommune


class CoordinatorRole(models.Model):
    """Makes a person a coordinator: for the whole district, or for the towns selected."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_role",
        verbose_name=_("Person"),
    )
    whole_district = models.BooleanField(_("Für den ganzen Kreis"), default=False)
    kommunen = models.ManyToManyField(Kommune, blank=True, verbose_name=_("Kommunen"), related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Koordinationsrolle")
        verbose_name_plural = _("Koordinationsrollen")

    def __str__(self) -> str:
        return str(self.user)


class AuditEntry(models.Model):
    """Who opened which sensitive record when. Holds ids and the kind of access, never the values seen."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
