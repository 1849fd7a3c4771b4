from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Ehrenamt")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from volunteering import (
            notification_kinds,  # noqa: F401 - registers the domain's message kinds
            signals,  # noqa: F401 - keeps derived data in step with renamed names
        )
        from volunteering.letters import (
            kinds,  # noqa: F401 - registers the domain's letter kinds
            recognition_kinds,  # noqa: F401 - the letters of recognition
        )
