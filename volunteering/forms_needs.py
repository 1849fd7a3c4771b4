"""Forms of the need editor and of the public search. They validate; they write nothing.

`NeedForm.details()` hands the services a `NeedDetails` value naming exactly what may change, so extra POST
keys (status, organisation, expiry …) have nowhere to go. `NeedSearchForm.query()` turns GET parameters into
a `NeedQuery`; invalid parameters are reported and left out, never an error page.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.forms import clean_text
from volunteering.models import (
    ActivityType,
    Handlungsfeld,
    Kommune,
    Language,
    Need,
    Organisation,
    Postcode,
    Qualification,
    ScheduleKind,
)
from volunteering.models.people import DAYPARTS, SLOTS, WEEKDAYS
from volunteering.models.places import postcode_validator
from volunteering.selectors.needs import MAX_PAGE, SORT_DISTANCE, SORT_NEWEST, NeedQuery
from volunteering.services.needs import NeedDetails

TEXT_FIELDS = ("title", "description", "tasks", "limits", "place", "schedule_note", "time_commitment")
DATE_RANGE_YEARS = 3


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """Shows reference data (fields, activity types, languages) in the visitor's language."""

    def label_from_instance(self, obj) -> str:
        return obj.localized_name


class LocalizedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.localized_name


class NeedForm(forms.ModelForm):
    """What an organisation says about a need: tasks, limits, place, time, requirements."""

    handlungsfeld = LocalizedModelChoiceField(
        label=_("Handlungsfeld"), queryset=Handlungsfeld.objects.all(), empty_label=_("– bitte wählen –")
    )
    activity_type = LocalizedModelChoiceField(
        label=_("Tätigkeitsart"), queryset=ActivityType.objects.all(), empty_label=_("– bitte wählen –")
    )
    kommune = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Kommune.objects.none(), empty_label=_("– bitte wählen –")
    )
    schedule_kind = forms.ChoiceField(
        label=_("Zeitform"),
        choices=ScheduleKind.choices,
        widget=forms.RadioSelect,
        initial=ScheduleKind.RECURRING,
    )
    starts_at = forms.DateTimeField(
        label=_("Beginn (bei einmaligen Einsätzen)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ende (bei einmaligen Einsätzen)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    slots = forms.MultipleChoiceField(
        label=_("Wann (bei regelmäßigen Einsätzen)"),
        choices=[(slot, slot) for slot in SLOTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Gebrauchte Sprachen"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Sprachen, die im Einsatz helfen, zum Beispiel die Sprache der Familien."),
    )
    required_qualifications = LocalizedModelMultipleChoiceField(
        label=_("Nötige Qualifikationen"),
        queryset=Qualification.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Freiwillige sehen, welche Schulung ihnen fehlt, und können sie buchen."),
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "tasks",
            "limits",
            "handlungsfeld",
            "activity_type",
            "kommune",
            "place",
            "schedule_kind",
            "starts_at",
            "ends_at",
            "slots",
            "schedule_note",
            "hours_per_week",
            "time_commitment",
            "languages",
            "no_german_needed",
            "min_age",
            "efz_required",
            "training_required",
            "required_qualifications",
            "taster_possible",
            "volunteers_wanted",
            "contact_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "limits": forms.Textarea(attrs={"rows": 4}),
            "hours_per_week": forms.NumberInput(attrs={"min": 0, "max": 40, "inputmode": "numeric"}),
            "min_age": forms.NumberInput(attrs={"min": 12, "max": 99, "inputmode": "numeric"}),
            "volunteers_wanted": forms.NumberInput(attrs={"min": 1, "max": 200, "inputmode": "numeric"}),
        }
        help_texts = {
            "description": _(
                "Worum geht es, und für wen? Bitte nennen Sie keine Namen oder Daten von Klientinnen und "
                "Klienten."
            ),
            "tasks": _("Was Freiwillige konkret tun, zum Beispiel: mit zwei Kindern Hausaufgaben machen."),
            "contact_name": _("Wird auf der Seite des Einsatzes gezeigt."),
        }

    weekdays = WEEKDAYS
    dayparts = DAYPARTS

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = organisation.kommunen.all()
        self.fields["languages"].label_from_instance = lambda language: language.localized_name

    def clean(self):
        data = super().clean()
        for name in (*TEXT_FIELDS, "contact_name"):
            if isinstance(data.get(name), str):
                try:
                    data[name] = clean_text(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        now = timezone.now()
        for name in ("starts_at", "ends_at"):
            moment = data.get(name)
            if moment and not (now.year - 1 <= moment.year <= now.year + DATE_RANGE_YEARS):
                self.add_error(name, _("Bitte wählen Sie ein Datum in den nächsten drei Jahren."))
        return data

    def _post_clean(self):
        # The services validate the row (with the rules between fields); the form's copy stays untouched.
        pass

    def details(self) -> NeedDetails:
        data = self.cleaned_data
        return NeedDetails(
            title=data["title"],
            description=data["description"],
            tasks=data["tasks"],
            limits=data["limits"],
            handlungsfeld=data["handlungsfeld"],
            activity_type=data["activity_type"],
            kommune=data["kommune"],
            place=data.get("place") or "",
            schedule_kind=data["schedule_kind"],
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            slots=tuple(data.get("slots") or ()),
            schedule_note=data.get("schedule_note") or "",
            hours_per_week=data.get("hours_per_week"),
            time_commitment=data.get("time_commitment") or "",
            languages=tuple(data.get("languages") or ()),
            no_german_needed=bool(data.get("no_german_needed")),
            min_age=data["min_age"],
            efz_required=bool(data.get("efz_required")),
            training_required=bool(data.get("training_required")),
            required_qualifications=tuple(data.get("required_qualifications") or ()),
            taster_possible=bool(data.get("taster_possible")),
            volunteers_wanted=data["volunteers_wanted"],
            contact_name=data.get("contact_name") or "",
        )


# --- Search --------------------------------------------------------------------------------------------
SCHEDULE_PARAMETERS = {"einmalig": ScheduleKind.ONE_OFF, "regelmaessig": ScheduleKind.RECURRING}
RADIUS_CHOICES = [("", _("– beliebig –")), (5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km")]


class NeedSearchForm(forms.Form):
    """The public search (GET). Parameter names are German and short, so that links can be shared."""

    # Every filter is optional; marking each one so would only add noise.
    show_optional_marker = False

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200)
    ort = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Kommune.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("– alle –"),
    )
    feld = LocalizedModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("– alle –"),
    )
    taetigkeit = LocalizedModelChoiceField(
        label=_("Tätigkeit"),
        queryset=ActivityType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("– alle –"),
    )
    sprache = LocalizedModelChoiceField(
        label=_("Sprache im Einsatz"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("– alle –"),
    )
    form = forms.ChoiceField(
        label=_("Zeitform"),
        choices=[("", _("– beide –")), ("einmalig", _("einmalig")), ("regelmaessig", _("regelmäßig"))],
        required=False,
    )
    zeit = forms.MultipleChoiceField(
        label=_("Wann haben Sie Zeit?"),
        choices=[(slot, slot) for slot in SLOTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    schnuppern = forms.BooleanField(label=_("Schnuppern möglich"), required=False)
    unter18 = forms.BooleanField(label=_("Auch für Menschen unter 18"), required=False)
    ohne_deutsch = forms.BooleanField(label=_("Ohne Deutschkenntnisse möglich"), required=False)
    plz = forms.CharField(
        label=_("Ihre Postleitzahl"),
        required=False,
        max_length=5,
        validators=[postcode_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}),
    )
    umkreis = forms.TypedChoiceField(
        label=_("Umkreis"), choices=RADIUS_CHOICES, coerce=int, required=False, empty_value=None
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        choices=[(SORT_NEWEST, _("neueste zuerst")), (SORT_DISTANCE, _("nächste zuerst"))],
        required=False,
    )
    seite = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, widget=forms.HiddenInput)

    weekdays = WEEKDAYS
    dayparts = DAYPARTS

    def clean_q(self) -> str:
        return clean_text(self.cleaned_data["q"])

    def clean_plz(self) -> Postcode | None:
        code = self.cleaned_data["plz"]
        if not code:
            return None
        postcode = Postcode.objects.filter(code=code).select_related("kommune").first()
        if postcode is None:
            raise ValidationError(
                _("Diese Postleitzahl liegt nicht im Kreis. Bitte wählen Sie stattdessen eine Kommune.")
            )
        return postcode

    def clean(self):
        data = super().clean()
        if data.get("sortierung") == SORT_DISTANCE and not data.get("plz") and "plz" not in self.errors:
            self.add_error("plz", _("Für die Sortierung nach Entfernung brauchen wir Ihre Postleitzahl."))
        if data.get("umkreis") and not data.get("plz") and "plz" not in self.errors:
            self.add_error("plz", _("Für die Suche im Umkreis brauchen wir Ihre Postleitzahl."))
        return data

    @property
    def page(self) -> int:
        return (self.cleaned_data.get("seite") if hasattr(self, "cleaned_data") else None) or 1

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(value for name, value in data.items() if name not in ("seite", "sortierung"))

    def query(self, towns: tuple[Kommune, ...] = ()) -> NeedQuery:
        """Returns the search the valid parameters describe (invalid ones are left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        postcode = data.get("plz")
        origin = (postcode.kommune.latitude, postcode.kommune.longitude) if postcode else None
        return NeedQuery(
            text=data.get("q") or "",
            kommune=data.get("ort"),
            handlungsfeld=data.get("feld"),
            activity_type=data.get("taetigkeit"),
            language=data.get("sprache"),
            schedule_kind=SCHEDULE_PARAMETERS.get(data.get("form") or "", ""),
            taster_possible=bool(data.get("schnuppern")),
            slots=tuple(data.get("zeit") or ()),
            under_18=bool(data.get("unter18")),
            no_german_needed=bool(data.get("ohne_deutsch")),
            origin=origin,
            radius_km=data.get("umkreis") if origin else None,
            sort=data.get("sortierung") or SORT_NEWEST,
            towns=towns,
        )
