"""Forms of the letters: the public verification form and the release-time request."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Prüfcode"),
        max_length=40,
        help_text=_("16 Zeichen, zum Beispiel 7QX2-M9KD-4RTA-JH3P. Groß- und Kleinschreibung ist egal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    # Left empty by people; bots fill every field.
    homepage = forms.CharField(required=False, label=_("Bitte leer lassen"))


class ReleaseRequestForm(forms.Form):
    source = forms.ChoiceField(label=_("Wofür brauchen Sie die Freistellung?"))
    employer = forms.CharField(
        label=_("Name des Arbeitgebers (freiwillig)"),
        max_length=160,
        required=False,
        help_text=_("Erscheint als Empfänger des Schreibens. Sie können das Feld leer lassen."),
    )
    starts_on = forms.DateField(
        label=_("Von (bei einem Engagement)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Bis (bei einem Engagement)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    times = forms.CharField(
        label=_("Uhrzeiten (bei einem Engagement, freiwillig)"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel: dienstags 14–16 Uhr."),
    )

    def __init__(self, *args, sources: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources

    def clean(self):
        data = super().clean()
        source = data.get("source", "")
        if source.startswith("engagement:") and not (data.get("starts_on") and data.get("ends_on")):
            raise forms.ValidationError(_("Bitte geben Sie für ein Engagement an, von wann bis wann."))
        for key in ("employer", "times"):
            data[key] = (data.get(key) or "").replace("\x00", "").strip()
        return data
