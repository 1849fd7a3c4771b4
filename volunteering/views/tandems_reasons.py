"""Words for the reason codes of tandem matching (volunteering.matching.tandems documents the codes).

A suggestion's reasons become short phrases ("spricht Ukrainisch", "4 km", "Dienstag, abends"), an
unmatched request's reasons a full sentence ("Im Umkreis von 25 km spricht niemand Tigrinya.").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from volunteering.models import ActivityType, Handlungsfeld, Language
from volunteering.selectors.matching import slot_label


class TandemReasonWords:
    """Turns reason codes into text in the active language (reference data is read once per instance)."""

    def __init__(self) -> None:
        self._languages: dict[str, str] | None = None
        self._topics: dict[str, str] | None = None

    def language(self, code: str) -> str:
        if self._languages is None:
            self._languages = {language.code: language.localized_name for language in Language.objects.all()}
        return self._languages.get(code, code)

    def _topic(self, key: str) -> str:
        if self._topics is None:
            topics = {f"activity:{a.slug}": a.localized_name for a in ActivityType.objects.all()}
            topics.update({f"field:{f.slug}": f.localized_name for f in Handlungsfeld.objects.all()})
            self._topics = topics
        return self._topics.get(key, key.partition(":")[2])

    @staticmethod
    def _km(value) -> str:
        km = float(value)
        if km < 1:
            return _("weniger als 1 km")
        return _("%(km)s km") % {"km": number_format(round(km))}

    def phrase(self, code: str, value) -> str:
        """Returns a short phrase for one reason of a suggestion."""
        if code == "language":
            return _("spricht %(language)s") % {"language": self.language(str(value))}
        if code == "distance":
            return _("%(distance)s entfernt") % {"distance": self._km(value)}
        if code == "slot":
            return slot_label(str(value))
        if code == "interest":
            return _("Interesse: %(topic)s") % {"topic": self._topic(str(value))}
        if code == "intergenerational":
            return _("generationenübergreifend, wie gewünscht")
        if code == "similar_age":
            return _("ungefähr gleich alt, wie gewünscht")
        if code == "waiting":
            days = int(float(value))
            return ngettext("wartet seit %(days)s Tag", "wartet seit %(days)s Tagen", days) % {"days": days}
        return str(value)

    def phrases(self, reasons: Iterable[Sequence]) -> list[str]:
        return [self.phrase(code, value) for code, value in reasons]

    def _languages_of(self, codes: str) -> str:
        names = [self.language(code) for code in codes.split("+") if code]
        if len(names) <= 1:
            return names[0] if names else ""
        return _("%(first)s oder %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}

    def sentence(self, code: str, value) -> str:
        """Returns the sentence that says why a request has no partner."""
        if code == "no_location":
            return _("Für diese Anfrage ist kein Ort bekannt.")
        if code == "no_usable_language":
            return _("Die Anfrage nennt keine Sprache auf dem Niveau B1 oder besser.")
        if code == "no_one_within":
            return _("Im Umkreis von %(km)s km gibt es niemanden, der Tandems anbietet und Platz hat.") % {
                "km": number_format(value)
            }
        if code == "no_language_within":
            codes, _sep, km = str(value).partition(":")
            return _("Im Umkreis von %(km)s km spricht niemand %(languages)s.") % {
                "km": number_format(km or 0),
                "languages": self._languages_of(codes),
            }
        if code == "nearest_speaker_km":
            return _("Die nächste Person, die die Sprache spricht, wohnt %(distance)s entfernt.") % {
                "distance": self._km(value)
            }
        if code == "no_tandem_type":
            return _("Von den Passenden bietet niemand „%(type)s“ an.") % {
                "type": self._topic(f"activity:{value}")
            }
        if code == "no_slot":
            return _("Von den Passenden hat niemand zu den gewünschten Zeiten Zeit.")
        if code == "no_gender_match":
            return _("Der Wunsch zum Geschlecht passt bei niemandem von ihnen.")
        if code == "no_efz_for_minor":
            return _(
                "Ein Kind ist beteiligt, und niemand von ihnen hat ein gültiges erweitertes Führungszeugnis."
            )
        if code == "no_capacity":
            count = int(value or 0)
            return ngettext(
                "Die %(count)s passende Person hat schon so viele Tandems, wie sie möchte.",
                "Alle %(count)s passenden Personen haben schon so viele Tandems, wie sie möchten.",
                count,
            ) % {"count": count}
        if code == "taken_by_better_match":
            count = int(value or 0)
            return ngettext(
                "Die %(count)s passende Person ist in diesem Lauf einer anderen Anfrage zugeordnet.",
                "Alle %(count)s passenden Personen sind in diesem Lauf anderen Anfragen zugeordnet.",
                count,
            ) % {"count": count}
        return _("Kein Vorschlag möglich.")

    def sentences(self, reasons: Iterable[Sequence]) -> list[str]:
        return [self.sentence(code, value) for code, value in reasons]


TERM_LABELS = {
    "language": gettext_lazy("Sprache"),
    "distance": gettext_lazy("Entfernung"),
    "slots": gettext_lazy("Zeit"),
    "interests": gettext_lazy("Interessen"),
    "intergenerational": gettext_lazy("Generationen"),
    "similar_age": gettext_lazy("Alter"),
    "waiting": gettext_lazy("Wartezeit"),
}
