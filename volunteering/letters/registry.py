"""The kinds of letters the platform issues: kind → template, title, and the fields the letter states.

A module that adds a kind calls `register(LetterKind(...))` at import time and is imported from an app's
`ready()` (the volunteering kinds: volunteering/letters/kinds.py). The service checks every issued letter
against its kind, the PDF template renders the stated fields, and the public verification page shows the
same fields with the same labels — and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise


class FieldType(StrEnum):
    TEXT = "text"  # one line
    PARAGRAPH = "paragraph"  # several lines of text
    DATE = "date"  # an ISO date, shown as "12. März 2026"
    LINES = "lines"  # a list of lines (e.g. the dates of a course)


@dataclass(frozen=True)
class StatedField:
    """One fact a letter states, with the label under which the letter and the verification page show it."""

    key: str
    label: str | Promise
    type: FieldType = FieldType.TEXT
    required: bool = True


@dataclass(frozen=True)
class LetterKind:
    name: str  # stored in IssuedLetter.kind, e.g. "training_certificate"
    title: str | Promise  # the letter's heading, e.g. "Teilnahmebescheinigung"
    template: str  # e.g. "letters/training_certificate.html"
    fields: tuple[StatedField, ...]
    description: str | Promise = ""
    # Keys that the verification page shows; all stated fields unless narrowed (never more).
    verify_keys: tuple[str, ...] | None = field(default=None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def verification_fields(self) -> tuple[StatedField, ...]:
        if self.verify_keys is None:
            return self.fields
        return tuple(f for f in self.fields if f.key in self.verify_keys)


_KINDS: dict[str, LetterKind] = {}


def register(kind: LetterKind) -> LetterKind:
    """Adds `kind`; registering the same name twice is a programming error."""
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"Letter kind {kind.name!r} is already registered.")
    if len(set(kind.keys)) != len(kind.keys):
        raise ValueError(f"Letter kind {kind.name!r} states a field twice.")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def get(name: str) -> LetterKind:
    """Returns the kind called `name`; raises LookupError for an unknown kind."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Unknown letter kind {name!r}.") from None


def kinds() -> Iterator[LetterKind]:
    return iter(_KINDS.values())
