"""Per-person delivery preferences and the signed, login-free unsubscribe links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from notifications import registry
from notifications.models import NotificationPreference

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
Delivery = NotificationPreference.Delivery


def delivery_for(*, user_id: int, category: str) -> str:
    """Returns how the person wants `category`: essential is always immediate; otherwise their choice for
    the category, else their choice for all optional categories, else immediate."""
    if category == registry.ESSENTIAL:
        return Delivery.IMMEDIATE
    choices = dict(
        NotificationPreference.objects.filter(user_id=user_id, category__in=[category, ""]).values_list(
            "category", "delivery"
        )
    )
    return choices.get(category) or choices.get("") or Delivery.IMMEDIATE


@transaction.atomic
def preference_set(*, user_id: int, category: str, delivery: str) -> NotificationPreference:
    """Stores how the person wants an optional category delivered; returns the preference."""
    if category and registry.get_category(category).is_essential:
        raise ValueError("Essential messages cannot be switched off or bundled.")
    if delivery not in Delivery.values:
        raise ValueError(f"{delivery!r} is not a delivery choice.")
    preference = NotificationPreference.objects.filter(user_id=user_id, category=category).first()
    preference = preference or NotificationPreference(user_id=user_id, category=category)
    preference.delivery = delivery
    preference.full_clean(validate_unique=False, validate_constraints=False)
    preference.save()
    return preference


def unsubscribe_token(*, user_id: int, category: str) -> str:
    """Returns a signed, timestamped token naming one account and one category (no address in it)."""
    return signing.dumps([user_id, category], salt=UNSUBSCRIBE_SALT)


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    category: registry.Category


class ExpiredLink(Exception):
    """The unsubscribe link was genuine but is older than NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS."""


class InvalidLink(Exception):
    """The unsubscribe link was not issued by us, was altered, or names nothing that exists."""


def unsubscribe_read(token: str) -> UnsubscribeRequest:
    """Returns what a token unsubscribes; raises ExpiredLink or InvalidLink."""
    max_age = timedelta(days=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS)
    try:
        user_id, category_name = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except (signing.BadSignature, TypeError, ValueError):
        raise InvalidLink from None
    try:
        category = registry.get_category(category_name)
    except (LookupError, TypeError):
        raise InvalidLink from None
    if category.is_essential or not isinstance(user_id, int):
        raise InvalidLink
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        raise InvalidLink
    return UnsubscribeRequest(user_id=user_id, category=category)


def preference_unsubscribe(*, token: str) -> UnsubscribeRequest:
    """Switches off the category named by a valid token for its person only; returns what was switched off."""
    request = unsubscribe_read(token)
    preference_set(user_id=request.user_id, category=request.category.name, delivery=Delivery.OFF)
    return request
