"""The letters of the volunteering domain (issue 8): training certificate, release-time request for an
employer, and the organisation's confirmation for a free eFZ. Imported from VolunteeringConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from volunteering.letters.registry import FieldType, LetterKind, StatedField, register

TRAINING_CERTIFICATE = register(
    LetterKind(
        name="training_certificate",
        title=_("Teilnahmebescheinigung"),
        template="letters/training_certificate.html",
        description=_("Bescheinigt die Teilnahme an einer Schulung, mit Terminen, Umfang und Inhalten."),
        fields=(
            StatedField("name", _("Name")),
            StatedField("training", _("Schulung")),
            StatedField("content", _("Inhalte"), FieldType.PARAGRAPH),
            StatedField("dates", _("Besuchte Termine"), FieldType.LINES),
            StatedField("hours", _("Umfang")),
            StatedField("place", _("Ort"), required=False),
            StatedField("trainer", _("Referent*in"), required=False),
            StatedField("qualification", _("Erworbene Qualifikation"), required=False),
            StatedField("qualification_validity", _("Gültigkeit der Qualifikation"), required=False),
            StatedField("responsible", _("Verantwortlich")),
        ),
    )
)

RELEASE_REQUEST = register(
    LetterKind(
        name="release_request",
        title=_("Bitte um Freistellung für ein Ehrenamt"),
        template="letters/release_request.html",
        description=_(
            "Bittet den Arbeitgeber, die Person für eine Schulung oder ein Engagement freizustellen."
        ),
        fields=(
            StatedField("name", _("Name")),
            StatedField("employer", _("Arbeitgeber"), required=False),
            StatedField("occasion", _("Anlass")),
            StatedField("activity", _("Schulung bzw. Engagement")),
            StatedField("organisation", _("Veranstaltet von")),
            StatedField("times", _("Termine"), FieldType.LINES),
            StatedField("purpose", _("Gemeinnütziger Zweck"), FieldType.PARAGRAPH),
        ),
    )
)

EFZ_CONFIRMATION = register(
    LetterKind(
        name="efz_confirmation",
        title=_("Bestätigung zur Vorlage bei der Meldebehörde"),
        template="letters/efz_confirmation.html",
        description=_(
            "Bestätigt, dass die Person für eine ehrenamtliche Tätigkeit ein erweitertes Führungszeugnis "
            "braucht (Gebührenbefreiung)."
        ),
        fields=(
            StatedField("name", _("Name")),
            StatedField("organisation", _("Organisation")),
            StatedField("organisation_contact", _("Kontakt der Organisation"), required=False),
            StatedField("activity", _("Ehrenamtliche Tätigkeit")),
            StatedField("purpose", _("Zweck"), FieldType.PARAGRAPH),
        ),
    )
)
