"""Forms of the training pages: the public filter of sessions."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from volunteering.forms_needs import LocalizedModelChoiceField
from volunteering.models import Handlungsfeld, Kommune, Language


class SessionFilterForm(forms.Form):
    """The public list (GET). Parameter names are German and short, so that links can be shared."""

    show_optional_marker = False

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
    sprache = LocalizedModelChoiceField(
        label=_("Sprache der Schulung"),
        queryset=Language.objects.filter(
            Q(trainings__isnull=False) | Q(training_sessions__isnull=False)
        ).distinct(),
        to_field_name="code",
        required=False,
        empty_label=_("– alle –"),
    )
    ab = forms.DateField(
        label=_("Ab dem"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    format = forms.ChoiceField(
        label=_("Vor Ort oder online"),
        choices=[("", _("– beide –")), ("online", _("online")), ("vor-ort", _("vor Ort"))],
        required=False,
    )
