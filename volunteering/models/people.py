from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models.places import Kommune, postcode_validator
from volunteering.models.taxonomy import ActivityType, Handlungsfeld, Language

# Without a parent's consent, people under this age cannot consent to processing themselves (Art. 8 DSGVO,
# Germany did not lower the age).
CONSENT_AGE = 16
ADULT_AGE = 18


class UserManager(BaseUserManager):
    """Creates accounts identified by their email address (there are no user names)."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. One per person, whatever roles they hold in however many organisations."""

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    preferred_language = models.CharField(
        _("Bevorzugte Sprache"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("In dieser Sprache schicken wir Ihnen E-Mails."),
    )

    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Nur das Jahr. Wir brauchen es für Altersregeln, zum Beispiel bei Angeboten für Kinder."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def age_in(self, year: int | None = None) -> int | None:
        """Returns the age the person reaches in `year` (default: this year), or None without a birth year."""
        if self.birth_year is None:
            return None
        return (year or timezone.localdate().year) - self.birth_year

    @property
    def is_minor(self) -> bool:
        """True while the person may still be under 18 (by birth year, on the safe side)."""
        age = self.age_in()
        return age is not None and age <= ADULT_AGE

    @property
    def needs_parental_consent(self) -> bool:
        age = self.age_in()
        return age is not None and age <= CONSENT_AGE


class ParentalConsent(models.Model):
    """A parent's confirmation, by email, that a person under 16 may use the platform."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="parental_consent")
    parent_email = models.EmailField(_("E-Mail-Adresse eines Elternteils"))
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einverständnis der Eltern")
        verbose_name_plural = _("Einverständnisse der Eltern")

    def __str__(self) -> str:
        return f"{self.user_id}: {'bestätigt' if self.confirmed_at else 'offen'}"


WEEKDAYS = [
    ("mon", _("Montag")),
    ("tue", _("Dienstag")),
    ("wed", _("Mittwoch")),
    ("thu", _("Donnerstag")),
    ("fri", _("Freitag")),
    ("sat", _("Samstag")),
    ("sun", _("Sonntag")),
]
DAYPARTS = [("morning", _("vormittags")), ("afternoon", _("nachmittags")), ("evening", _("abends"))]
SLOTS = [f"{day}-{part}" for day, _day in WEEKDAYS for part, _part in DAYPARTS]


class EngagementForm(models.TextChoices):
    ONE_OFF = "one-off", _("einmalig, zum Beispiel bei einem Fest")
    TASTER = "taster", _("erst einmal schnuppern")
    REGULAR = "regular", _("regelmäßig")
    TANDEM = "tandem", _("Tandem oder Patenschaft")
    CRISIS_POOL = "crisis-pool", _("Krisenpool: ich helfe, wenn es kurzfristig nötig ist")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Kinder")
    YOUTH = "youth", _("Jugendliche")
    FAMILIES = "families", _("Familien")
    WOMEN = "women", _("Frauen")
    MEN = "men", _("Männer")
    SENIORS = "seniors", _("Ältere Menschen")
    ANY = "any", _("Ganz egal")


class ProfileStatus(models.TextChoices):
    NEW = "new", _("neu")
    ONBOARDING = "onboarding", _("im Einstieg")
    ACTIVE = "active", _("aktiv")
    PAUSED = "paused", _("pausiert")
    INACTIVE = "inactive", _("nicht mehr aktiv")


class LanguageLevel(models.IntegerChoices):
    A1 = 1, _("A1 – Anfänger")
    A2 = 2, _("A2 – Grundkenntnisse")
    B1 = 3, _("B1 – im Alltag sicher")
    B2 = 4, _("B2 – gut")
    C1 = 5, _("C1 – sehr gut")
    C2 = 6, _("C2 – fast wie Muttersprache")
    NATIVE = 7, _("Muttersprache")


class Gender(models.TextChoices):
    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers")


class PartnerGenderWish(models.TextChoices):
    FEMALE = "female", _("eine Frau")
    MALE = "male", _("ein Mann")


class VolunteerProfile(models.Model):
    """What a volunteer offers: place, languages, interests, time. Nothing about religion, health,
    ethnicity or residence status is ever asked or stored."""

    WIZARD_STEPS = ["place", "languages", "interests", "time", "about"]

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="volunteer_profile")
    display_name = models.CharField(
        _("Angezeigter Name"), max_length=80, blank=True, help_text=_("Zum Beispiel Ihr Vorname.")
    )
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True, validators=[postcode_validator])
    kommune = models.ForeignKey(
        Kommune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Kommune")
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    travel_radius_km = models.PositiveSmallIntegerField(
        _("So weit würde ich fahren (km)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    handlungsfelder = models.ManyToManyField(Handlungsfeld, blank=True, verbose_name=_("Handlungsfelder"))
    activity_types = models.ManyToManyField(ActivityType, blank=True, verbose_name=_("Tätigkeiten"))
    skills = models.JSONField(_("Fähigkeiten"), default=list, blank=True)
    availability = models.JSONField(_("Wann ich Zeit habe"), default=list, blank=True)
    engagement_forms = models.JSONField(_("Wie ich mich engagieren möchte"), default=list, blank=True)
    target_groups = models.JSONField(_("Mit wem ich gern arbeite"), default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("Stunden pro Woche"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    motivation = models.TextField(_("Was mich bewegt"), max_length=1000, blank=True)
    # Optional; only tandem matching uses them (a newcomer may wish for a partner of a given gender).
    gender = models.CharField(_("Ich bin"), max_length=8, choices=Gender, blank=True)
    partner_gender_wish = models.CharField(
        _("Im Tandem wünsche ich mir als Partner*in"), max_length=8, choices=PartnerGenderWish, blank=True
    )
    tandem_capacity = models.PositiveSmallIntegerField(
        _("So viele Tandems oder Patenschaften übernehme ich gleichzeitig"),
        default=1,
        validators=[MaxValueValidator(5)],
    )
    status = models.CharField(_("Status"), max_length=12, choices=ProfileStatus, default=ProfileStatus.NEW)
    paused_until = models.DateField(_("Pause bis"), null=True, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Profil als freiwillige Person")
        verbose_name_plural = _("Profile als freiwillige Personen")

    def __str__(self) -> str:
        return self.display_name or str(self.user)

    @property
    def next_step(self) -> str | None:
        """Returns the first wizard step not yet saved, or None when all are done."""
        return next((step for step in self.WIZARD_STEPS if step not in self.completed_steps), None)

    @property
    def completeness(self) -> int:
        """Returns how complete the profile is, in percent of the wizard's steps."""
        done = sum(1 for step in self.WIZARD_STEPS if step in self.completed_steps)
        return round(100 * done / len(self.WIZARD_STEPS))


class ProfileLanguage(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sprache")
    )
    level = models.PositiveSmallIntegerField(_("Niveau"), choices=LanguageLevel)

    class Meta:
        verbose_name = _("Sprache im Profil")
        verbose_name_plural = _("Sprachen im Profil")
        ordering = ["-level", "language__sort_order"]
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="one_level_per_language")]

    def __str__(self) -> str:
        return f"{self.language.name} ({self.get_level_display()})"
