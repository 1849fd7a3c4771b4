"""Keeps stored derived data in step when the names it copies change.

A need's search text holds the names of its organisation, field, activity type and town (so that a search
for "Flüchtlingshilfe Verl" finds its needs); when one of them is renamed, the needs showing it get their
search text anew.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from volunteering.models import ActivityType, Handlungsfeld, Kommune, Need, Organisation

NEED_FIELD_BY_MODEL = {
    Organisation: "organisation",
    ActivityType: "activity_type",
    Handlungsfeld: "handlungsfeld",
    Kommune: "kommune",
}


@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=ActivityType)
@receiver(post_save, sender=Handlungsfeld)
@receiver(post_save, sender=Kommune)
def refresh_need_search_text(sender, instance, created: bool, update_fields=None, raw=False, **kwargs):
    if created or raw or (update_fields is not None and "name" not in update_fields):
        return
    from volunteering.services.needs import needs_refresh_search_text

    needs_refresh_search_text(Need.objects.filter(**{NEED_FIELD_BY_MODEL[sender]: instance}))
