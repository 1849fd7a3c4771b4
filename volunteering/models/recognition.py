"""Recognition: logged hours, milestones with their thank-you, the Engagementnachweis, story nominations.

Hours are stored in whole minutes (no rounding drift when many short entries add up); the Ehrenamtskarte
rules in volunteering/ehrenamtskarte.py work on the same minutes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_MINUTES_PER_ENTRY = 24 * 60


class HoursStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Eingereicht")
    CONFIRMED = "confirmed", _("Bestätigt")
    REJECTED = "rejected", _("Abgelehnt")


class HoursSource(models.TextChoices):
    MANUAL = "manual", _("Selbst eingetragen")
    TASTER = "taster", _("Schnupperangebot")
    TRAINING = "training", _("Schulung")
    MEDIATION = "mediation", _("Sprachmittlung")


class HoursEntry(models.Model):
    """Time a volunteer gave: logged by the person (then confirmed) or credited from attendance."""

    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours")
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
        verbose_name=_("Organisation"),
    )
    engagement = models.ForeignKey(
        "volunteering.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
        verbose_name=_("Engagement"),
    )
    source = models.CharField(_("Herkunft"), max_length=12, choices=HoursSource, default=HoursSource.MANUAL)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    worked_on = models.DateField(_("Datum"))
    minutes = models.PositiveIntegerField(
        _("Dauer (Minuten)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES_PER_ENTRY)]
    )
    note = models.CharField(_("Kurze Notiz"), max_length=200, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=HoursStatus, default=HoursStatus.SUBMITTED)
    rejection_reason = models.CharField(_("Grund der Ablehnung"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stundeneintrag")
        verbose_name_plural = _("Stundeneinträge")
        ordering = ["-worked_on", "-pk"]
        constraints = [
            # Attendance is credited once per source (a taster booking, a training registration, …).
            models.UniqueConstraint(
                fields=["volunteer", "source", "source_id"],
                condition=~models.Q(source="manual"),
                name="hours_once_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_MINUTES_PER_ENTRY),
                name="hours_minutes_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status", "worked_on"], name="hours_by_volunteer"),
            models.Index(fields=["organisation", "status", "created_at"], name="hours_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.worked_on} · {self.minutes} min"

    @property
    def hours(self) -> float:
        return self.minutes / 60


class MilestoneKind(models.TextChoices):
    FIRST_ENGAGEMENT = "first_engagement", _("Erstes Engagement")
    HOURS_10 = "hours_10", _("10 Stunden")
    HOURS_50 = "hours_50", _("50 Stunden")
    HOURS_100 = "hours_100", _("100 Stunden")
    HOURS_250 = "hours_250", _("250 Stunden")
    YEARS_1 = "years_1", _("1 Jahr dabei")
    YEARS_5 = "years_5", _("5 Jahre dabei")
    YEARS_10 = "years_10", _("10 Jahre dabei")
    YEARS_25 = "years_25", _("25 Jahre dabei")


HOURS_MILESTONES = {10: MilestoneKind.HOURS_10, 50: MilestoneKind.HOURS_50, 100: MilestoneKind.HOURS_100,
                    250: MilestoneKind.HOURS_250}  # fmt: skip
YEARS_MILESTONES = {1: MilestoneKind.YEARS_1, 5: MilestoneKind.YEARS_5, 10: MilestoneKind.YEARS_10,
                    25: MilestoneKind.YEARS_25}  # fmt: skip


class Milestone(models.Model):
    """A milestone the volunteer reached (a badge in Mein Bereich): each kind at most once per person."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("Meilenstein"), max_length=20, choices=MilestoneKind)
    reached_on = models.DateField(_("Erreicht am"))
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    show_publicly = models.BooleanField(_("Auf meinem öffentlichen Profil zeigen"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["reached_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "kind"], name="milestone_once")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.kind}"


class ThankYouStatus(models.TextChoices):
    PENDING = "pending", _("Wartet auf Versand")
    SENT = "sent", _("Verschickt")


class ThankYou(models.Model):
    """The personal thank-you for a milestone: a default text the organisation (or coordination) may edit.

    It is scheduled in the outbox when the milestone is reached and goes out by itself after
    `services.recognition.THANKS_DELAY` unless someone sends it earlier; editing only changes the text,
    because the message reads the text when it is sent.
    """

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="thank_you")
    organisation = models.ForeignKey(
        "volunteering.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("Dankestext"), max_length=3000)
    signature = models.CharField(_("Unterschrift"), max_length=200)
    status = models.CharField(max_length=10, choices=ThankYouStatus, default=ThankYouStatus.PENDING)
    send_after = models.DateTimeField(_("Geht automatisch raus am"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Dankeschön")
        verbose_name_plural = _("Dankeschöns")
        ordering = ["send_after", "pk"]

    def __str__(self) -> str:
        return f"{self.milestone_id} · {self.status}"


class RecognitionSettings(models.Model):
    """The volunteer's own settings and statements for recognition (all optional)."""

    class Allowance(models.TextChoices):
        NONE = "none", _("Keine pauschale Vergütung")
        EHRENAMT = "ehrenamt", _("Ehrenamtspauschale")
        UEBUNGSLEITER = "uebungsleiter", _("Übungsleiterpauschale")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_settings"
    )
    allowance_kind = models.CharField(
        _("Pauschale für das Engagement"), max_length=16, choices=Allowance, default=Allowance.NONE
    )
    allowance_eur_per_year = models.PositiveIntegerField(
        _("Pauschale im Jahr (Euro)"),
        default=0,
        validators=[MaxValueValidator(100_000)],
        help_text=_("Erstattete Auslagen zählen nicht."),
    )
    years_before_platform = models.PositiveSmallIntegerField(
        _("Jahre Engagement vor dieser Plattform"),
        default=0,
        validators=[MaxValueValidator(80)],
        help_text=_("Für die Jubiläums-Ehrenamtskarte zählen alle Jahre, auch mit Pausen."),
    )
    public_badges = models.BooleanField(_("Meilensteine öffentlich zeigen"), default=False)
    public_slug = models.SlugField(max_length=40, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Einstellungen zur Anerkennung")
        verbose_name_plural = _("Einstellungen zur Anerkennung")

    def __str__(self) -> str:
        return str(self.user_id)


class Competency(models.TextChoices):
    TEAMWORK = "teamwork", _("Teamfähigkeit")
    COMMUNICATION = "communication", _("Kommunikation")
    ORGANISATION = "organisation", _("Organisation")
    CREATIVITY = "creativity", _("Kreativität")
    MANUAL = "manual", _("Handwerkliches Geschick")
    EDUCATIONAL = "educational", _("Pädagogisches Geschick")


class EngagementCertificate(models.Model):
    """What the organisation writes into an Engagementnachweis for one engagement (the PDF is a letter)."""

    engagement = models.ForeignKey(
        "volunteering.Engagement", on_delete=models.CASCADE, related_name="certificates"
    )
    area = models.CharField(_("Tätigkeitsbereich"), max_length=200)
    period_from = models.DateField(_("Zeitraum von"))
    period_to = models.DateField(_("Zeitraum bis"))
    scope = models.CharField(
        _("Umfang"), max_length=200, help_text=_("Zum Beispiel „etwa 3 Stunden pro Woche“.")
    )
    description = models.TextField(_("Beschreibung des Engagements"), max_length=3000)
    tasks = models.TextField(_("Aufgaben und Leistungen (auf Wunsch)"), max_length=3000, blank=True)
    competencies = models.JSONField(_("Kompetenzen (auf Wunsch)"), default=list, blank=True)
    thanks = models.TextField(_("Dank"), max_length=1000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    letter_id = models.PositiveBigIntegerField(
        null=True, blank=True
    )  # the issued letter, if the machinery exists
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Engagementnachweis")
        verbose_name_plural = _("Engagementnachweise")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.engagement_id} · {self.period_from}–{self.period_to}"

    def competency_labels(self) -> list[str]:
        labels = dict(Competency.choices)
        return [str(labels[value]) for value in self.competencies if value in labels]


class NominationStatus(models.TextChoices):
    ASKED = "asked", _("Zustimmung angefragt")
    CONSENTED = "consented", _("Zugestimmt")
    DECLINED = "declined", _("Abgelehnt")
    REVOKED = "revoked", _("Zustimmung widerrufen")


class StoryNomination(models.Model):
    """A proposal to portray a volunteer in an appreciation story; a draft page exists only after consent."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_nominations"
    )
    organisation = models.ForeignKey(
        "volunteering.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("Warum diese Person?"), max_length=3000)
    status = models.CharField(max_length=10, choices=NominationStatus, default=NominationStatus.ASKED)
    story_page_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Vorschlag für eine Geschichte")
        verbose_name_plural = _("Vorschläge für Geschichten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.status}"


class RecognitionEvent(models.Model):
    """A recognition event (for example the annual Ehrenamtsempfang) that a coordinator invites to."""

    title = models.CharField(_("Titel"), max_length=160)
    description = models.TextField(_("Beschreibung"), max_length=2000)
    starts_at = models.DateTimeField(_("Beginn"))
    place = models.CharField(_("Ort"), max_length=200)
    # Who is invited: confirmed hours across all organisations, years since the first engagement, towns.
    min_hours = models.PositiveIntegerField(_("Mindestens bestätigte Stunden"), default=0)
    min_years = models.PositiveSmallIntegerField(_("Mindestens Jahre dabei"), default=0)
    kommunen = models.ManyToManyField(
        "volunteering.Kommune", blank=True, related_name="+", verbose_name=_("Kommunen")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anerkennungsveranstaltung")
        verbose_name_plural = _("Anerkennungsveranstaltungen")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class RsvpStatus(models.TextChoices):
    PENDING = "pending", _("Noch keine Antwort")
    YES = "yes", _("Zugesagt")
    NO = "no", _("Abgesagt")


class EventInvitation(models.Model):
    event = models.ForeignKey(RecognitionEvent, on_delete=models.CASCADE, related_name="invitations")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_invitations"
    )
    rsvp = models.CharField(_("Antwort"), max_length=8, choices=RsvpStatus, default=RsvpStatus.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "volunteer"], name="invite_once")]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.volunteer_id} · {self.rsvp}"
