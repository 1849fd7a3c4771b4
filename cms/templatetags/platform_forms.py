"""Filters that give Django widgets the KERN-UX classes and accessible error references."""

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "kern-form-check__checkbox",
    "radioselect": "kern-form-check__radio",
    "checkboxselectmultiple": "kern-form-check__checkbox",
    "select": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
}


@register.filter
def widget_type(bound_field) -> str:
    """Returns the widget's class name in lower case without "input"/"widget" (e.g. "textarea")."""
    return bound_field.field.widget.__class__.__name__.lower().removesuffix("input").removesuffix("widget")


@register.filter
def kern_widget(bound_field):
    """Renders the field's widget with KERN classes and aria-describedby for its hint and errors."""
    kind = widget_type(bound_field)
    css = WIDGET_CLASSES.get(kind, "kern-form-input__input")
    attrs = {"class": css}
    if bound_field.errors:
        attrs["class"] += f" {css}--error"
        attrs["aria-invalid"] = "true"
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    described += [f"{bound_field.auto_id}_error_{n}" for n in range(1, len(bound_field.errors) + 1)]
    if described and kind not in ("radioselect", "checkboxselectmultiple"):
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)
