"""The Atom feed of appreciation stories: live, public stories of the active language, newest first."""

from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cms.models import StoryIndexPage, StoryPage


class StoryFeed(Feed):
    feed_type = Atom1Feed
    title = _("Geschichten aus dem Ehrenamt")
    subtitle = _("Menschen, die sich für Neuzugewanderte engagieren, erzählen.")

    def link(self):
        index_page = (
            StoryIndexPage.objects.live().public().filter(locale__language_code=self._language()).first()
        )
        return index_page.url if index_page else f"/{self._language()}/"

    @staticmethod
    def _language() -> str:
        return translation.get_language() or "de"

    def items(self):
        return (
            StoryPage.objects.live()
            .public()
            .filter(locale__language_code=self._language())
            .order_by("-first_published_at")[:20]
        )

    def item_title(self, item: StoryPage) -> str:
        return item.title

    def item_description(self, item: StoryPage) -> str:
        return f"„{item.quote}“ – {item.intro}"

    def item_link(self, item: StoryPage) -> str:
        return item.url

    def item_pubdate(self, item: StoryPage):
        return item.first_published_at

    def item_updateddate(self, item: StoryPage):
        return item.last_published_at
