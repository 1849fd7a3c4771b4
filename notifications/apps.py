from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The engine's own kinds; domain apps import theirs from their own ready().
        from notifications import checks, notification_kinds  # noqa: F401
