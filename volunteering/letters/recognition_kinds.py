"""The letters of recognition (issue 9): the hours confirmation for an Ehrenamtskarte NRW application and
the Engagementnachweis NRW. Imported from VolunteeringConfig.ready() (and by the recognition services)."""

from django.utils.translation import gettext_lazy as _

from volunteering.letters.registry import FieldType, LetterKind, StatedField, register

HOURS_CONFIRMATION = register(
    LetterKind(
        name="ehrenamtskarte_hours",
        title=_("Bestätigung der ehrenamtlichen Stunden"),
        template="letters/ehrenamtskarte_hours.html",
        description=_(
            "Die von einer Organisation bestätigten Stunden, für den Antrag auf die Ehrenamtskarte NRW."
        ),
        fields=(
            StatedField("name", _("Name")),
            StatedField("organisation", _("Organisation")),
            StatedField("activity", _("Tätigkeit")),
            StatedField("period_from", _("Zeitraum von"), FieldType.DATE),
            StatedField("period_to", _("Zeitraum bis"), FieldType.DATE),
            StatedField("hours_total", _("Bestätigte Stunden im Zeitraum")),
            StatedField("hours_per_year", _("Stunden je Jahr"), FieldType.LINES),
            StatedField("weekly_average", _("Durchschnitt pro Woche")),
            StatedField("allowance", _("Pauschale Aufwandsentschädigung (Angabe der Person)")),
        ),
    )
)

ENGAGEMENT_CERTIFICATE = register(
    LetterKind(
        name="engagementnachweis",
        title=_("Engagementnachweis"),
        template="letters/engagementnachweis.html",
        description=_("Würdigt ein Engagement: Organisation, Bereich, Zeitraum, Umfang, Tätigkeit und Dank."),
        fields=(
            StatedField("name", _("Name")),
            StatedField("organisation", _("Organisation")),
            StatedField("area", _("Tätigkeitsbereich")),
            StatedField("period_from", _("Zeitraum von"), FieldType.DATE),
            StatedField("period_to", _("Zeitraum bis"), FieldType.DATE),
            StatedField("scope", _("Umfang")),
            StatedField("confirmed_hours", _("Bestätigte Stunden"), required=False),
            StatedField("description", _("Beschreibung des Engagements"), FieldType.PARAGRAPH),
            StatedField("tasks", _("Aufgaben und Leistungen"), FieldType.PARAGRAPH, required=False),
            StatedField("competencies", _("Kompetenzen"), FieldType.LINES, required=False),
            StatedField("thanks", _("Dank"), FieldType.PARAGRAPH),
            StatedField("signed_by", _("Für die Organisation")),
        ),
    )
)
