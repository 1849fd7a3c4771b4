from .consents import Consent, ConsentKind, ConsentText
from .organisations import (
    LegalForm,
    MembershipRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
)
from .people import (
    EngagementForm,
    LanguageLevel,
    ParentalConsent,
    ProfileLanguage,
    ProfileStatus,
    TargetGroup,
    User,
    VolunteerProfile,
)
from .places import District, Kommune, Postcode
from .roles import AuditEntry, CoordinatorRole
from .taxonomy import ActivityType, Handlungsfeld, Language

__all__ = [
    "ActivityType",
    "AuditEntry",
    "Consent",
    "ConsentKind",
    "ConsentText",
    "CoordinatorRole",
    "District",
    "EngagementForm",
    "Handlungsfeld",
    "Kommune",
    "Language",
    "LanguageLevel",
    "LegalForm",
    "MembershipRole",
    "Organisation",
    "OrganisationInvitation",
    "OrganisationMembership",
    "OrganisationStatus",
    "ParentalConsent",
    "Postcode",
    "ProfileLanguage",
    "ProfileStatus",
    "TargetGroup",
    "User",
    "VolunteerProfile",
]
