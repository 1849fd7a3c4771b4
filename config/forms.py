from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Renders forms and fields with the KERN-UX markup (labels, hints, errors tied to their inputs).

    Only the form and field layout templates change; widgets keep Django's templates, so the Wagtail
    and Django admin look as they always do.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
