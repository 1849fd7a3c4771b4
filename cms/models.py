from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock


class ContentLanguageMixin:
    """Marks the content's language when a page is shown untranslated in another UI language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = self.locale.language_code
        context["content_language"] = language if language != translation.get_language() else None
        context["content_direction"] = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
        return context


class HomePage(ContentLanguageMixin, Page):
    """The start page of a language: what the platform offers and where to begin."""

    hero_title = models.CharField(_("Titel im Kopfbereich"), max_length=120)
    hero_text = models.TextField(_("Einleitung"), max_length=600)
    hero_cta_label = models.CharField(_("Beschriftung des Hauptknopfes"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Ziel des Hauptknopfes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_cta_label"),
        FieldPanel("hero_cta_page"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cms.TasterOfferIndexPage", "cms.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")


class StandardPage(ContentLanguageMixin, Page):
    """A page of text: legal pages, the accessibility statement, explanations."""

    intro = models.TextField(_("Einleitung"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)
    show_in_footer = models.BooleanField(
        _("Im Fußbereich verlinken"),
        default=False,
        help_text=_("Für Impressum, Datenschutz und Barrierefreiheit."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("show_in_footer")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Textseite")
        verbose_name_plural = _("Textseiten")


class TasterOfferIndexPage(ContentLanguageMixin, Page):
    """The list of upcoming taster offers (Schnupperangebote)."""

    intro = models.TextField(_("Einleitung"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TasterOfferPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Übersicht der Schnupperangebote")
        verbose_name_plural = _("Übersichten der Schnupperangebote")

    def get_context(self, request, *args, **kwargs):
        from volunteering.selectors.tasters import upcoming_offers

        context = super().get_context(request, *args, **kwargs)
        context["offers"] = upcoming_offers(locale=self.locale)
        return context


class TasterOfferPage(ContentLanguageMixin, Page):
    """One taster offer: try out an organisation's work once, with a limited number of seats.

    Bookings (volunteering.TasterSignup) always belong to the German source page; translations show the
    same seats. The page's own row is the lock that keeps the seats from being overbooked.
    """

    organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="taster_offers",
    )
    starts_at = models.DateTimeField(_("Beginn"), help_text=_("Datum und Uhrzeit (Berliner Zeit)."))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    place = models.CharField(_("Ort"), max_length=200, help_text=_("Adresse oder Treffpunkt."))
    kommune = models.ForeignKey(
        "volunteering.Kommune",
        verbose_name=_("Stadt oder Gemeinde"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("Plätze"), default=6)
    what_to_expect = models.TextField(_("Das erwartet Sie"), max_length=2000)
    accessibility = models.TextField(
        _("Barrierefreiheit des Ortes"),
        max_length=600,
        blank=True,
        help_text=_("Zum Beispiel: stufenloser Zugang, barrierefreies WC, Hörschleife."),
    )
    languages = ParentalManyToManyField(
        "volunteering.Language", verbose_name=_("Gesprochene Sprachen"), blank=True, related_name="+"
    )
    need = models.ForeignKey(
        "volunteering.Need",
        verbose_name=_("Führt zu dieser Einsatzmöglichkeit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("capacity")],
            heading=_("Termin und Plätze"),
        ),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("kommune"), FieldPanel("accessibility")], heading=_("Ort")
        ),
        FieldPanel("what_to_expect"),
        FieldPanel("languages"),
        FieldPanel("need"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("what_to_expect"),
        index.SearchField("place"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["cms.TasterOfferIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Schnupperangebot")
        verbose_name_plural = _("Schnupperangebote")

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})

    @property
    def source(self) -> "TasterOfferPage":
        """Returns the German source page, which holds the bookings."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        source = TasterOfferPage.objects.filter(
            translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        return source or self

    def get_context(self, request, *args, **kwargs):
        from volunteering.selectors.tasters import offer_state

        context = super().get_context(request, *args, **kwargs)
        context["state"] = offer_state(offer=self.source, user=request.user)
        return context


class CampaignProgressPanel(Panel):
    """Shows editors the sign-ups and applications a campaign brought (no visits are tracked)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/campaign_progress_panel.html"

        def get_context_data(self, parent_context=None):
            from volunteering.selectors.campaigns import campaign_progress

            context = super().get_context_data(parent_context)
            context["progress"] = campaign_progress(self.instance.code)
            context["campaign"] = self.instance
            return context


class CampaignPage(ContentLanguageMixin, Page):
    """A campaign (also on posters and at schools): a goal, a period, a call to action and a sign-up code.

    People who arrive through `?kampagne=<code>` and then sign up are counted (volunteering.CampaignSignup);
    visits are not tracked.
    """

    class Target(models.TextChoices):
        NEEDS = "needs", _("Gefilterte Suche nach Einsätzen")
        TASTERS = "tasters", _("Schnupperangebote")

    intro = models.TextField(_("Einleitung"), max_length=600)
    goal = models.CharField(
        _("Ziel"), max_length=200, help_text=_("Zum Beispiel: 30 neue Patinnen und Paten.")
    )
    goal_signups = models.PositiveIntegerField(_("Ziel: Anmeldungen"), null=True, blank=True)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    cta_label = models.CharField(_("Beschriftung des Knopfes"), max_length=60)
    cta_target = models.CharField(_("Ziel des Knopfes"), max_length=10, choices=Target, default=Target.NEEDS)
    needs_query = models.CharField(
        _("Filter der Suche"),
        max_length=300,
        blank=True,
        help_text=_("Der Teil der Adresse nach dem Fragezeichen, z. B. handlungsfeld=2&kommune=5."),
    )
    code = models.SlugField(
        _("Kampagnen-Code"),
        max_length=40,
        help_text=_(
            "Steht im Link und im QR-Code: …?kampagne=<Code>. Kleinbuchstaben, Ziffern und Bindestriche."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("goal"),
                FieldPanel("goal_signups"),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            ],
            heading=_("Ziel und Zeitraum"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("cta_label"),
                FieldPanel("cta_target"),
                FieldPanel("needs_query"),
                FieldPanel("code"),
            ],
            heading=_("Handlungsaufruf"),
        ),
        FieldPanel("body"),
        CampaignProgressPanel(heading=_("Fortschritt")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("goal"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende darf nicht vor dem Beginn liegen.")})
        query = (self.needs_query or "").lstrip("?")
        if any(char in query for char in "<>\"' /#"):
            raise ValidationError(
                {"needs_query": _("Der Filter darf nur Angaben wie name=wert&name=wert enthalten.")}
            )
        self.needs_query = query
        clash = CampaignPage.objects.filter(code=self.code).exclude(translation_key=self.translation_key)
        if self.code and clash.exists():
            raise ValidationError({"code": _("Diesen Code nutzt schon eine andere Kampagne.")})

    def cta_url(self, language: str) -> str:
        """Returns where the call to action leads, carrying the campaign code."""
        from urllib.parse import urlencode

        if self.cta_target == self.Target.TASTERS:
            index_page = TasterOfferIndexPage.objects.live().filter(locale=self.locale).first()
            base = index_page.url if index_page else f"/{language}/"
            return f"{base}?{urlencode({'kampagne': self.code})}"
        query = f"{self.needs_query}&" if self.needs_query else ""
        return f"/{language}/einsaetze/?{query}{urlencode({'kampagne': self.code})}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cta_url"] = self.cta_url(translation.get_language() or settings.LANGUAGE_CODE)
        return context
