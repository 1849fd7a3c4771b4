"""Demo tandems: open requests in several towns and languages (one in Tigrinya nobody within reach
speaks) and one running tandem of the demo volunteer (freiwillig@demo.example) whose first check-in is due.
Idempotent: requests are recognised by their demo address; nothing is created twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from notifications import clock
from volunteering.models import (
    ActivityType,
    ConsentRecordedBy,
    Kommune,
    Language,
    TandemRequest,
    User,
    VolunteerProfile,
)
from volunteering.services.tandems import (
    RequestDetails,
    current_tandem_consent_text,
    tandem_accept,
    tandem_activate,
    tandem_mark_contacted,
    tandem_plan_meeting,
    tandem_propose,
    tandem_request_submit,
)

COORDINATOR = "koordination@demo.example"
VOLUNTEER = "freiwillig@demo.example"

# (alias, email, town, languages, tandem type, interests, slots, contact language, radius)
OPEN_REQUESTS = [
    (
        "Mariia",
        "mariia.tandem@demo.example",
        "Rheda-Wiedenbrück",
        {"uk": 7, "ru": 6, "de": 2},
        "familienpatenschaft",
        ["freizeit-sport"],
        ["sat-afternoon", "sun-afternoon"],
        "uk",
        10,
    ),
    (
        "Ali",
        "ali.tandem@demo.example",
        "Rietberg",
        {"fa": 7, "de": 3},
        "ausbildungspatenschaft",
        ["bewerbungshilfe"],
        ["mon-morning", "wed-morning"],
        "fa",
        25,
    ),
    (
        "Amina",
        "amina.tandem@demo.example",
        "Verl",
        {"ar": 7, "de": 3},
        "sprachpatenschaft",
        ["sprachcafe"],
        ["tue-evening", "sat-morning"],
        "ar",
        10,
    ),
    (
        "Tesfay",
        "tesfay.tandem@demo.example",
        "Gütersloh",
        {"ti": 7, "de": 1},
        "sprachpatenschaft",
        [],
        ["mon-evening", "tue-evening", "thu-evening"],
        "en",
        25,
    ),
]

ACTIVE = (
    "Yusuf",
    "yusuf.tandem@demo.example",
    "Verl",
    {"ar": 7, "en": 4, "de": 2},
    "sprachpatenschaft",
    ["freizeit-sport"],
    ["thu-evening"],
    "ar",
    10,
)


def _details(row) -> RequestDetails:
    alias, email, town, languages, tandem_type, interests, slots, contact_language, radius = row
    return RequestDetails(
        alias=alias,
        email=email,
        phone="",
        postcode="",
        kommune=Kommune.objects.get(name=town),
        radius_km=radius,
        tandem_type=ActivityType.objects.get(slug=tandem_type),
        interests=list(ActivityType.objects.filter(slug__in=interests)),
        availability=slots,
        languages=[(Language.objects.get(code=code), level) for code, level in languages.items()],
        gender="",
        partner_gender_wish="",
        age_group_wish="any",
        birth_year=None,
        involves_minor=False,
        contact_language=contact_language,
    )


def _submit(row, *, recorded_by: str = ConsentRecordedBy.SELF) -> TandemRequest | None:
    if TandemRequest.objects.filter(email=row[1]).exists():
        return None
    return tandem_request_submit(
        details=_details(row), consent_recorded_by=recorded_by, consent_language=row[7]
    )


@transaction.atomic
def seed_tandems() -> None:
    """Creates the demo requests and the demo volunteer's running tandem (once)."""
    coordinator = User.objects.filter(email=COORDINATOR).first()
    volunteer = User.objects.filter(email=VOLUNTEER).first()
    if coordinator is None or volunteer is None or current_tandem_consent_text() is None:
        return
    # The demo volunteer can take two tandems: one runs, one more may be proposed.
    VolunteerProfile.objects.filter(user=volunteer).update(tandem_capacity=2)
    for index, row in enumerate(OPEN_REQUESTS):
        with clock.frozen(clock.now() - timedelta(days=40 - 9 * index)):
            _submit(row)
    started = clock.now() - timedelta(days=15)
    with clock.frozen(started - timedelta(days=10)):
        request = _submit(ACTIVE, recorded_by=ConsentRecordedBy.ADVISER)
    if request is None:
        return
    with clock.frozen(started - timedelta(days=7)):
        tandem = tandem_propose(request=request, volunteer=volunteer, actor=coordinator)
        tandem_accept(tandem=tandem, actor=volunteer)
        tandem_mark_contacted(tandem=tandem, actor=coordinator, method="coordinator")
        tandem_plan_meeting(
            tandem=tandem,
            actor=coordinator,
            at=started - timedelta(hours=2),
            place="Stadtbibliothek Verl, Lesecafé",
        )
    with clock.frozen(started):
        tandem_activate(
            tandem=tandem,
            actor=coordinator,
            scope="Deutsch im Alltag üben, einmal pro Woche eine Stunde; keine Behördengänge.",
            ends_on=(started + timedelta(days=180)).date(),
        )
