from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ags_validator = RegexValidator(r"^\d{8}$", _("Der amtliche Gemeindeschlüssel hat genau 8 Ziffern."))
district_key_validator = RegexValidator(r"^\d{5}$", _("Der Kreisschlüssel hat genau 5 Ziffern."))
postcode_validator = RegexValidator(r"^\d{5}$", _("Eine Postleitzahl hat genau 5 Ziffern."))


class District(models.Model):
    """A Kreis (or kreisfreie Stadt) running the platform. Loaded from a data file, never hard-coded."""

    name = models.CharField(_("Name"), max_length=120)
    key = models.CharField(
        _("Kreisschlüssel"), max_length=5, unique=True, validators=[district_key_validator]
    )
    state = models.CharField(_("Bundesland"), max_length=60)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kreis")
        verbose_name_plural = _("Kreise")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kommune(models.Model):
    """A town of the district, with the rules that differ from town to town."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="kommunen")
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True, validators=[ags_validator]
    )
    latitude = models.FloatField(_("Breitengrad"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(
        _("Längengrad"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    jugendamt = models.CharField(_("Zuständiges Jugendamt"), max_length=160)
    issues_ehrenamtskarte = models.BooleanField(_("Gibt die Ehrenamtskarte NRW aus"), default=False)
    ehrenamtskarte_prior_years = models.PositiveSmallIntegerField(
        _("Nötige Vorjahre im Engagement"), default=1, validators=[MaxValueValidator(5)]
    )
    ehrenamtskarte_validity_years = models.PositiveSmallIntegerField(
        _("Gültigkeit der Karte in Jahren"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    ehrenamtskarte_min_age = models.PositiveSmallIntegerField(
        _("Mindestalter für die Karte"), default=16, validators=[MaxValueValidator(99)]
    )

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A postcode area of a town. One postcode can cover parts of several towns."""

    code = models.CharField(_("Postleitzahl"), max_length=5, validators=[postcode_validator], db_index=True)
    kommune = models.ForeignKey(Kommune, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        verbose_name = _("Postleitzahl")
        verbose_name_plural = _("Postleitzahlen")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "kommune"], name="unique_postcode_per_kommune")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.kommune.name}"
