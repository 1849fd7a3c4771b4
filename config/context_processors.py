from django.conf import settings
from django.utils import translation


def platform(request):
    """Returns what every page needs to know about the platform and the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "MAILBOX_ENABLED": settings.MAILBOX_ENABLED,
        "LANGUAGE_DIRECTION": "rtl" if translation.get_language_bidi() else "ltr",
        "ACTIVE_LANGUAGE": language,
    }
