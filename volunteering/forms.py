"""Forms validate input; they send no mail and write nothing (services do)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models import (
    ActivityType,
    ConsentKind,
    EngagementForm,
    Gender,
    Handlungsfeld,
    Language,
    LanguageLevel,
    PartnerGenderWish,
    TargetGroup,
)
from volunteering.models.people import DAYPARTS, SLOTS, WEEKDAYS
from volunteering.models.places import postcode_validator

SENSITIVE_WARNING = _(
    "Bitte schreiben Sie hier nichts über Gesundheit, Religion, Herkunft oder Aufenthaltsstatus – "
    "weder über sich noch über andere. Das brauchen wir nicht."
)
CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\n", "\r", "\t"} | {
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
}


def clean_text(value: str) -> str:
    """Rejects control characters and direction overrides that have no place in plain text."""
    if any(character in CONTROL_CHARACTERS for character in value):
        raise ValidationError(_("Der Text enthält unzulässige Steuerzeichen."))
    return value.strip()


class SignupForm(forms.Form):
    """The fields allauth's sign-up form gets in addition to email and password."""

    birth_year = forms.IntegerField(
        label=_("Geburtsjahr"),
        help_text=_("Nur das Jahr. Unter 16 Jahren bestätigt ein Elternteil die Anmeldung per E-Mail."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    parent_email = forms.EmailField(
        label=_("E-Mail-Adresse eines Elternteils"),
        required=False,
        help_text=_("Nur nötig, wenn Sie jünger als 16 Jahre sind."),
    )
    accept_terms = forms.BooleanField(
        label=_("Ich habe die Nutzungsbedingungen und die Datenschutzerklärung gelesen und stimme zu."),
        error_messages={"required": _("Ohne Ihre Zustimmung können wir kein Konto anlegen.")},
    )
    accept_contact = forms.BooleanField(
        label=_("Organisationen dürfen mich zu passenden Einsätzen ansprechen (jederzeit widerrufbar)."),
        required=False,
    )

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not this_year - 110 <= year <= this_year - 12:
            raise ValidationError(
                _("Bitte geben Sie ein Geburtsjahr zwischen %(first)s und %(last)s an."),
                params={"first": this_year - 110, "last": this_year - 12},
            )
        return year

    def clean(self):
        data = super().clean()
        year = data.get("birth_year")
        if year and timezone.localdate().year - year <= 16 and not data.get("parent_email"):
            self.add_error(
                "parent_email",
                _("Unter 16 Jahren brauchen wir die E-Mail-Adresse eines Elternteils."),
            )
        email = (self.data.get("email") or "").strip().lower()
        if email and email == (data.get("parent_email") or "").lower():
            self.add_error(
                "parent_email", _("Bitte geben Sie die Adresse eines Elternteils an, nicht Ihre eigene.")
            )
        return data

    @property
    def consent_kinds(self) -> list[str]:
        kinds = [ConsentKind.TERMS]
        if self.cleaned_data.get("accept_contact"):
            kinds.append(ConsentKind.CONTACT)
        return kinds

    def signup(self, request, user) -> None:
        """Called by allauth; the account adapter does the writing (see adapters.py)."""


class PlaceForm(forms.Form):
    display_name = forms.CharField(
        label=_("Wie sollen wir Sie nennen?"), max_length=80, help_text=_("Zum Beispiel Ihr Vorname.")
    )
    postcode = forms.CharField(
        label=_("Postleitzahl"),
        max_length=5,
        validators=[postcode_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        help_text=_("Auch wenn Sie außerhalb des Kreises wohnen."),
    )
    travel_radius_km = forms.TypedChoiceField(
        label=_("So weit würde ich fahren"),
        coerce=int,
        choices=[
            (2, _("bis 2 km")),
            (5, _("bis 5 km")),
            (10, _("bis 10 km")),
            (25, _("bis 25 km")),
            (50, _("bis 50 km")),
        ],
        initial=10,
    )

    def clean_display_name(self) -> str:
        return clean_text(self.cleaned_data["display_name"])


class LocalizedChoiceField(forms.ModelMultipleChoiceField):
    """Shows reference data (fields, activity types) in the visitor's language."""

    def label_from_instance(self, obj) -> str:
        return obj.localized_name


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.localized_name
        return name if name == obj.native_name else f"{name} – {obj.native_name}"


LEVEL_CHOICES = [("", _("– bitte wählen –")), *LanguageLevel.choices]


class LanguageRowForm(forms.Form):
    language = LanguageChoiceField(
        label=_("Sprache"), queryset=Language.objects.all(), required=False, empty_label=_("– keine –")
    )
    level = forms.TypedChoiceField(label=_("Niveau"), choices=LEVEL_CHOICES, coerce=int, required=False)

    def clean(self):
        data = super().clean()
        if data.get("language") and not data.get("level"):
            self.add_error("level", _("Bitte wählen Sie, wie gut Sie diese Sprache sprechen."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data["language"] for form in self.forms if form.cleaned_data.get("language")]
        if not chosen:
            raise ValidationError(_("Bitte nennen Sie mindestens eine Sprache, zum Beispiel Deutsch."))
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("Jede Sprache bitte nur einmal angeben."))

    @property
    def languages(self) -> list[tuple[Language, int]]:
        return [
            (f.cleaned_data["language"], f.cleaned_data["level"])
            for f in self.forms
            if f.cleaned_data.get("language")
        ]


LanguageFormSet = forms.formset_factory(
    LanguageRowForm, formset=BaseLanguageFormSet, extra=0, min_num=4, max_num=8, validate_max=True
)


class InterestsForm(forms.Form):
    handlungsfelder = LocalizedChoiceField(
        label=_("Diese Themen interessieren mich"),
        queryset=Handlungsfeld.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    activity_types = LocalizedChoiceField(
        label=_("Das würde ich gern tun"),
        queryset=ActivityType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Mit diesen Menschen arbeite ich gern"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.CharField(
        label=_("Was ich gut kann"),
        required=False,
        max_length=300,
        help_text=_("Durch Kommas getrennt, zum Beispiel: Kochen, Fußball, Mathe, Fahrrad reparieren."),
    )

    def clean_skills(self) -> list[str]:
        text = clean_text(self.cleaned_data["skills"])
        skills = [part.strip() for part in text.split(",") if part.strip()]
        if any(len(skill) > 40 for skill in skills):
            raise ValidationError(_("Bitte jede Fähigkeit in höchstens 40 Zeichen."))
        return list(dict.fromkeys(skills))[:15]

    def clean(self):
        data = super().clean()
        if not data.get("handlungsfelder") and not data.get("activity_types"):
            raise ValidationError(_("Bitte wählen Sie mindestens ein Thema oder eine Tätigkeit."))
        return data


class TimeForm(forms.Form):
    availability = forms.MultipleChoiceField(
        label=_("Wann haben Sie meistens Zeit?"),
        choices=[(slot, slot) for slot in SLOTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours_per_week = forms.TypedChoiceField(
        label=_("Wie viele Stunden pro Woche etwa?"),
        coerce=int,
        choices=[
            (1, _("1 Stunde")),
            (2, _("2 Stunden")),
            (4, _("3–5 Stunden")),
            (8, _("mehr als 5 Stunden")),
        ],
    )
    engagement_forms = forms.MultipleChoiceField(
        label=_("Wie möchten Sie sich engagieren?"),
        choices=EngagementForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    tandem_capacity = forms.TypedChoiceField(
        label=_("Wie viele Tandems oder Patenschaften übernehmen Sie gleichzeitig?"),
        coerce=int,
        choices=[(0, _("keine")), (1, _("eins")), (2, _("zwei")), (3, _("drei"))],
        initial=1,
        required=False,
        empty_value=1,
        help_text=_("Nur wichtig, wenn Sie bei den Tätigkeiten eine Patenschaft angekreuzt haben."),
    )
    partner_gender_wish = forms.ChoiceField(
        label=_("Im Tandem wünsche ich mir als Partner*in"),
        choices=[("", _("egal")), *PartnerGenderWish.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    weekdays = WEEKDAYS
    dayparts = DAYPARTS


class AboutForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Ich bin"),
        choices=[("", _("keine Angabe")), *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Freiwillig. Manche Menschen wünschen sich im Tandem eine Frau oder einen Mann."),
    )
    motivation = forms.CharField(
        label=_("Was bewegt Sie, mitzumachen?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=SENSITIVE_WARNING,
    )

    def clean_motivation(self) -> str:
        return clean_text(self.cleaned_data["motivation"])


class PauseForm(forms.Form):
    paused_until = forms.DateField(
        label=_("Ich bin wieder da am"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bis dahin schicken wir Ihnen keine Anfragen."),
    )

    def clean_paused_until(self):
        day = self.cleaned_data["paused_until"]
        today = timezone.localdate()
        if day <= today:
            raise ValidationError(_("Bitte wählen Sie ein Datum in der Zukunft."))
        if (day - today).days > 366:
            raise ValidationError(_("Eine Pause kann höchstens ein Jahr dauern."))
        return day


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto und alle meine Daten endgültig löschen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.")},
    )
