"""Forms of applications: they validate input and write nothing (the services do)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.models import ApplicationStatus

SENSITIVE_HINT = _(
    "Bitte schreiben Sie nichts über Religion, Gesundheit, Herkunft oder Aufenthaltsstatus – das braucht "
    "hier niemand."
)


def _clean_text(value: str) -> str:
    # NUL bytes cannot be stored in PostgreSQL text and are never meant; reject instead of failing later.
    if "\x00" in value:
        raise forms.ValidationError(_("Der Text enthält ein unzulässiges Zeichen."))
    return value.strip()


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Ihre Nachricht an die Organisation"),
        help_text=_("Ein paar Sätze genügen: warum Sie das interessiert und wann Sie Zeit haben. ")
        + SENSITIVE_HINT,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        required=False,
    )

    def clean_message(self) -> str:
        return _clean_text(self.cleaned_data["message"])


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Nachricht"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=SENSITIVE_HINT,
    )

    def clean_body(self) -> str:
        body = _clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Bitte schreiben Sie eine Nachricht."))
        return body


class ContactForm(MessageForm):
    """The organisation's first answer: a message that moves the application to "in contact"."""


class DeclineForm(forms.Form):
    body = forms.CharField(
        label=_("Begründung oder Gruß (freiwillig)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )

    def clean_body(self) -> str:
        return _clean_text(self.cleaned_data["body"])


class AcceptForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Beginn"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ende (falls schon bekannt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise forms.ValidationError(_("Das Ende kann nicht vor dem Beginn liegen."))
        return cleaned


class InboxFilterForm(forms.Form):
    need = forms.TypedChoiceField(label=_("Einsatzmöglichkeit"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *ApplicationStatus.choices]
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("alle")), *[(need.pk, need.title) for need in needs]]


class AnswerTemplateForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=80)
    body = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"])

    def clean_body(self) -> str:
        return _clean_text(self.cleaned_data["body"])
