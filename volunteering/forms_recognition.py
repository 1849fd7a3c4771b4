"""Forms of recognition: hours (several lines, no JavaScript needed), decisions, thanks, certificates."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from volunteering.models import Competency, EngagementCertificate, RecognitionSettings
from volunteering.models.recognition import MAX_MINUTES_PER_ENTRY
from volunteering.services.recognition import MAX_ENTRIES_PER_CALL, HoursLine

FREE_TEXT_HINT = _("Bitte keine Angaben zu Gesundheit, Religion, Herkunft oder Aufenthaltsstatus.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HoursLineForm(forms.Form):
    worked_on = forms.DateField(label=_("Datum"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Dauer in Stunden"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.25")),
            MaxValueValidator(Decimal(MAX_MINUTES_PER_ENTRY / 60)),
        ],
        help_text=_("Zum Beispiel 1,5 für anderthalb Stunden."),
        localize=True,  # "1,5" in German, "1.5" everywhere
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Kurze Notiz (freiwillig)"), max_length=200, required=False, help_text=FREE_TEXT_HINT
    )

    def line(self) -> HoursLine:
        minutes = int((self.cleaned_data["hours"] * 60).to_integral_value())
        return HoursLine(
            worked_on=self.cleaned_data["worked_on"], minutes=minutes, note=self.cleaned_data["note"]
        )


class BaseHoursFormSet(forms.BaseFormSet):
    def lines(self) -> list[HoursLine]:
        return [form.line() for form in self.forms if form.has_changed() and form.cleaned_data]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(_("Bitte tragen Sie mindestens einen Termin mit Dauer ein."))


HoursFormSet = forms.formset_factory(
    HoursLineForm,
    formset=BaseHoursFormSet,
    extra=3,
    max_num=MAX_ENTRIES_PER_CALL,
    validate_max=True,
    absolute_max=MAX_ENTRIES_PER_CALL,
)


class HoursDecisionForm(forms.Form):
    """The bulk form of the organisation: which entries, confirm or reject, and a reason for rejections."""

    ACTIONS = [("confirm", _("Bestätigen")), ("reject", _("Ablehnen"))]

    entries = forms.TypedMultipleChoiceField(coerce=int, choices=[], label=_("Einträge"))
    action = forms.ChoiceField(choices=ACTIONS, label=_("Aktion"))
    reason = forms.CharField(
        label=_("Grund bei Ablehnung"), max_length=300, required=False, help_text=FREE_TEXT_HINT
    )

    def __init__(self, *args, entry_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, str(pk)) for pk in entry_ids]
        self.fields["entries"].error_messages["required"] = _(
            "Bitte wählen Sie mindestens einen Eintrag aus."
        )
        self.fields["entries"].error_messages["invalid_choice"] = _(
            "Ein ausgewählter Eintrag wartet nicht mehr auf eine Entscheidung."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Bitte schreiben Sie kurz, warum Sie die Stunden nicht bestätigen."))
        return cleaned


class ThanksForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Dankestext"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leer lassen: Dann geht der Standardtext in der Sprache der Person raus."),
    )
    signature = forms.CharField(label=_("Unterschrift"), max_length=200)


class RecognitionSettingsForm(forms.ModelForm):
    class Meta:
        model = RecognitionSettings
        fields = ["allowance_kind", "allowance_eur_per_year", "years_before_platform", "public_badges"]


class EngagementCertificateForm(forms.ModelForm):
    competencies = forms.MultipleChoiceField(
        label=_("Kompetenzen (auf Wunsch)"),
        choices=Competency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EngagementCertificate
        fields = [
            "area",
            "period_from",
            "period_to",
            "scope",
            "description",
            "tasks",
            "competencies",
            "thanks",
        ]
        widgets = {
            "period_from": DateInput(),
            "period_to": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "thanks": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("Das Ende des Zeitraums muss nach dem Beginn liegen."))
        return cleaned


class NominationForm(forms.Form):
    text = forms.CharField(
        label=_("Warum soll über diese Person erzählt werden?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=FREE_TEXT_HINT,
    )
