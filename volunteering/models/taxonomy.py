"""Reference data coordinators edit: the Handlungsfelder, activity types and languages."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin(models.Model):
    """A German name plus optional names in the other UI languages, kept as data."""

    name = models.CharField(_("Name (Deutsch)"), max_length=120)
    name_translations = models.JSONField(
        _("Übersetzungen des Namens"),
        default=dict,
        blank=True,
        help_text=_('Sprachkürzel und Name, zum Beispiel {"en": "Language and education"}.'),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """Returns the name in the active language, falling back to German."""
        language = translation.get_language() or "de"
        return self.name_translations.get(language) or self.name


class Handlungsfeld(LocalizedNameMixin):
    """One of the fields of action of the district's integration concept."""

    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["sort_order", "name"]


class ActivityType(LocalizedNameMixin):
    """A kind of volunteering (Sprachpatenschaft, Begleitung zu Ämtern, …)."""

    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    handlungsfeld = models.ForeignKey(
        Handlungsfeld,
        on_delete=models.PROTECT,
        related_name="activity_types",
        verbose_name=_("Handlungsfeld"),
    )
    is_tandem = models.BooleanField(
        _("Tandem oder Patenschaft"), default=False, help_text=_("Wird über Tandem-Anfragen vermittelt.")
    )
    efz_required = models.BooleanField(
        _("Erweitertes Führungszeugnis nötig"),
        default=False,
        help_text=_("Voreinstellung für neue Einsatzmöglichkeiten dieser Art."),
    )
    required_qualifications = models.ManyToManyField(
        "volunteering.Qualification",
        blank=True,
        related_name="activity_types",
        verbose_name=_("Nötige Qualifikationen"),
        help_text=_("Gelten für alle Einsatzmöglichkeiten dieser Art."),
    )

    class Meta:
        verbose_name = _("Tätigkeitsart")
        verbose_name_plural = _("Tätigkeitsarten")
        ordering = ["name"]


class Language(LocalizedNameMixin):
    """A language people speak or need, identified by its ISO 639 code."""

    code = models.CharField(_("Sprachcode (ISO 639)"), max_length=8, unique=True)
    native_name = models.CharField(_("Eigenbezeichnung"), max_length=80)
    right_to_left = models.BooleanField(_("Schrift von rechts nach links"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        ordering = ["sort_order", "name"]
