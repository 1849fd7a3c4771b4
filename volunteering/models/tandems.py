"""Tandems and Patenschaften: a newcomer's request, the tandem with a volunteer, and its check-ins.

A `TandemRequest` holds only what matching and contact need (DESIGN.md: minimal data). Nothing about
residence status, religion or health is asked. The newcomer usually has no account: contact data sits on
the request and is visible to coordinators only; volunteers see the first name (alias), languages, town
and interests. Requests and their tandems are deleted a configurable time after the tandem ends, and at
once when the request is withdrawn (volunteering.services.tandems.tandem_requests_purge).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from volunteering.models.consents import ConsentText
from volunteering.models.people import Gender, LanguageLevel, PartnerGenderWish
from volunteering.models.places import Kommune, postcode_validator
from volunteering.models.taxonomy import ActivityType, Language


class AgeGroupWish(models.TextChoices):
    ANY = "any", _("egal")
    SIMILAR = "similar", _("ungefähr in meinem Alter")
    OLDER = "older", _("gern eine ältere Person (generationenübergreifend)")
    YOUNGER = "younger", _("gern eine jüngere Person (generationenübergreifend)")


class ConsentRecordedBy(models.TextChoices):
    SELF = "self", _("die Person selbst")
    ADVISER = "adviser", _("eine beratende Person in ihrem Auftrag")
    COORDINATOR = "coordinator", _("die Koordination im Gespräch mit der Person")


class TandemRequestStatus(models.TextChoices):
    OPEN = "open", _("wartet auf Vermittlung")
    PROPOSED = "proposed", _("Vorschlag an freiwillige Person")
    MATCHED = "matched", _("vermittelt")
    CLOSED = "closed", _("abgeschlossen")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class TandemRequest(models.Model):
    """A newcomer (or an adviser on their behalf) asks for a Pate or tandem partner."""

    alias = models.CharField(
        _("Vorname oder Spitzname"), max_length=60, help_text=_("Ein Vorname oder ein Spitzname genügt.")
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefonnummer"), max_length=30, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True, validators=[postcode_validator])
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="tandem_requests", verbose_name=_("Kommune")
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("So weit kann ich fahren (km)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    tandem_type = models.ForeignKey(
        ActivityType,
        on_delete=models.PROTECT,
        related_name="tandem_requests",
        limit_choices_to={"is_tandem": True},
        verbose_name=_("Art des Tandems"),
    )
    interests = models.ManyToManyField(
        ActivityType, blank=True, related_name="+", verbose_name=_("Das interessiert mich auch")
    )
    availability = models.JSONField(_("Wann ich Zeit habe"), default=list, blank=True)
    gender = models.CharField(_("Ich bin"), max_length=8, choices=Gender, blank=True)
    partner_gender_wish = models.CharField(
        _("Ich wünsche mir als Partner*in"), max_length=8, choices=PartnerGenderWish, blank=True
    )
    age_group_wish = models.CharField(
        _("Alter der Partnerin oder des Partners"),
        max_length=8,
        choices=AgeGroupWish,
        default=AgeGroupWish.ANY,
    )
    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    involves_minor = models.BooleanField(
        _("Ein Kind oder eine jugendliche Person ist beteiligt"), default=False
    )
    contact_language = models.CharField(
        _("In dieser Sprache möchte ich Nachrichten bekommen"), max_length=8, choices=settings.LANGUAGES
    )
    consent_text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einwilligungstext")
    )
    consent_language = models.CharField(
        _("Sprache der Einwilligung"), max_length=8, choices=settings.LANGUAGES
    )
    consent_given_at = models.DateTimeField(_("Einwilligung am"))
    consent_recorded_by = models.CharField(
        _("Einwilligung gegeben durch"), max_length=12, choices=ConsentRecordedBy
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Eingetragen von"),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=TandemRequestStatus, default=TandemRequestStatus.OPEN
    )
    # Kept when a volunteer declines: the request goes back to the queue at its old place.
    waiting_since = models.DateTimeField(_("Wartet seit"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tandem-Anfrage")
        verbose_name_plural = _("Tandem-Anfragen")
        ordering = ["waiting_since", "pk"]
        indexes = [models.Index(fields=["status", "kommune"], name="tandem_request_status_town")]
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="tandem_request_has_contact"),
        ]

    def __str__(self) -> str:
        return f"{_('Tandem-Anfrage')} #{self.pk}"


class TandemRequestLanguage(models.Model):
    request = models.ForeignKey(TandemRequest, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("Sprache")
    )
    level = models.PositiveSmallIntegerField(_("Niveau"), choices=LanguageLevel)

    class Meta:
        verbose_name = _("Sprache einer Tandem-Anfrage")
        verbose_name_plural = _("Sprachen einer Tandem-Anfrage")
        ordering = ["-level", "language__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "language"], name="one_level_per_request_language")
        ]

    def __str__(self) -> str:
        return f"{self.language.name} ({self.get_level_display()})"


class TandemStatus(models.TextChoices):
    PROPOSED = "proposed", _("vorgeschlagen")
    ACCEPTED = "accepted", _("von der freiwilligen Person angenommen")
    CONTACTED = "contacted", _("Kontakt zur neuen Person hergestellt")
    MEETING = "meeting", _("erstes Treffen vereinbart")
    ACTIVE = "active", _("läuft")
    ENDED = "ended", _("beendet")
    DECLINED = "declined", _("abgelehnt")
    CANCELLED = "cancelled", _("Vorschlag zurückgenommen")


LIVE_TANDEM_STATUSES = (
    TandemStatus.PROPOSED,
    TandemStatus.ACCEPTED,
    TandemStatus.CONTACTED,
    TandemStatus.MEETING,
    TandemStatus.ACTIVE,
)


class DeclineReason(models.TextChoices):
    NO_TIME = "no-time", _("Ich habe gerade keine Zeit.")
    TOO_FAR = "too-far", _("Der Weg ist mir zu weit.")
    NOT_SUITABLE = "not-suitable", _("Das passt nicht zu mir.")
    OTHER = "other", _("Ein anderer Grund")


class ContactMethod(models.TextChoices):
    COORDINATOR = "coordinator", _("Die Koordination hat die Person angesprochen")
    EMAIL = "email", _("E-Mail an die Person in ihrer Sprache")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Ziel erreicht, wie vereinbart beendet")
    NEWCOMER_MOVED = "newcomer-moved", _("Die neue Person ist weggezogen")
    VOLUNTEER_STOPPED = "volunteer-stopped", _("Die freiwillige Person hört auf")
    NO_CONTACT = "no-contact", _("Kein Kontakt mehr")
    CONFLICT = "conflict", _("Es hat nicht gepasst")
    OTHER = "other", _("Ein anderer Grund")


class Rating(models.IntegerChoices):
    VERY_GOOD = 1, _("sehr gut")
    GOOD = 2, _("gut")
    MIXED = 3, _("teils, teils")
    POOR = 4, _("nicht gut")


class Tandem(models.Model):
    """A volunteer and a newcomer: proposed → accepted → contacted → first meeting → active → ended."""

    request = models.ForeignKey(
        TandemRequest, on_delete=models.CASCADE, related_name="tandems", verbose_name=_("Anfrage")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tandems",
        verbose_name=_("Freiwillige Person"),
    )
    status = models.CharField(_("Status"), max_length=10, choices=TandemStatus, default=TandemStatus.PROPOSED)
    score = models.FloatField(_("Punkte"), default=0)
    score_terms = models.JSONField(_("Begründung"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("Vorgeschlagen am"))
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    decline_reason = models.CharField(_("Grund der Absage"), max_length=16, choices=DeclineReason, blank=True)
    contacted_at = models.DateTimeField(_("Kontakt am"), null=True, blank=True)
    contact_method = models.CharField(_("Kontakt über"), max_length=12, choices=ContactMethod, blank=True)
    first_meeting_at = models.DateTimeField(_("Erstes Treffen am"), null=True, blank=True)
    first_meeting_place = models.CharField(
        _("Ort des ersten Treffens"),
        max_length=200,
        blank=True,
        help_text=_("Ein neutraler, öffentlicher Ort, zum Beispiel ein Café oder das Integrationsbüro."),
    )
    scope = models.TextField(_("Vereinbarte Aufgaben und Grenzen"), max_length=1000, blank=True)
    ends_on = models.DateField(_("Vereinbartes Ende"), null=True, blank=True)
    activated_at = models.DateTimeField(_("Begonnen am"), null=True, blank=True)
    ended_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)
    end_reason = models.CharField(_("Grund für das Ende"), max_length=20, choices=EndReason, blank=True)
    volunteer_rating = models.PositiveSmallIntegerField(
        _("Bewertung der freiwilligen Person"), choices=Rating, null=True, blank=True
    )
    volunteer_comment = models.TextField(_("Rückmeldung der freiwilligen Person"), max_length=500, blank=True)
    newcomer_rating = models.PositiveSmallIntegerField(
        _("Bewertung der neuen Person"), choices=Rating, null=True, blank=True
    )
    newcomer_comment = models.TextField(_("Rückmeldung der neuen Person"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Tandem")
        verbose_name_plural = _("Tandems")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # A request has at most one live tandem; two concurrent proposals cannot both win.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=LIVE_TANDEM_STATUSES),
                name="one_live_tandem_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Tandem')} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_TANDEM_STATUSES


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("jede Woche")
    FORTNIGHTLY = "fortnightly", _("alle zwei Wochen")
    RARELY = "rarely", _("seltener")
    NOT_AT_ALL = "not-at-all", _("gar nicht")


class Mood(models.TextChoices):
    GOOD = "good", _("gut")
    OKAY = "okay", _("geht so")
    DIFFICULT = "difficult", _("schwierig")


class SupportWish(models.TextChoices):
    NO = "no", _("nein, alles in Ordnung")
    CALL = "call", _("ja, bitte melden Sie sich bei mir")
    URGENT = "urgent", _("ja, dringend: etwas stimmt nicht")


class TandemCheckIn(models.Model):
    """A one-minute check-in by the volunteer: at 2, 6 and 12 weeks, then every 8 weeks."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="check_ins")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    due_on = models.DateField(_("Fällig am"))
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    frequency = models.CharField(
        _("Wie oft haben Sie sich in den letzten Wochen getroffen?"),
        max_length=12,
        choices=MeetingFrequency,
        blank=True,
    )
    mood = models.CharField(_("Wie läuft das Tandem?"), max_length=10, choices=Mood, blank=True)
    support = models.CharField(
        _("Brauchen Sie Unterstützung von der Koordination?"), max_length=8, choices=SupportWish, blank=True
    )
    red_flag = models.BooleanField(_("Warnsignal"), default=False)

    class Meta:
        verbose_name = _("Tandem-Rückmeldung")
        verbose_name_plural = _("Tandem-Rückmeldungen")
        ordering = ["tandem", "number"]
        constraints = [models.UniqueConstraint(fields=["tandem", "number"], name="one_check_in_per_number")]

    def __str__(self) -> str:
        return f"{self.tandem} – {self.number}"


class MatchingRun(models.Model):
    """One batch run of the optimal assignment: a preview the coordinator approves proposals from.

    Holds ids, scores and reason codes only (never names or contact data). Runs are deleted after
    `MATCHING_RUN_RETENTION_DAYS`; approving a proposal creates a `Tandem`.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kommunen = models.ManyToManyField(Kommune, blank=True, related_name="+")
    # [{"request": id, "volunteer": id, "total": float, "terms": {name: points}}, …] best first
    proposals = models.JSONField(default=list, blank=True)
    # [{"request": id, "codes": ["no_language_within_radius", …], "language": "ti", …}, …]
    unmatched = models.JSONField(default=list, blank=True)
    total = models.FloatField(default=0)
    volunteer_count = models.PositiveIntegerField(default=0)
    request_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zuordnungslauf")
        verbose_name_plural = _("Zuordnungsläufe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Zuordnungslauf')} #{self.pk}"
