"""Forms of the eFZ record: the three facts the law allows, and who inspected. No free text, no upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.models import EfzInspector, Kommune


class EfzRecordForm(forms.Form):
    certificate_date = forms.DateField(
        label=_("Ausstellungsdatum des Führungszeugnisses"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Das Führungszeugnis darf bei der Einsicht höchstens drei Monate alt sein."),
    )
    relevant_entry = forms.TypedChoiceField(
        label=_("Enthält es einen Eintrag, der nach § 72a SGB VIII relevant ist?"),
        choices=[("no", _("Nein")), ("yes", _("Ja"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    inspected_by = forms.ChoiceField(label=_("Eingesehen durch"), choices=EfzInspector.choices)
    kommune = forms.ModelChoiceField(
        label=_("Kommune (wenn eine Kommune eingesehen hat)"), queryset=Kommune.objects.none(), required=False
    )
    inspected_on = forms.DateField(label=_("Eingesehen am"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kommunen=None, allow_organisation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = kommunen if kommunen is not None else Kommune.objects.all()
        if not allow_organisation:
            self.fields["inspected_by"].choices = [(EfzInspector.KOMMUNE, EfzInspector.KOMMUNE.label)]


class CoordinatorEfzRecordForm(EfzRecordForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der freiwilligen Person"),
        help_text=_("Die Person muss in einer Ihrer Kommunen wohnen."),
    )
    field_order = ["email"]
