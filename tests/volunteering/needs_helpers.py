"""Building needs for tests: through the services, as the editor would."""

from volunteering.models import ActivityType, Handlungsfeld, Kommune, Language, Need, Organisation, User
from volunteering.services.needs import NeedDetails, need_create


def details(**overrides) -> NeedDetails:
    """Returns plausible need details (Hausaufgabenhilfe in the organisation's first town by default)."""
    activity = ActivityType.objects.get(slug=overrides.pop("activity", "hausaufgabenhilfe"))
    languages = tuple(Language.objects.filter(code__in=overrides.pop("languages", ["ar"])))
    values = {
        "title": "Hausaufgabenhilfe für Grundschulkinder",
        "description": "Kinder aus geflüchteten Familien lernen nachmittags gemeinsam.",
        "tasks": "Mit zwei Kindern Hausaufgaben machen und vorlesen.",
        "limits": "Keine Nachhilfe in Fächern, die Sie nicht mögen; keine Fahrdienste.",
        "handlungsfeld": activity.handlungsfeld,
        "activity_type": activity,
        "kommune": Kommune.objects.get(name=overrides.pop("town", "Verl")),
        "slots": ("tue-afternoon", "thu-afternoon"),
        "languages": languages,
    }
    values.update(overrides)
    return NeedDetails(**values)


def make_need(organisation: Organisation, actor: User, *, publish: bool = False, **overrides) -> Need:
    return need_create(organisation=organisation, actor=actor, details=details(**overrides), publish=publish)


def verify(organisation: Organisation) -> Organisation:
    organisation.status = "verified"
    organisation.save(update_fields=["status"])
    return organisation


__all__ = ["Handlungsfeld", "details", "make_need", "verify"]
