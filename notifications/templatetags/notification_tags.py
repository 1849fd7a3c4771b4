from django import template
from django.urls import reverse

from notifications.selectors import inbox_unread_count

register = template.Library()


@register.inclusion_tag("notifications/includes/nav_item.html", takes_context=True)
def inbox_nav_item(context) -> dict:
    """Renders the navigation entry of the in-app inbox with the number of unread entries."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    request = context.get("request")
    return {
        "unread": inbox_unread_count(user=user),
        "active": request is not None and request.path == reverse("notifications:inbox"),
    }
