"""Rendering a notification in one language: subject, plain text, HTML and the link of the in-app entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template import Context
from django.template.loader import get_template, select_template
from django.urls import reverse
from django.utils import translation

from notifications import registry
from notifications.models import Notification
from notifications.services.preferences import unsubscribe_token

DIGEST_KIND = "notifications.digest"


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str  # the kind's own text (the in-app entry)
    text: str  # the plain-text email: body and footer (empty unless rendered for email)
    html: str  # the HTML email (empty unless rendered for email)
    url: str
    language: str
    unsubscribe_url: str


def _render_text(template_name: str, context: dict[str, Any]) -> str:
    # Subjects and plain-text bodies are not HTML: rendered without autoescaping, a name like
    # "O'Neill" stays as typed instead of becoming "O&#x27;Neill".
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _base_context(notification: Notification, language: str) -> dict[str, Any]:
    user = notification.recipient if notification.recipient_id else None
    category = registry.get_category(notification.category)
    unsubscribe_url = ""
    if user is not None and not category.is_essential:
        token = unsubscribe_token(user_id=user.pk, category=category.name)
        unsubscribe_url = _absolute(reverse("notifications:unsubscribe", args=[token]))
    return {
        "recipient_name": (user.first_name if user else "") or "",
        "platform_name": settings.PLATFORM_NAME,
        "site_url": settings.SITE_URL,
        "language": language,
        "language_bidi": language in settings.LANGUAGES_BIDI,
        "category": category,
        "preferences_url": _absolute(reverse("notifications:preferences")) if user else "",
        "inbox_url": _absolute(reverse("notifications:inbox")) if user else "",
        "unsubscribe_url": unsubscribe_url,
    }


def render(notification: Notification, *, language: str | None = None, email: bool = True) -> RenderedMessage:
    """Returns the message in `language` (default: the recipient's); the kind's context loads the data now.

    Raises registry.Gone (or a DoesNotExist) when the object the message is about no longer exists.
    """
    language = language or notification.resolved_language
    kind = registry.get(notification.kind)
    with translation.override(language):
        context = _base_context(notification, language)
        if notification.kind == DIGEST_KIND:
            context["items"] = _digest_items(notification, language)
        context.update(kind.context(notification.refs))
        subject = " ".join(_render_text(kind.subject_template, context).split())
        body = _render_text(kind.text_template, context).strip()
        text = html = ""
        if email:
            text = _render_text("emails/layout.txt", {**context, "body": body}).strip()
            template = select_template([kind.html_template, "emails/layout.html"])
            html = template.render({**context, "subject": subject, "body": body})
    return RenderedMessage(
        subject=subject,
        body=body,
        text=text,
        html=html,
        url=str(context.get("url", "")),
        language=language,
        unsubscribe_url=context["unsubscribe_url"],
    )


def _digest_items(digest: Notification, language: str) -> list[RenderedMessage]:
    items = []
    for item in digest.bundled.filter(status=Notification.Status.BUNDLED).order_by("due_at", "pk"):
        try:
            items.append(render(item, language=language, email=False))
        except (registry.Gone, ObjectDoesNotExist, LookupError):
            continue  # its object is gone: leave it out of the digest
    if not items:
        raise registry.Gone
    return items
