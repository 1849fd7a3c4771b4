from .people import User
from .places import District, Kommune, Postcode
from .taxonomy import ActivityType, Handlungsfeld, Language

__all__ = ["ActivityType", "District", "Handlungsfeld", "Kommune", "Language", "Postcode", "User"]
