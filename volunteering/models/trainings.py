"""Trainings: the catalogue, sessions with their appointments, registrations (waitlist), attendance, and the
qualifications attendance grants (with their expiry). Needs and activity types can require qualifications."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from volunteering.models.places import Kommune
from volunteering.models.taxonomy import Handlungsfeld, Language, LocalizedNameMixin


class Qualification(LocalizedNameMixin):
    """Something a volunteer can hold after a training (e.g. "Basiskurs Sprachmittlung")."""

    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("Qualifikation")
        verbose_name_plural = _("Qualifikationen")
        ordering = ["name"]


class Training(models.Model):
    """A training in the catalogue. Its sessions are the dates people book."""

    title = models.CharField(_("Titel"), max_length=160)
    slug = models.SlugField(_("Kurzname"), max_length=160, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung"), max_length=6000)
    handlungsfeld = models.ForeignKey(
        Handlungsfeld, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("Handlungsfeld")
    )
    target_group = models.CharField(
        _("Für wen"),
        max_length=300,
        help_text=_("Zum Beispiel: Freiwillige, die in Beratungen übersetzen möchten."),
    )
    duration_hours = models.DecimalField(
        _("Dauer in Stunden (gesamt)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("Sprache")
    )
    grants = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("Vermittelt die Qualifikation"),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("Gültigkeit der Qualifikation in Monaten"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Leer lassen, wenn die Qualifikation nicht abläuft."),
    )
    is_active = models.BooleanField(_("Im Katalog"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Schulung")
        verbose_name_plural = _("Schulungen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingSessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("geplant")
    CANCELLED = "cancelled", _("abgesagt")


class TrainingSession(models.Model):
    """One run of a training: one or several appointments, a place or an online link, seats, a trainer.

    The town is the one responsible for the session (coordinators of that town run it), also when it is
    held online.
    """

    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("Schulung")
    )
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("Kommune")
    )
    place = models.CharField(_("Ort"), max_length=200, blank=True, help_text=_("Adresse und Raum."))
    online_url = models.URLField(
        _("Online-Link"), blank=True, help_text=_("Nur für online durchgeführte Termine.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("Plätze"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trained_sessions",
        verbose_name=_("Referent*in (Konto)"),
        help_text=_("Diese Person darf die Teilnahme an dieser Durchführung eintragen."),
    )
    trainer_name = models.CharField(_("Referent*in (Name)"), max_length=120, blank=True)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("Sprache")
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=TrainingSessionStatus, default=TrainingSessionStatus.SCHEDULED
    )
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Schulungstermin")
        verbose_name_plural = _("Schulungstermine")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.training} · {self.kommune}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.place


class SessionAppointment(models.Model):
    """One date of a session. Attending every required appointment completes the training."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    required = models.BooleanField(_("Pflichttermin"), default=True)
    topic = models.CharField(_("Thema"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="appointment_start")]

    def __str__(self) -> str:
        return f"{self.session_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    BOOKED = "booked", _("Gebucht")
    WAITLISTED = "waitlisted", _("Auf der Warteliste")
    CANCELLED = "cancelled", _("Abgesagt")
    COMPLETED = "completed", _("Abgeschlossen")


class Registration(models.Model):
    """A person's seat in a session, or their place on its waitlist."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(_("Status"), max_length=12, choices=RegistrationStatus)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(_("Von der Warteliste nachgerückt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Abgesagt am"), null=True, blank=True)
    completed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Schulungsanmeldung")
        verbose_name_plural = _("Schulungsanmeldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_training_registration",
            )
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="training_reg_queue")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (RegistrationStatus.BOOKED, RegistrationStatus.WAITLISTED)


class Attendance(models.Model):
    """Whether a registered person was present at one appointment, and who recorded it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    appointment = models.ForeignKey(SessionAppointment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("Anwesend"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("Eingetragen am"))

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "appointment"], name="one_attendance_per_appointment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.appointment_id}: {self.present}"


class VolunteerQualification(models.Model):
    """A qualification a person holds, from a completed session (or recorded by a coordinator); may expire."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="holders", verbose_name=_("Qualifikation")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualifications",
        verbose_name=_("Erworben durch"),
    )
    granted_on = models.DateField(_("Erworben am"))
    expires_on = models.DateField(_("Gültig bis"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Erworbene Qualifikation")
        verbose_name_plural = _("Erworbene Qualifikationen")
        ordering = ["-granted_on", "-pk"]
        indexes = [models.Index(fields=["user", "qualification", "expires_on"], name="held_qualification")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.qualification_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class TrainingCalendarToken(models.Model):
    """The secret in a person's private iCal feed of booked training appointments; rotatable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kalender-Schlüssel")
        verbose_name_plural = _("Kalender-Schlüssel")

    def __str__(self) -> str:
        return str(self.user_id)
