from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from volunteering.models.places import Kommune


class LegalForm(models.TextChoices):
    VEREIN = "ev", _("eingetragener Verein (e. V.)")
    GGMBH = "ggmbh", _("gemeinnützige GmbH")
    STIFTUNG = "stiftung", _("Stiftung")
    KIRCHE = "kirche", _("Kirchengemeinde oder kirchlicher Träger")
    KOMMUNE = "kommune", _("Kommune oder Behörde")
    SCHULE = "schule", _("Schule")
    WOHLFAHRT = "wohlfahrt", _("Wohlfahrtsverband")
    INITIATIVE = "initiative", _("Initiative ohne Rechtsform")


# Who insures volunteers against accidents depends on who they volunteer for (DOMAIN.md, "Insurance").
# Helpers doing a Kommune's (or a public school's) tasks are covered by the Unfallkasse NRW; organisations
# with a legal form insure their volunteers themselves; groups without one fall under the Land's group
# insurance.
INSURANCE_NOTES = {
    "unfallkasse": _(
        "Wer sich hier im Auftrag einer Kommune oder öffentlichen Stelle engagiert, ist über die Unfallkasse "
        "NRW gesetzlich unfallversichert. Lassen Sie sich Ihren Auftrag schriftlich bestätigen."
    ),
    "own": _(
        "Ehrenamtliche sind über die Versicherung der Organisation abgesichert (Unfall und Haftpflicht). "
        "Fragen Sie die Organisation nach den Einzelheiten."
    ),
    "land": _(
        "Diese Gruppe hat keine eigene Rechtsform. Ehrenamtliche sind über die Sammelversicherung des Landes "
        "NRW unfall- und haftpflichtversichert, soweit keine andere Versicherung greift."
    ),
}
INSURANCE_BY_LEGAL_FORM = {
    LegalForm.KOMMUNE: "unfallkasse",
    LegalForm.SCHULE: "unfallkasse",
    LegalForm.VEREIN: "own",
    LegalForm.GGMBH: "own",
    LegalForm.STIFTUNG: "own",
    LegalForm.KIRCHE: "own",
    LegalForm.WOHLFAHRT: "own",
    LegalForm.INITIATIVE: "land",
}


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Prüfung")
    VERIFIED = "verified", _("geprüft")
    REJECTED = "rejected", _("abgelehnt")


class Organisation(models.Model):
    """A Träger, Verein, MSO, school or office that posts needs. Public once a coordinator verified it."""

    name = models.CharField(_("Name"), max_length=160)
    slug = models.SlugField(_("Kurzname"), max_length=180, unique=True)
    legal_form = models.CharField(_("Rechtsform"), max_length=16, choices=LegalForm)
    is_mso = models.BooleanField(
        _("Migrantenselbstorganisation"),
        default=False,
        help_text=_("Von Zugewanderten gegründet und geführt."),
    )
    kommunen = models.ManyToManyField(Kommune, verbose_name=_("Tätig in"), related_name="organisations")
    description = models.TextField(_("Beschreibung"), max_length=2000)
    email = models.EmailField(_("E-Mail für Anfragen"))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True, max_length=300)
    response_deadline_days = models.PositiveSmallIntegerField(
        _("Antwortfrist in Tagen"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text=_("So schnell antworten Sie Freiwilligen. Danach erinnern wir Sie."),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=OrganisationStatus, default=OrganisationStatus.PENDING
    )
    status_note = models.TextField(_("Hinweis der Koordination"), blank=True, max_length=1000)
    verified_at = models.DateTimeField(_("Geprüft am"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == OrganisationStatus.VERIFIED

    @property
    def insurance_note(self) -> str:
        """Returns who insures the organisation's volunteers, by its legal form (the Land if unknown)."""
        return INSURANCE_NOTES[INSURANCE_BY_LEGAL_FORM.get(self.legal_form, "land")]


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Verwaltung")
    MEMBER = "member", _("Mitglied")


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=8, choices=MembershipRole, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id} ({self.role})"


class OrganisationInvitation(models.Model):
    """An invitation by email to join an organisation; accepted through a signed link."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=8, choices=MembershipRole, default=MembershipRole.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.role}"
