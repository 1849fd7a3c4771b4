"""Taster offers (the pages live in cms): bookings, the waitlist, attendance; and campaign sign-ups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TasterSignupStatus(models.TextChoices):
    BOOKED = "booked", _("Gebucht")
    WAITLISTED = "waitlisted", _("Auf der Warteliste")
    CANCELLED = "cancelled", _("Abgesagt")
    ATTENDED = "attended", _("Teilgenommen")
    NO_SHOW = "no_show", _("Nicht erschienen")


LIVE_TASTER_STATUSES = (
    TasterSignupStatus.BOOKED,
    TasterSignupStatus.WAITLISTED,
    TasterSignupStatus.ATTENDED,
    TasterSignupStatus.NO_SHOW,
)


class TasterSignup(models.Model):
    """A person's booking of a taster offer (the German source page), or their place on its waitlist."""

    offer = models.ForeignKey(
        "cms.TasterOfferPage", on_delete=models.CASCADE, related_name="signups", verbose_name=_("Angebot")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taster_signups"
    )
    status = models.CharField(_("Status"), max_length=12, choices=TasterSignupStatus)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(_("Von der Warteliste nachgerückt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Abgesagt am"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("Teilnahme eingetragen am"), null=True, blank=True)
    # The taster→regular conversion (a KPI): the person's first application to the organisation afterwards.
    converted_application = models.ForeignKey(
        "volunteering.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_at = models.DateTimeField(_("Danach beworben am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Schnupper-Buchung")
        verbose_name_plural = _("Schnupper-Buchungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_taster_signup",
            )
        ]
        indexes = [models.Index(fields=["offer", "status", "created_at"], name="taster_signup_queue")]

    def __str__(self) -> str:
        return f"{self.offer_id} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (TasterSignupStatus.BOOKED, TasterSignupStatus.WAITLISTED)


class CampaignSignup(models.Model):
    """A sign-up that arrived through a campaign link (`?kampagne=<code>`): the campaign's progress."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_signup"
    )
    code = models.SlugField(_("Kampagnen-Code"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anmeldung über eine Kampagne")
        verbose_name_plural = _("Anmeldungen über Kampagnen")
        indexes = [models.Index(fields=["code"], name="campaign_signup_code")]

    def __str__(self) -> str:
        return self.code
