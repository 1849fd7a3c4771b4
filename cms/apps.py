from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Inhalte")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import notification_kinds  # noqa: F401  (registers the taster message kinds)
