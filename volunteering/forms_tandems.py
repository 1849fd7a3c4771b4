"""Tandem forms: the newcomer's request (public and coordinator intake), the volunteer's answers, the
coordinator's lifecycle steps. They validate only; services write."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from volunteering.forms import SENSITIVE_WARNING, LanguageFormSet, LocalizedChoiceField, clean_text
from volunteering.models import (
    ActivityType,
    AgeGroupWish,
    ConsentRecordedBy,
    ContactMethod,
    DeclineReason,
    EndReason,
    Gender,
    Kommune,
    MeetingFrequency,
    Mood,
    PartnerGenderWish,
    Rating,
    SupportWish,
)
from volunteering.models.people import DAYPARTS, SLOTS, WEEKDAYS
from volunteering.models.places import postcode_validator
from volunteering.services.tandems import RequestDetails

PHONE = re.compile(r"^\+?[0-9 ()/\-]{6,30}$")


class TandemTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.localized_name


class TandemRequestForm(forms.Form):
    """What a newcomer (or their adviser) tells us. Minimal on purpose: nothing about residence status,
    religion or health."""

    requester = forms.ChoiceField(
        label=_("Wer füllt das Formular aus?"),
        choices=[
            (ConsentRecordedBy.SELF, _("Ich suche selbst eine Patin, einen Paten oder ein Tandem.")),
            (ConsentRecordedBy.ADVISER, _("Ich berate oder begleite die Person und fülle es für sie aus.")),
        ],
        widget=forms.RadioSelect,
        initial=ConsentRecordedBy.SELF,
    )
    alias = forms.CharField(
        label=_("Vorname oder Spitzname"),
        max_length=60,
        help_text=_("Ein Vorname oder ein Spitzname genügt."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Telefonnummer"),
        required=False,
        max_length=30,
        help_text=_("E-Mail-Adresse oder Telefonnummer: Eines von beiden brauchen wir."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postcode = forms.CharField(
        label=_("Postleitzahl"),
        required=False,
        max_length=5,
        validators=[postcode_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    kommune = forms.ModelChoiceField(
        label=_("Stadt oder Gemeinde"),
        queryset=Kommune.objects.all(),
        required=False,
        help_text=_("Postleitzahl oder Ort: Eines von beiden genügt."),
    )
    radius_km = forms.TypedChoiceField(
        label=_("So weit kann ich fahren"),
        coerce=int,
        choices=[(2, _("bis 2 km")), (5, _("bis 5 km")), (10, _("bis 10 km")), (25, _("bis 25 km"))],
        initial=10,
    )
    tandem_type = TandemTypeField(
        label=_("Was wünschen Sie sich?"),
        queryset=ActivityType.objects.filter(is_tandem=True).order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    interests = LocalizedChoiceField(
        label=_("Das interessiert mich auch"),
        queryset=ActivityType.objects.filter(is_tandem=False).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("Wann haben Sie meistens Zeit?"),
        choices=[(slot, slot) for slot in SLOTS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte kreuzen Sie mindestens eine Zeit an.")},
    )
    gender = forms.ChoiceField(
        label=_("Ich bin"),
        choices=[("", _("keine Angabe")), *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    partner_gender_wish = forms.ChoiceField(
        label=_("Meine Patin oder mein Pate soll sein"),
        choices=[("", _("egal")), *PartnerGenderWish.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    age_group_wish = forms.ChoiceField(
        label=_("Alter der Patin oder des Paten"),
        choices=AgeGroupWish.choices,
        initial=AgeGroupWish.ANY,
        widget=forms.RadioSelect,
    )
    birth_year = forms.IntegerField(
        label=_("Geburtsjahr"),
        required=False,
        help_text=_("Freiwillig. Nur wenn Sie sich eine ältere oder jüngere Person wünschen."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    involves_minor = forms.BooleanField(
        label=_("Ein Kind oder eine jugendliche Person unter 18 Jahren ist dabei."), required=False
    )
    contact_language = forms.ChoiceField(
        label=_("In dieser Sprache möchte ich Nachrichten bekommen"), choices=settings.LANGUAGES
    )
    consent = forms.BooleanField(
        error_messages={"required": _("Ohne Ihre Einwilligung können wir die Anfrage nicht bearbeiten.")}
    )
    # A field people never see; bots fill it in (see the template). Named plainly so that bots do.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)

    weekdays = WEEKDAYS
    dayparts = DAYPARTS

    def __init__(self, *args, consent_text=None, intake: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.intake = intake
        self.languages = LanguageFormSet(self.data or None, prefix="languages")
        self.fields["contact_language"].initial = get_language() or settings.LANGUAGE_CODE
        self.fields["consent"].label = (
            consent_text.localized_text if consent_text else _("Ich bin einverstanden.")
        )
        if intake:
            self.fields["requester"].choices = [
                (ConsentRecordedBy.COORDINATOR, _("Die Person hat im Gespräch mit mir eingewilligt."))
            ]
            self.fields["requester"].initial = ConsentRecordedBy.COORDINATOR
            self.fields["consent"].label = _(
                "Ich habe der Person den Einwilligungstext in ihrer Sprache gezeigt oder vorgelesen, "
                "und sie ist einverstanden."
            )
            del self.fields["website"]

    def clean_alias(self) -> str:
        return clean_text(self.cleaned_data["alias"])

    def clean_phone(self) -> str:
        phone = clean_text(self.cleaned_data["phone"])
        if phone and not PHONE.match(phone):
            raise ValidationError(_("Bitte geben Sie nur Ziffern, Leerzeichen und + / - ( ) ein."))
        return phone

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not this_year - 110 <= year <= this_year:
            raise ValidationError(
                _("Bitte geben Sie ein Geburtsjahr zwischen %(first)s und %(last)s an."),
                params={"first": this_year - 110, "last": this_year},
            )
        return year

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an."))
        if not data.get("postcode") and not data.get("kommune") and "postcode" not in self.errors:
            self.add_error("postcode", _("Bitte geben Sie Ihre Postleitzahl an oder wählen Sie Ihren Ort."))
        return data

    def is_valid(self) -> bool:
        languages_valid = self.languages.is_valid()
        return super().is_valid() and languages_valid

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            alias=data["alias"],
            email=data["email"],
            phone=data["phone"],
            postcode=data["postcode"],
            kommune=data["kommune"],
            radius_km=data["radius_km"],
            tandem_type=data["tandem_type"],
            interests=list(data["interests"]),
            availability=data["availability"],
            languages=self.languages.languages,
            gender=data["gender"],
            partner_gender_wish=data["partner_gender_wish"],
            age_group_wish=data["age_group_wish"],
            birth_year=data["birth_year"],
            involves_minor=data["involves_minor"],
            contact_language=data["contact_language"],
        )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Warum passt es nicht?"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )


class CheckInForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Wie oft haben Sie sich in den letzten Wochen getroffen?"),
        choices=MeetingFrequency.choices,
        widget=forms.RadioSelect,
    )
    mood = forms.ChoiceField(label=_("Wie läuft das Tandem?"), choices=Mood.choices, widget=forms.RadioSelect)
    support = forms.ChoiceField(
        label=_("Brauchen Sie Unterstützung von der Koordination?"),
        choices=SupportWish.choices,
        widget=forms.RadioSelect,
    )


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Wie war das Tandem für Sie?"), choices=Rating.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Möchten Sie noch etwas sagen?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SENSITIVE_WARNING,
    )

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data["comment"])


# --- Coordinator steps ----------------------------------------------------------------------------------
class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Wie wurde die Person erreicht?"), choices=ContactMethod.choices, widget=forms.RadioSelect
    )


class MeetingForm(forms.Form):
    first_meeting_at = forms.DateTimeField(
        label=_("Datum und Uhrzeit des ersten Treffens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    first_meeting_place = forms.CharField(
        label=_("Ort des ersten Treffens"),
        max_length=200,
        help_text=_("Ein neutraler, öffentlicher Ort, zum Beispiel ein Café oder das Integrationsbüro."),
    )

    def clean_first_meeting_place(self) -> str:
        return clean_text(self.cleaned_data["first_meeting_place"])


class ChangeEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Neues vereinbartes Ende"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Die kurzen Rückmeldungen richten sich nach dem neuen Datum."),
    )


class ActivateForm(forms.Form):
    scope = forms.CharField(
        label=_("Vereinbarte Aufgaben und Grenzen"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SENSITIVE_WARNING,
    )
    ends_on = forms.DateField(label=_("Vereinbartes Ende"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_scope(self) -> str:
        return clean_text(self.cleaned_data["scope"])


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("Grund für das Ende"), choices=EndReason.choices)
    newcomer_rating = forms.TypedChoiceField(
        label=_("Wie fand die neue Person das Tandem?"),
        choices=[("", _("nicht gefragt")), *Rating.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    newcomer_comment = forms.CharField(
        label=_("Rückmeldung der neuen Person"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SENSITIVE_WARNING,
    )

    def clean_newcomer_comment(self) -> str:
        return clean_text(self.cleaned_data["newcomer_comment"])
