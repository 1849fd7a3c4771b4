from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Ebene"), choices=[("h2", _("Ebene 2")), ("h3", _("Ebene 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "cms/blocks/heading_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    link_page = blocks.PageChooserBlock(label=_("Ziel-Seite"), required=False)
    link_url = blocks.URLBlock(label=_("Oder Adresse"), required=False)
    link_label = blocks.CharBlock(label=_("Beschriftung des Knopfes"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Handlungsaufruf")
        template = "cms/blocks/call_to_action_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Absatz"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    call_to_action = CallToActionBlock()
