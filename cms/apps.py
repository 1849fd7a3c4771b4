from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Inhalte")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import (
            notification_kinds,  # noqa: F401  (registers the taster message kinds)
            signals,  # noqa: F401  (purges the page cache when pages change)
        )
        from cms.cache import offer_seats_changed
        from volunteering.services.tasters import on_seats_changed

        # A booking, waitlist place or cancellation purges the cached views of the offer's pages.
        on_seats_changed(offer_seats_changed)
