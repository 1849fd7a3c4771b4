from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
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
    subpage_types = ["cms.StandardPage"]
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
