"""Renders an issued letter: HTML from templates/letters/<kind>.html (extending letters/base.html), then
PDF with WeasyPrint. Always in German: the letters go to employers and German authorities."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from volunteering.letters import registry
from volunteering.letters.codes import grouped
from volunteering.letters.registry import FieldType, LetterKind
from volunteering.models import District, IssuedLetter

LETTER_LANGUAGE = "de"


def display_value(value, field_type: str) -> str | list[str]:
    """Returns a stated value as the letter prints it (dates in German, lists as lines)."""
    if value in (None, "", []):
        return ""
    if field_type == FieldType.DATE:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        return date_format(day, "j. F Y")
    if field_type == FieldType.LINES:
        return [str(line) for line in value]
    return str(value)


def stated_rows(kind: LetterKind, stated: dict, *, for_verification: bool = False) -> list[dict]:
    """Returns the stated fields in the kind's order as rows of label, value and type (empty: left out)."""
    fields = kind.verification_fields() if for_verification else kind.fields
    rows = []
    for field in fields:
        value = display_value(stated.get(field.key), field.type)
        if value in ("", []):
            continue
        rows.append({"key": field.key, "label": field.label, "value": value, "type": str(field.type)})
    return rows


def verification_url(letter: IssuedLetter) -> str:
    return settings.SITE_URL + reverse("letters:verify", args=[grouped(letter.code)])


def letter_context(letter: IssuedLetter) -> dict:
    kind = registry.get(letter.kind)
    district = District.objects.order_by("pk").first()
    return {
        "letter": letter,
        "kind": kind,
        "stated": letter.stated,
        "rows": {row["key"]: row for row in stated_rows(kind, letter.stated)},
        "row_list": stated_rows(kind, letter.stated),
        "district_name": district.name if district else "",
        "platform_name": settings.PLATFORM_NAME,
        "code": grouped(letter.code),
        "verify_url": verification_url(letter),
        "verify_base_url": settings.SITE_URL + reverse("letters:verify_form"),
        "issued_on": date_format(timezone.localtime(letter.issued_at).date(), "j. F Y"),
    }


def render_html(letter: IssuedLetter) -> str:
    """Returns the letter as HTML (the PDF's source)."""
    kind = registry.get(letter.kind)
    with translation.override(LETTER_LANGUAGE):
        return render_to_string(kind.template, letter_context(letter))


def render_pdf(letter: IssuedLetter) -> bytes:
    """Returns the letter as a PDF document."""
    from weasyprint import HTML  # imported here: loading Pango costs time at start-up

    html = render_html(letter)
    # The templates embed everything (CSS inline, fonts installed on the machine): the renderer must never
    # fetch a URL, not even one a stated value might smuggle in.
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError("Letters do not load external resources.")
