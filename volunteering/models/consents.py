from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("Nutzungsbedingungen und Datenschutz")
    CONTACT = "contact", _("Organisationen dürfen mich zu passenden Einsätzen ansprechen")
    NEWSLETTER = "newsletter", _("Neuigkeiten per E-Mail")
    STORY = "story", _("Geschichte und Foto für eine Anerkennungsgeschichte")
    TANDEM = "tandem", _("Tandem-Anfrage: Kontakt und Vermittlung")


class ConsentText(models.Model):
    """One version of the text a person agrees to. Texts are never edited once published: a change is a
    new version, so that every consent shows exactly what the person saw."""

    kind = models.CharField(_("Art"), max_length=16, choices=ConsentKind)
    version = models.PositiveSmallIntegerField(_("Version"))
    text = models.TextField(_("Text (Deutsch)"))
    text_translations = models.JSONField(_("Übersetzungen"), default=dict, blank=True)
    required = models.BooleanField(_("Pflicht für ein Konto"), default=False)
    published_at = models.DateTimeField(_("Gültig seit"))

    class Meta:
        verbose_name = _("Einwilligungstext")
        verbose_name_plural = _("Einwilligungstexte")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="unique_consent_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def localized_text(self) -> str:
        return self.text_translations.get(translation.get_language() or "de") or self.text


class Consent(models.Model):
    """A person's consent to one version of a text, and its withdrawal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "text"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"
