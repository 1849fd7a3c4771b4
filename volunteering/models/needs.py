"""Needs (Einsatzmöglichkeiten), applications for them, and the engagements that follow."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from volunteering.models.organisations import Organisation
from volunteering.models.places import Kommune
from volunteering.models.taxonomy import ActivityType, Handlungsfeld, Language


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    PAUSED = "paused", _("pausiert")
    FILLED = "filled", _("besetzt")
    CLOSED = "closed", _("beendet")
    EXPIRED = "expired", _("abgelaufen")


class ScheduleKind(models.TextChoices):
    ONE_OFF = "one-off", _("einmalig")
    RECURRING = "recurring", _("regelmäßig")


class Need(models.Model):
    """What an organisation needs volunteers for: the tasks, and explicitly what the role does not include."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="needs", verbose_name=_("Organisation")
    )
    title = models.CharField(_("Titel"), max_length=120)
    description = models.TextField(_("Beschreibung"), max_length=4000)
    tasks = models.TextField(_("Das tun Sie"), max_length=2000)
    limits = models.TextField(
        _("Das gehört nicht dazu"),
        max_length=2000,
        help_text=_("Klare Grenzen schützen Freiwillige vor Überforderung."),
    )
    handlungsfeld = models.ForeignKey(
        Handlungsfeld, on_delete=models.PROTECT, related_name="needs", verbose_name=_("Handlungsfeld")
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="needs", verbose_name=_("Tätigkeitsart")
    )
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="needs", verbose_name=_("Kommune")
    )
    place = models.CharField(
        _("Ort"), max_length=200, blank=True, help_text=_("Zum Beispiel Adresse oder Treffpunkt.")
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    schedule_kind = models.CharField(
        _("Zeitform"), max_length=10, choices=ScheduleKind, default=ScheduleKind.RECURRING
    )
    starts_at = models.DateTimeField(_("Beginn (bei einmaligen Einsätzen)"), null=True, blank=True)
    ends_at = models.DateTimeField(_("Ende (bei einmaligen Einsätzen)"), null=True, blank=True)
    slots = models.JSONField(_("Wann (bei regelmäßigen Einsätzen)"), default=list, blank=True)
    schedule_note = models.CharField(_("Zeiten genauer"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("Stunden pro Woche"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    time_commitment = models.CharField(
        _("Zeitaufwand"), max_length=200, blank=True, help_text=_("Zum Beispiel: mindestens drei Monate.")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="needs", verbose_name=_("Gebrauchte Sprachen")
    )
    no_german_needed = models.BooleanField(_("Deutschkenntnisse nicht nötig"), default=False)
    min_age = models.PositiveSmallIntegerField(
        _("Mindestalter"), default=16, validators=[MinValueValidator(12), MaxValueValidator(99)]
    )
    efz_required = models.BooleanField(_("Erweitertes Führungszeugnis nötig"), default=False)
    training_required = models.BooleanField(
        _("Einarbeitung oder Schulung nötig"),
        default=False,
        help_text=_("Allgemeiner Hinweis. Bestimmte Qualifikationen wählen Sie unten aus."),
    )
    required_qualifications = models.ManyToManyField(
        "volunteering.Qualification",
        blank=True,
        related_name="needs",
        verbose_name=_("Nötige Qualifikationen"),
        help_text=_("Freiwillige sehen, welche Schulung ihnen fehlt, und können sie buchen."),
    )
    taster_possible = models.BooleanField(_("Schnuppern möglich"), default=False)
    volunteers_wanted = models.PositiveSmallIntegerField(
        _("Gesuchte Freiwillige"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=NeedStatus, default=NeedStatus.DRAFT)
    expires_on = models.DateField(_("Läuft ab am"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("Zuletzt geprüft"), null=True, blank=True)
    published_at = models.DateTimeField(_("Veröffentlicht am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Folded text for the public search (see volunteering/selectors/needs.py): written by the services. On
    # PostgreSQL a stored tsvector column generated from it carries a GIN index (migration 0005).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("Einsatzmöglichkeit")
        verbose_name_plural = _("Einsatzmöglichkeiten")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "kommune", "-published_at"], name="need_listing"),
            models.Index(fields=["status", "expires_on"], name="need_expiry"),
            # The listing across all towns, newest first, touches only published rows.
            models.Index(
                fields=["-published_at"], condition=models.Q(status="published"), name="need_published_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingegangen")
    IN_CONTACT = "in_contact", _("im Gespräch")
    ACCEPTED = "accepted", _("zugesagt")
    DECLINED = "declined", _("abgesagt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT)


class Application(models.Model):
    """A volunteer's application for a need. The organisation must answer within its deadline."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="applications")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    message = models.TextField(_("Nachricht"), max_length=2000, blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=ApplicationStatus, default=ApplicationStatus.SUBMITTED
    )
    campaign_code = models.CharField(_("Kampagne"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("Erste Antwort am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "volunteer"],
                condition=~models.Q(status="withdrawn"),
                name="one_live_application_per_need",
            )
        ]
        indexes = [models.Index(fields=["need", "status"], name="application_inbox")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.need_id} ({self.status})"


class ApplicationEvent(models.Model):
    """The history of an application: every change of status, who made it and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=ApplicationStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"


class ApplicationMessage(models.Model):
    """A message in the thread of one application; contact details are shared only after acceptance."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("Nachricht"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.pk}"


class AnswerTemplate(models.Model):
    """A reusable answer an organisation sends to applicants."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="answer_templates")
    title = models.CharField(_("Titel"), max_length=80)
    body = models.TextField(_("Text"), max_length=2000)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Engagement(models.Model):
    """An accepted application: the assignment record (person, tasks, period, organisation) for insurance."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="engagement")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="engagements")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="engagements")
    tasks = models.TextField(_("Vereinbarte Aufgaben"), max_length=2000)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Engagement")
        verbose_name_plural = _("Engagements")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.organisation_id}"


class SavedNeed(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_needs")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "need"], name="save_need_once")]

    def __str__(self) -> str:
        return f"{self.user_id} ☆ {self.need_id}"
