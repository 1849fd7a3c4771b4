"""Forms of the organisation area and of the coordinators' organisation screens.

Forms validate; they write nothing. Views hand `cleaned_data` to a service whose keyword parameters
name exactly what may change, so extra POST keys (status, verified, owner …) have nowhere to go.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from volunteering.models import CoordinatorRole, Kommune, MembershipRole, Organisation, User

# Control characters and bidirectional overrides have no place in plain text; an override can make a
# name read differently from what it is.
FORBIDDEN_CHARACTERS = {chr(code) for code in range(32)} - {"\n", "\r", "\t"} | {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}
TEXT_FIELDS = ("name", "description", "phone")


def reject_control_characters(value: str) -> str:
    if any(character in FORBIDDEN_CHARACTERS for character in value):
        raise ValidationError(_("Der Text enthält unzulässige Steuerzeichen."))
    return value


class OrganisationForm(forms.ModelForm):
    """What an organisation says about itself, at registration and later."""

    kommunen = forms.ModelMultipleChoiceField(
        queryset=Kommune.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("In diesen Kommunen ist Ihre Organisation tätig"),
        help_text=_("Die Koordination dieser Kommunen prüft Ihre Angaben."),
        error_messages={"required": _("Bitte wählen Sie mindestens eine Kommune.")},
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("Zum Beispiel https://www.beispiel-verein.de"),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "is_mso",
            "kommunen",
            "description",
            "email",
            "phone",
            "website",
            "response_deadline_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "response_deadline_days": forms.NumberInput(attrs={"min": 1, "max": 14, "inputmode": "numeric"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "description": _(
                "Was macht Ihre Organisation, und wobei freuen Sie sich über Unterstützung? "
                "Bitte nennen Sie hier keine Daten von Klientinnen und Klienten."
            ),
            "email": _("Diese Adresse steht auf Ihrer öffentlichen Seite."),
        }

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            value = cleaned.get(name)
            if value:
                try:
                    reject_control_characters(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def service_arguments(self) -> dict:
        """Returns the cleaned values under the names the organisation services take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=MembershipRole.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir schicken einen Link, der 14 Tage gilt."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        widget=forms.RadioSelect,
        help_text=_("Die Verwaltung kann Angaben ändern und weitere Personen einladen."),
    )


# --- Coordination (Wagtail admin) --------------------------------------------------------------------
class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Hinweis an die Organisation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bei einer Ablehnung nötig: Was muss die Organisation ändern?"),
    )

    def clean_note(self) -> str:
        return reject_control_characters(self.cleaned_data["note"])


class CoordinatorRoleEditForm(forms.ModelForm):
    kommunen = forms.ModelMultipleChoiceField(
        queryset=Kommune.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Kommunen"),
        help_text=_("Nur nötig, wenn die Rolle nicht für den ganzen Kreis gilt."),
    )

    class Meta:
        model = CoordinatorRole
        fields = ["whole_district", "kommunen"]

    def __init__(self, *args, for_user=None, **kwargs):
        # Wagtail's views pass the acting user; this form does not need it.
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("whole_district") and not cleaned.get("kommunen"):
            self.add_error("kommunen", _("Wählen Sie mindestens eine Kommune oder „Für den ganzen Kreis“."))
        return cleaned


class CoordinatorRoleCreateForm(CoordinatorRoleEditForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        help_text=_("Die Person muss schon ein Konto mit dieser Adresse haben."),
    )

    class Meta(CoordinatorRoleEditForm.Meta):
        fields = ["email", "whole_district", "kommunen"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("Es gibt kein aktives Konto mit dieser Adresse."))
        if hasattr(user, "coordinator_role"):
            raise ValidationError(_("Diese Person hat schon eine Koordinationsrolle. Bearbeiten Sie diese."))
        self.cleaned_data["user"] = user
        return email
