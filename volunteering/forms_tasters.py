"""The organisation's proposal of a taster offer. It validates only; the service creates the draft page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models import Kommune, Language, Need, Organisation
from volunteering.selectors.needs import needs_of_organisation


class TasterProposalForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("Beginn"),
        help_text=_("Datum und Uhrzeit, z. B. 14.03.2027 17:00"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Ende"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Ort"), max_length=200, help_text=_("Adresse oder Treffpunkt."))
    kommune = forms.ModelChoiceField(label=_("Stadt oder Gemeinde"), queryset=Kommune.objects.none())
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=200, initial=6)
    what_to_expect = forms.CharField(label=_("Das erwartet Sie"), max_length=2000, widget=forms.Textarea)
    accessibility = forms.CharField(
        label=_("Barrierefreiheit des Ortes"), max_length=600, required=False, widget=forms.Textarea
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Gesprochene Sprachen"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    need = forms.ModelChoiceField(
        label=_("Führt zu dieser Einsatzmöglichkeit"), queryset=Need.objects.none(), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = organisation.kommunen.all() or Kommune.objects.all()
        self.fields["need"].queryset = needs_of_organisation(organisation)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("Der Beginn muss in der Zukunft liegen."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data
