from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.cache import offer_generation
from cms.private_files import portrait_store, private_storage


class ContentLanguageMixin:
    """Marks the content's language when a page is shown untranslated in another UI language."""

    @property
    def content_language_code(self) -> str:
        """Returns the language the page's content is written in (an alias shows its German original)."""
        return (self.alias_of.locale if self.alias_of_id else self.locale).language_code

    @property
    def content_text_direction(self) -> str:
        return "rtl" if self.content_language_code in settings.LANGUAGES_BIDI else "ltr"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # An alias (a page not translated yet, mirrored into another language tree) shows German content.
        language = (self.alias_of.locale if self.alias_of_id else self.locale).language_code
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
    subpage_types = ["cms.StandardPage", "cms.TasterOfferIndexPage", "cms.CampaignPage", "cms.StoryIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request, *args, **kwargs):
        from volunteering.selectors.campaigns import current_campaigns
        from volunteering.selectors.reference import live_figures
        from volunteering.selectors.tasters import upcoming_offers

        context = super().get_context(request, *args, **kwargs)
        source = SimpleLazyObject(lambda: self.get_translation_or_none(self.locale.get_default()) or self)
        # Lazy: an anonymous view served from the page cache (cms/cache.py) runs none of these queries.
        context.update(
            campaigns=SimpleLazyObject(lambda: _localized(current_campaigns(locale=source.locale)[:3])),
            offers=SimpleLazyObject(lambda: _localized(upcoming_offers(locale=source.locale)[:3])),
            stories=SimpleLazyObject(
                lambda: _localized(
                    StoryPage.objects.live()
                    .public()
                    .filter(locale=source.locale)
                    .order_by("-first_published_at")[:3]
                )
            ),
            figures=SimpleLazyObject(live_figures),
            easy_language_page=SimpleLazyObject(
                lambda: (
                    StandardPage.objects.live()
                    .public()
                    .filter(is_easy_language=True, locale=source.locale)
                    .first()
                )
            ),
        )
        return context


def _localized(pages) -> list[Page]:
    """Returns the pages in the active language where a live translation exists, else the German ones."""
    return [page.localized for page in pages]


class StandardPage(ContentLanguageMixin, Page):
    """A page of text: legal pages, the accessibility statement, explanations."""

    intro = models.TextField(_("Einleitung"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)
    show_in_footer = models.BooleanField(
        _("Im Fußbereich verlinken"),
        default=False,
        help_text=_("Für Impressum, Datenschutz und Barrierefreiheit."),
    )
    is_easy_language = models.BooleanField(_("Text in Leichter Sprache"), default=False)
    easy_language_checked_on = models.DateField(
        _("Geprüft von Lesern der Zielgruppe am"),
        null=True,
        blank=True,
        help_text=_(
            "Leichte Sprache gilt erst als fertig, wenn Menschen aus der Zielgruppe sie geprüft haben."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("is_easy_language"), FieldPanel("easy_language_checked_on")],
            heading=_("Leichte Sprache"),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("show_in_footer")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Textseite")
        verbose_name_plural = _("Textseiten")

    def clean(self):
        super().clean()
        if self.easy_language_checked_on and not self.is_easy_language:
            raise ValidationError({"is_easy_language": _("Nur Texte in Leichter Sprache werden so geprüft.")})


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
        # Plain selects: a short list, usable by keyboard without a modal chooser.
        FieldPanel("organisation", widget=forms.Select),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("capacity")],
            heading=_("Termin und Plätze"),
        ),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("kommune", widget=forms.Select), FieldPanel("accessibility")],
            heading=_("Ort"),
        ),
        FieldPanel("what_to_expect"),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
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
        source = self.source
        # Lazy: a view served from the page cache reads no seats; the cached entry varies on the
        # offer's seat generation, which every booking and cancellation renews.
        context["state"] = SimpleLazyObject(lambda: offer_state(offer=source, user=request.user))
        context["seats_generation"] = offer_generation(source.pk)
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
        language = translation.get_language() or settings.LANGUAGE_CODE
        context["cta_url"] = SimpleLazyObject(lambda: self.cta_url(language))
        return context


class StoryIndexPage(ContentLanguageMixin, Page):
    """Appreciation stories (Anerkennungsgeschichten), filterable by field and town, with an Atom feed."""

    intro = models.TextField(_("Einleitung"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Übersicht der Geschichten")
        verbose_name_plural = _("Übersichten der Geschichten")

    def get_context(self, request, *args, **kwargs):
        from volunteering.selectors.reference import handlungsfelder, kommunen

        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.live().public().child_of(self).order_by("-first_published_at")
        field, town = request.GET.get("feld", ""), request.GET.get("ort", "")
        # Only ids count (they also key the page cache, so arbitrary text cannot fill it).
        field = field if field.isdigit() and len(field) <= 9 else ""
        town = town if town.isdigit() and len(town) <= 9 else ""
        if field.isdigit():
            stories = stories.filter(handlungsfeld_id=int(field))
        if town.isdigit():
            stories = stories.filter(kommune_id=int(town))
        context.update(
            stories=stories.select_related("kommune", "handlungsfeld"),
            fields=handlungsfelder(),
            towns=kommunen(),
            selected_field=field,
            selected_town=town,
        )
        return context


class StoryPageForm(WagtailAdminPageForm):
    """Stores an uploaded portrait at once as a checked, re-encoded private file (cms/private_files.py):
    revisions keep the file's name, and a page revision never saves a file itself."""

    def clean_portrait(self):
        value = self.cleaned_data.get("portrait")
        if isinstance(value, UploadedFile):
            return portrait_store(value)
        return value


class StoryPage(ContentLanguageMixin, Page):
    """One appreciation story about a volunteer, published only with the person's recorded consent."""

    portrayed_name = models.CharField(
        _("Name der porträtierten Person"),
        max_length=120,
        help_text=_("So, wie die Person genannt werden möchte."),
    )
    portrayed_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto der Person (freiwillig)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quote = models.CharField(_("Zitat"), max_length=300)
    intro = models.TextField(_("Einleitung"), max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)
    # A private file, not a Wagtail image: see cms/private_files.py for why and how it is served.
    portrait = models.FileField(
        _("Foto der Person"),
        storage=private_storage,
        max_length=200,
        blank=True,
        help_text=_(
            "JPEG, PNG oder WebP. Das Foto ist nur sichtbar, solange die Einwilligung gilt, und wird "
            "beim Widerruf gelöscht. Es landet nicht in der Bildersammlung."
        ),
    )
    photo_alt = models.CharField(
        _("Alternativtext des Fotos"),
        max_length=250,
        blank=True,
        help_text=_("Was ist auf dem Foto zu sehen? Für Menschen, die es nicht sehen können."),
    )
    photo_is_decorative = models.BooleanField(
        _("Das Foto ist nur Schmuck"), default=False, help_text=_("Dann lesen Screenreader es nicht vor.")
    )
    handlungsfeld = models.ForeignKey(
        "volunteering.Handlungsfeld",
        verbose_name=_("Handlungsfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kommune = models.ForeignKey(
        "volunteering.Kommune",
        verbose_name=_("Stadt oder Gemeinde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("portrayed_name"), FieldPanel("portrayed_user")], heading=_("Porträtierte Person")
        ),
        FieldPanel("quote"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("portrait"), FieldPanel("photo_alt"), FieldPanel("photo_is_decorative")],
            heading=_("Foto"),
        ),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("handlungsfeld"), FieldPanel("kommune")], heading=_("Schlagworte")),
        InlinePanel("consents", heading=_("Einwilligung der Person"), min_num=1, label=_("Einwilligung")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("quote"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []
    base_form_class = StoryPageForm

    class Meta:
        verbose_name = _("Geschichte")
        verbose_name_plural = _("Geschichten")

    def clean(self):
        super().clean()
        if self.portrait and not self.photo_alt.strip() and not self.photo_is_decorative:
            raise ValidationError(
                {"photo_alt": _("Beschreiben Sie das Foto, oder markieren Sie es als reinen Schmuck.")}
            )

    @property
    def has_consent(self) -> bool:
        return any(consent.revoked_at is None for consent in self.consents.all())

    def delete_portrait(self) -> None:
        """Deletes the portrait of this story and its translations, from the pages and every revision; the
        files go after commit (a rollback keeps them). Used on revocation and erasure."""
        from django.db import transaction
        from wagtail.models import Revision

        from cms.private_files import portrait_delete

        pages = StoryPage.objects.filter(translation_key=self.translation_key)
        names = {name for name in pages.values_list("portrait", flat=True) if name}
        page_ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
        for revision in Revision.page_revisions.filter(object_id__in=page_ids):
            if revision.content.get("portrait"):
                names.add(revision.content["portrait"])
                revision.content["portrait"] = ""
                revision.save(update_fields=["content"])
        pages.update(portrait="")
        self.portrait = ""
        for name in names:
            transaction.on_commit(lambda name=name: portrait_delete(name))

    def portrait_url(self) -> str:
        """Returns the address of the portrait (changes with the file, so browsers never show an old one)."""
        from django.urls import reverse

        if not self.portrait:
            return ""
        return reverse(
            "story_portrait", kwargs={"pk": self.pk, "name": self.portrait.name.rsplit("/", 1)[-1]}
        )


class StoryConsent(Orderable):
    """The portrayed person's consent to the story: who gave it, when, for what; revoking unpublishes."""

    class Scope(models.TextChoices):
        WEBSITE = "website", _("Nur diese Website")
        WEBSITE_PRINT = "website_print", _("Website und gedruckte Materialien")
        ALL = "all", _("Website, Druck und soziale Medien")

    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("Einwilligung gegeben von"), max_length=120)
    given_at = models.DateField(_("Einwilligung gegeben am"))
    scope = models.CharField(_("Umfang"), max_length=16, choices=Scope, default=Scope.WEBSITE)
    recorded_by = models.CharField(_("Aufgenommen von"), max_length=120, blank=True)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)

    panels = [
        FieldPanel("given_by"),
        FieldPanel("given_at"),
        FieldPanel("scope"),
        FieldPanel("recorded_by"),
        FieldPanel("revoked_at", read_only=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
