"""System checks: every registered message kind has the templates it needs."""

from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from notifications import registry


@checks.register(checks.Tags.templates)
def check_message_kind_templates(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Returns an error for each kind whose subject or text template is missing."""
    errors = []
    for kind in registry.kinds():
        for template_name in (kind.subject_template, kind.text_template):
            try:
                get_template(template_name)
            except TemplateDoesNotExist:
                errors.append(
                    checks.Error(
                        f"The message kind {kind.name} needs the template {template_name}.",
                        id="notifications.E001",
                    )
                )
    return errors
