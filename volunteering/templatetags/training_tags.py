"""Qualifications on need pages, in the application flow and on applications (reads only)."""

from django import template

from volunteering.selectors.trainings import (
    missing_for_applicant,
    missing_qualifications,
    required_qualifications,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def missing_qualifications_for(context, need):
    """The qualifications the need requires that the signed-in person lacks (all for visitors), each with
    the next sessions granting it."""
    request = context.get("request")
    return missing_qualifications(need=need, user=getattr(request, "user", None))


@register.simple_tag
def qualifications_required_by(need):
    return required_qualifications(need)


@register.simple_tag
def applicant_missing_qualifications(application):
    """For the organisation: what the applicant does not (validly) hold."""
    return missing_for_applicant(need=application.need, volunteer=application.volunteer)
