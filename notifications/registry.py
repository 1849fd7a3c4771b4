"""The declarative table of message kinds and categories: every notification the platform sends is one row.

A domain app describes its messages in one module (for example `volunteering/notification_kinds.py`,
imported from its `AppConfig.ready()`), and calls `notify(...)` / `schedule(...)` with the kind's name and
the ids the message is about. Rows and task payloads hold only those ids; the `context` callable turns
them into template context at send time, so a message always shows current data and never a copy of
personal data taken at scheduling time.

Example (a domain app; `notifications` itself never imports the domain)::

    # volunteering/notification_kinds.py
    from notifications.registry import Gone, MessageKind, register


    def _application(refs):
        from volunteering.models import Application

        application = Application.objects.filter(pk=refs["application"]).select_related("need").first()
        if application is None:
            raise Gone  # the application was deleted: the message is cancelled, not retried
        return {"application": application, "url": application.get_absolute_url()}


    register(
        MessageKind(
            name="application.received",
            category="essential",
            context=_application,
            description="Eine Organisation erhält eine neue Bewerbung.",
        )
    )

With no explicit templates, a kind named "application.received" renders
`templates/emails/application/received_subject.txt` (one line), `…/received.txt` (the body) and, if it
exists, `…/received.html` (which extends `emails/layout.html`); otherwise the text is placed into the
common HTML layout. The in-app inbox shows the subject and the text. The templates are written in German
with `{% translate %}` / `{% blocktranslate %}` and rendered in the recipient's language. Besides the
kind's own context, every template gets `recipient_name`, `platform_name`, `site_url`,
`preferences_url` and, for optional categories, `unsubscribe_url`; a `url` in the context becomes the
link of the in-app entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMAIL = "email"
INAPP = "inapp"
CHANNELS = (EMAIL, INAPP)

ESSENTIAL = "essential"

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
REF_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class Gone(Exception):
    """Raised by a `context` callable when the object a message is about no longer exists.

    The notification is then cancelled instead of retried: there is nothing left to tell.
    """


@dataclass(frozen=True)
class Category:
    """A group of kinds a person can switch off or bundle into a digest; `essential` ones always arrive."""

    name: str
    label: str | Promise
    description: str | Promise = ""

    @property
    def is_essential(self) -> bool:
        return self.name == ESSENTIAL


def _no_context(refs: Mapping[str, int]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class MessageKind:
    """One kind of message: who may switch it off (category), how it travels, what it says."""

    name: str
    category: str = ESSENTIAL
    channels: tuple[str, ...] = (EMAIL, INAPP)
    context: Callable[[Mapping[str, int]], dict[str, Any]] = _no_context
    subject_template: str = ""
    text_template: str = ""
    html_template: str = ""
    description: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not NAME_PATTERN.match(self.name):
            raise ValueError(
                f"A message kind needs a dotted lower-case name like 'area.event', not {self.name!r}."
            )
        unknown = set(self.channels) - set(CHANNELS)
        if not self.channels or unknown:
            raise ValueError(f"The channels of {self.name} must be some of {CHANNELS}.")
        # Templates default to a path derived from the name: "application.received" →
        # emails/application/received{_subject.txt,.txt,.html}.
        base = "emails/" + self.name.replace(".", "/")
        if not self.subject_template:
            object.__setattr__(self, "subject_template", f"{base}_subject.txt")
        if not self.text_template:
            object.__setattr__(self, "text_template", f"{base}.txt")
        if not self.html_template:
            object.__setattr__(self, "html_template", f"{base}.html")

    @property
    def is_essential(self) -> bool:
        return self.category == ESSENTIAL


_categories: dict[str, Category] = {}
_kinds: dict[str, MessageKind] = {}


def register_category(category: Category) -> Category:
    """Adds a category (idempotent for an identical definition); returns it."""
    existing = _categories.get(category.name)
    if existing is not None and existing != category:
        raise ValueError(f"The notification category {category.name!r} is already registered differently.")
    _categories[category.name] = category
    return category


def register(kind: MessageKind) -> MessageKind:
    """Adds a message kind to the table (idempotent for an identical definition); returns it."""
    if kind.category not in _categories:
        raise ValueError(f"The message kind {kind.name} names an unknown category {kind.category!r}.")
    existing = _kinds.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"The message kind {kind.name} is already registered with another definition.")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Removes a kind (for tests that register their own)."""
    _kinds.pop(name, None)


def get(name: str) -> MessageKind:
    """Returns the kind called `name`; raises LookupError for a kind nobody registered."""
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No message kind called {name!r} is registered.") from None


def get_category(name: str) -> Category:
    """Returns the category called `name`; raises LookupError for an unknown one."""
    try:
        return _categories[name]
    except KeyError:
        raise LookupError(f"No notification category called {name!r} is registered.") from None


def kinds() -> Iterator[MessageKind]:
    """Returns every registered kind, sorted by name."""
    return iter(sorted(_kinds.values(), key=lambda kind: kind.name))


def optional_categories() -> list[Category]:
    """Returns the categories a person may switch off or bundle, in registration order."""
    return [category for category in _categories.values() if not category.is_essential]


def validate_refs(refs: Mapping[str, int]) -> dict[str, int]:
    """Returns `refs` as a plain dict after checking it holds only named integer ids."""
    cleaned: dict[str, int] = {}
    for key, value in refs.items():
        if not isinstance(key, str) or not REF_PATTERN.match(key):
            raise ValueError(f"Reference names must be lower-case identifiers, not {key!r}.")
        # bool is an int subclass, but True is never an id.
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"References hold ids only; {key!r} is not an integer.")
        cleaned[key] = value
    return cleaned


register_category(
    Category(ESSENTIAL, _("Wichtige Nachrichten"), _("Nachrichten zu Ihrem Konto und Ihren Zusagen."))
)
register_category(Category("reminders", _("Erinnerungen"), _("Erinnerungen an Termine und Fristen.")))
register_category(Category("news", _("Neuigkeiten"), _("Neue passende Einsätze und Angebote.")))
register_category(Category("recognition", _("Anerkennung"), _("Dank und Meilensteine Ihres Engagements.")))
