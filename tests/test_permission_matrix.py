"""Permission matrix (QUALITY.md 3 and 5): every object URL × every persona × GET and POST.

One row per (URL, persona, method) with the expected answer. Later issues extend `MATRIX` with their
URLs. The rules the rows encode:

- Signed-out visitors are sent to log in (site) or to the admin login (Wagtail); they change nothing.
- Signed-in people outside any organisation get 403 for the organisation area (the coarse rule of
  config/access.py answers before any object is looked up, so 403 says nothing about the object).
- Organisations the person does not belong to, or does not administer where that is needed, answer 404;
  so do organisations outside a coordinator's towns in the Wagtail admin.
- A POST that is not allowed leaves every row as it was. A POST that is allowed does what it should and
  ignores extra keys (`organisation`, `owner`, `is_staff`, `is_superuser`, `verified`, `status`).
- GET-only or POST-only views answer 405 to the other method, before any object is looked up.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from volunteering.models import (
    Attendance,
    Consent,
    CoordinatorRole,
    Kommune,
    MembershipRole,
    Need,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
    Registration,
    SavedNeed,
    Tandem,
    TandemRequest,
    TrainingCalendarToken,
    User,
    VolunteerProfile,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "volunteer",
    "org_admin",
    "org_member",
    "other_org_member",
    "town_coordinator_other_town",
    "coordinator",
)
SIGNED_IN = PERSONAS[1:]
MEMBERS = ("org_admin", "org_member", "other_org_member")
NON_MEMBERS = ("volunteer", "town_coordinator_other_town", "coordinator")
NOT_STAFF = ("volunteer", "org_admin", "org_member", "other_org_member")

# Expected answers. "login": 302 to the site login; "admin-login": 302 to the site login from the admin;
# "admin-denied": 302 to the Wagtail start page (Wagtail's answer to a missing permission);
# "done": the write happened and redirected (302); numbers are status codes.
LOGIN, ADMIN_LOGIN, ADMIN_DENIED, DONE = "login", "admin-login", "admin-denied", "done"
# "refused": the person may ask, but the rule says no (a draft of an unverified organisation cannot be
# published) or it is done already: 302 back to the page with the reason, and nothing changed.
REFUSED = "refused"
MASS_ASSIGNMENT = {
    "organisation": "{other_organisation}",
    "owner": "{other_org_member}",
    "is_staff": "1",
    "is_superuser": "1",
    "verified": "1",
    "status": "verified",
}


def answers(default=None, **by_persona) -> dict[str, object]:
    """Returns an answer for every persona: `default`, then the exceptions named by persona or group."""
    table = dict.fromkeys(PERSONAS, default)
    for key, answer in by_persona.items():
        group = {"members": MEMBERS, "non_members": NON_MEMBERS, "not_staff": NOT_STAFF}.get(key, (key,))
        for persona in group:
            table[persona] = answer
    return table


@dataclass(frozen=True)
class Url:
    name: str
    path: str  # formatted with the ids of the `world`
    get: dict
    post: dict
    data: tuple = ()  # the POST body (besides the mass-assignment keys)


ORGANISATION_AREA_GET = answers(403, anonymous=LOGIN, members=404, org_admin=200)
ORGANISATION_AREA_POST = answers(403, anonymous=LOGIN, members=404, org_admin=DONE)
GET_ONLY_FOR_MEMBERS = answers(403, anonymous=LOGIN, members=405)
WAGTAIL_GET = answers(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=200)
ROLES_GET = answers(ADMIN_LOGIN, town_coordinator_other_town=ADMIN_DENIED, coordinator=200)
ROLES_POST = answers(ADMIN_LOGIN, town_coordinator_other_town=ADMIN_DENIED, coordinator=DONE)

NEED_EDITOR_GET = answers(403, anonymous=LOGIN, other_org_member=404, org_admin=200, org_member=200)
NEED_EDITOR_POST = answers(403, anonymous=LOGIN, other_org_member=404, org_admin=DONE, org_member=DONE)
NEED_EDITOR_REFUSED = answers(
    403, anonymous=LOGIN, other_org_member=404, org_admin=REFUSED, org_member=REFUSED
)
NEED_EDITOR_POST_ONLY = answers(403, anonymous=LOGIN, other_org_member=405, org_admin=405, org_member=405)
NEED_DATA = (
    ("title", "Matrix-Einsatz"),
    ("description", "Beschreibung."),
    ("tasks", "Aufgaben."),
    ("limits", "Grenzen."),
    ("handlungsfeld", "{field}"),
    ("activity_type", "{activity}"),
    ("kommune", "{verl}"),
    ("schedule_kind", "recurring"),
    ("min_age", "16"),
    ("volunteers_wanted", "2"),
    ("action", "publish"),
)
# --- Needs: the editor of `organisation` (a draft; the organisation is not verified), a published need
# of `other_organisation`, bookmarks and recommendations.
NEED_ROWS = [
    Url(
        "needs:editor_list",
        "/de/organisation/{organisation}/bedarfe/",
        get=NEED_EDITOR_GET,
        post=NEED_EDITOR_POST_ONLY,
    ),
    Url(
        "needs:editor_create",
        "/de/organisation/{organisation}/bedarfe/neu/",
        get=NEED_EDITOR_GET,
        post=NEED_EDITOR_POST,
        data=NEED_DATA,
    ),
    Url(
        "needs:editor_edit",
        "/de/organisation/{organisation}/bedarfe/{need}/bearbeiten/",
        get=NEED_EDITOR_GET,
        post=NEED_EDITOR_POST,
        data=NEED_DATA,
    ),
    Url(
        "needs:editor_edit (need of another organisation)",
        "/de/organisation/{organisation}/bedarfe/{public_need}/bearbeiten/",
        get=answers(403, anonymous=LOGIN, members=404),
        post=answers(403, anonymous=LOGIN, members=404),
        data=NEED_DATA,
    ),
    Url(
        "needs:editor_publish",
        "/de/organisation/{organisation}/bedarfe/{need}/veroeffentlichen/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_REFUSED,
    ),
    Url(
        "needs:editor_pause",
        "/de/organisation/{organisation}/bedarfe/{need}/pausieren/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_REFUSED,
    ),
    Url(
        "needs:editor_fill",
        "/de/organisation/{organisation}/bedarfe/{need}/besetzt/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_REFUSED,
    ),
    Url(
        "needs:editor_review",
        "/de/organisation/{organisation}/bedarfe/{need}/bestaetigen/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_REFUSED,
    ),
    Url(
        "needs:editor_close",
        "/de/organisation/{organisation}/bedarfe/{need}/beenden/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_POST,
    ),
    Url(
        "needs:editor_close (need of another organisation)",
        "/de/organisation/{organisation}/bedarfe/{public_need}/beenden/",
        get=answers(403, anonymous=LOGIN, members=405),
        post=answers(403, anonymous=LOGIN, members=404),
    ),
    Url(
        "needs:editor_duplicate",
        "/de/organisation/{organisation}/bedarfe/{need}/duplizieren/",
        get=NEED_EDITOR_POST_ONLY,
        post=NEED_EDITOR_POST,
    ),
    Url("needs:search", "/de/einsaetze/?q=Matrix", get=answers(200), post=answers(405)),
    Url("needs:detail (published)", "/de/einsaetze/{public_need}/", get=answers(200), post=answers(405)),
    Url(
        "needs:detail (draft: a preview for members only)",
        "/de/einsaetze/{need}/",
        get=answers(404, org_admin=200, org_member=200),
        post=answers(405),
    ),
    Url(
        "needs:save",
        "/de/einsaetze/{public_need}/merken/",
        get=answers(405, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN, volunteer=REFUSED),  # the volunteer saved it already
    ),
    Url(
        "needs:save (draft)",
        "/de/einsaetze/{need}/merken/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN),
    ),
    Url(
        "needs:unsave (only the volunteer saved it)",
        "/de/einsaetze/{public_need}/nicht-mehr-merken/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, volunteer=DONE),
    ),
    Url(
        "needs:saved",
        "/de/mein-bereich/gemerkte-einsaetze/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "needs:recommendations",
        "/de/mein-bereich/passende-einsaetze/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
]

# --- Tandems: a newcomer's request in Verl with a proposal to the volunteer. Only the volunteer sees and
# answers it in Mein Bereich; in the admin, Harsewinkel's coordinator gets 404 for the request and tandem.
TANDEM_ROWS = [
    Url(
        "tandems:request",
        "/de/tandem/anfrage/",
        get=answers(200),
        post=answers(400),  # an empty form: errors, nothing stored
    ),
    Url(
        "tandems:mine",
        "/de/mein-bereich/tandems/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "tandems:mine_detail",
        "/de/mein-bereich/tandems/{tandem}/",
        get=answers(404, anonymous=LOGIN, volunteer=200),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "tandems:accept",
        "/de/mein-bereich/tandems/{tandem}/zusagen/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, volunteer=DONE),
    ),
    Url(
        "tandems:decline",
        "/de/mein-bereich/tandems/{tandem}/absagen/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, volunteer=DONE),
        data=(("reason", "no-time"),),
    ),
    Url(
        "tandems:check_in",
        "/de/mein-bereich/tandems/{tandem}/rueckmeldung/1/",
        get=answers(404, anonymous=LOGIN),  # the proposal has no check-ins yet
        post=answers(404, anonymous=LOGIN),
        data=(("frequency", "weekly"), ("mood", "good"), ("support", "no")),
    ),
    Url(
        "wagtail: tandem requests",
        "/admin/tandems/anfragen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: tandem request in Verl",
        "/admin/tandems/anfragen/{tandem_request}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: propose for the request in Verl",
        "/admin/tandems/anfragen/{tandem_request}/vorschlagen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        # The request has a live proposal already: refused with the reason, nothing changes.
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=REFUSED),
        data=(("volunteer", "{coordinator_id}"),),
    ),
    Url(
        "wagtail: withdraw the request in Verl",
        "/admin/tandems/anfragen/{tandem_request}/zurueckziehen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
    ),
    Url(
        "wagtail: tandem in Verl",
        "/admin/tandems/{tandem}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: cancel the tandem in Verl",
        "/admin/tandems/{tandem}/cancel/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
    ),
    Url(
        "wagtail: change the agreed end of the tandem in Verl (empty form)",
        "/admin/tandems/{tandem}/end_date/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=400),
    ),
    Url(
        "wagtail: tandem suggestions for the volunteer in Verl",
        "/admin/tandems/freiwillige/{verl_profile}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
]

# --- Trainings: a bookable session in Verl (the volunteer holds a seat) and a running one whose trainer is
# `org_member` (the volunteer attends). Coordinators of Verl (district-wide here) run both; Harsewinkel's
# coordinator and everyone else get 404 for the sheets.
TRAINER_SHEET = answers(404, anonymous=LOGIN, org_member=200, coordinator=200)
TRAINING_ROWS = [
    Url("trainings:list", "/de/schulungen/?ort=verl", get=answers(200), post=answers(405)),
    Url("trainings:session", "/de/schulungen/{training_session}/", get=answers(200), post=answers(405)),
    Url(
        "trainings:session_ical",
        "/de/schulungen/{training_session}/kalender.ics",
        get=answers(200),
        post=answers(405),
    ),
    Url(
        "trainings:book",
        "/de/schulungen/{training_session}/buchen/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN, volunteer=REFUSED),  # the volunteer booked it already
    ),
    Url(
        "trainings:personal_ical (wrong token)",
        "/de/schulungen/kalender/falsch.ics",
        get=answers(404),
        post=answers(405),
    ),
    Url(
        "trainings:mine",
        "/de/mein-bereich/schulungen/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "trainings:cancel (the volunteer's seat)",
        "/de/mein-bereich/schulungen/{training_registration}/absagen/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, volunteer=DONE),
    ),
    Url(
        "trainings:feed_token",
        "/de/mein-bereich/schulungen/kalender-link/",
        get=answers(405, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
    ),
    Url(
        "trainings:trainer_list",
        "/de/mein-bereich/schulungen/leitung/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "trainings:trainer_session",
        "/de/mein-bereich/schulungen/leitung/{running_session}/",
        get=TRAINER_SHEET,
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "trainings:trainer_mark",
        "/de/mein-bereich/schulungen/leitung/{running_session}/anwesenheit/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, org_member=DONE, coordinator=DONE),
        data=(
            ("registration", "{running_registration}"),
            ("appointment", "{running_appointment}"),
            ("present", "yes"),
        ),
    ),
    Url(
        "wagtail: training attendance sheet",
        "/admin/schulungen/anwesenheit/{running_session}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: mark training attendance",
        "/admin/schulungen/anwesenheit/{running_session}/eintragen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
        data=(
            ("registration", "{running_registration}"),
            ("appointment", "{running_appointment}"),
            ("present", "yes"),
        ),
    ),
]

RECOGNITION_GET = answers(403, anonymous=LOGIN, org_admin=200, org_member=200, other_org_member=404)
RECOGNITION_POST = answers(403, anonymous=LOGIN, org_admin=DONE, org_member=DONE, other_org_member=404)
OWN_ONLY_GET = answers(404, anonymous=LOGIN, volunteer=200)
OWN_ONLY_POST = answers(404, anonymous=LOGIN, volunteer=DONE)
RECOGNITION_ROWS = [
    # Organisations confirm only hours of their own engagements: everything else answers 404.
    Url(
        "recognition:org_hours",
        "/de/organisation/{organisation}/stunden/",
        get=RECOGNITION_GET,
        post=RECOGNITION_POST,
        data=(("entries", "{hours_entry}"), ("action", "confirm")),
    ),
    Url(
        "recognition:org_hours (an entry of another organisation's engagement)",
        "/de/organisation/{organisation}/stunden/",
        get=RECOGNITION_GET,
        post=answers(403, anonymous=LOGIN, members=404),
        data=(("entries", "{foreign_hours_entry}"), ("action", "confirm")),
    ),
    Url(
        "recognition:org_hours (Verl's entry sent to Harsewinkel's page)",
        "/de/organisation/{other_organisation}/stunden/",
        get=answers(403, anonymous=LOGIN, org_admin=404, org_member=404, other_org_member=200),
        post=answers(403, anonymous=LOGIN, members=404),
        data=(("entries", "{hours_entry}"), ("action", "confirm")),
    ),
    Url(
        "recognition:org_thanks",
        "/de/organisation/{organisation}/dank/",
        get=RECOGNITION_GET,
        post=GET_ONLY_FOR_MEMBERS,
    ),
    Url(
        "recognition:org_thanks_edit",
        "/de/organisation/{organisation}/dank/{thank_you}/",
        get=RECOGNITION_GET,
        post=RECOGNITION_POST,
        data=(("text", "Danke aus der Matrix"), ("signature", "Matrix")),
    ),
    Url(
        "recognition:org_certificate",
        "/de/organisation/{organisation}/engagements/{engagement}/nachweis/",
        get=RECOGNITION_GET,
        post=RECOGNITION_POST,
        data=(
            ("area", "Hausaufgabenhilfe"),
            ("period_from", "2024-01-01"),
            ("period_to", "2024-12-31"),
            ("scope", "3 Stunden pro Woche"),
            ("description", "Beschreibung."),
            ("thanks", "Danke."),
        ),
    ),
    Url(
        "recognition:org_nominate (an open nomination exists: refused, the form is shown again)",
        "/de/organisation/{organisation}/engagements/{engagement}/geschichte/",
        get=RECOGNITION_GET,
        post=answers(403, anonymous=LOGIN, org_admin=200, org_member=200, other_org_member=404),
        data=(("text", "Eine Geschichte wert."),),
    ),
    Url(
        "recognition:org_certificate (engagement with another organisation)",
        "/de/organisation/{organisation}/engagements/{foreign_engagement}/nachweis/",
        get=answers(403, anonymous=LOGIN, members=404),
        post=answers(403, anonymous=LOGIN, members=404),
        data=(("area", "x"), ("period_from", "2024-01-01"), ("period_to", "2024-12-31")),
    ),
    # Mein Bereich: the person's own hours, milestones and nominations only.
    Url(
        "recognition:overview",
        "/de/mein-bereich/anerkennung/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "recognition:hours_log",
        "/de/mein-bereich/anerkennung/stunden/{engagement}/",
        get=OWN_ONLY_GET,
        post=OWN_ONLY_POST,
        data=(
            ("stunden-TOTAL_FORMS", "1"),
            ("stunden-INITIAL_FORMS", "0"),
            ("stunden-0-worked_on", "{yesterday}"),
            ("stunden-0-hours", "2"),
        ),
    ),
    Url(
        "recognition:hours_withdraw",
        "/de/mein-bereich/anerkennung/eintraege/{hours_entry}/loeschen/",
        get=answers(405, anonymous=LOGIN),
        post=OWN_ONLY_POST,
    ),
    Url(
        "recognition:settings",
        "/de/mein-bereich/anerkennung/angaben/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(
            ("allowance_kind", "ehrenamt"),
            ("allowance_eur_per_year", "500"),
            ("years_before_platform", "3"),
        ),
    ),
    Url(
        "recognition:milestone_visibility",
        "/de/mein-bereich/anerkennung/meilensteine/{milestone}/sichtbarkeit/",
        get=answers(405, anonymous=LOGIN),
        post=OWN_ONLY_POST,
        data=(("public", "1"),),
    ),
    Url(
        "recognition:nomination_answer",
        "/de/mein-bereich/anerkennung/geschichten/{nomination}/",
        get=answers(405, anonymous=LOGIN),
        post=OWN_ONLY_POST,
        data=(("answer", "no"),),
    ),
    Url(
        "recognition:hours_confirmation",
        "/de/mein-bereich/anerkennung/stundenbestaetigung/{organisation}/",
        get=answers(405, anonymous=LOGIN),
        post=OWN_ONLY_POST,
    ),
    Url(
        "recognition:event_rsvp",
        "/de/mein-bereich/anerkennung/einladungen/{event_invitation}/",
        get=answers(405, anonymous=LOGIN),
        post=OWN_ONLY_POST,
        data=(("rsvp", "yes"),),
    ),
    Url(
        "wagtail: recognition events",
        "/admin/anerkennung/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),  # incomplete form
    ),
    Url(
        "wagtail: invite to a recognition event (of the district coordination)",
        "/admin/anerkennung/{recognition_event}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
    ),
    Url(
        "recognition:public_badges (nobody shows badges)",
        "/de/anerkennung/unbekannt/",
        get=answers(404),
        post=answers(405),
    ),
]

# --- eFZ records and letters: the volunteer applied to a (draft) need of `organisation`; its admin recorded
# an eFZ and issued the confirmation letter. Only that organisation's admins see or change the records;
# letters are downloaded by the person, the organisation's admins and the towns' coordinators.
ORGANISATION_GET_ONLY = answers(403, anonymous=LOGIN, members=405)
EFZ_LETTER_ROWS = [
    Url(
        "efz:mine",
        "/de/mein-bereich/fuehrungszeugnis/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "efz:organisation_list",
        "/de/organisation/{organisation}/fuehrungszeugnisse/",
        get=ORGANISATION_AREA_GET,
        post=ORGANISATION_GET_ONLY,
    ),
    Url(
        "efz:organisation_record",
        "/de/organisation/{organisation}/fuehrungszeugnisse/{efz_application}/erfassen/",
        get=ORGANISATION_AREA_GET,
        post=ORGANISATION_AREA_POST,
        data=(
            ("certificate_date", "{today}"),
            ("relevant_entry", "no"),
            ("inspected_by", "organisation"),
            ("inspected_on", "{today}"),
        ),
    ),
    Url(
        "efz:organisation_not_started",
        "/de/organisation/{organisation}/fuehrungszeugnisse/eintrag/{efz_record}/nicht-begonnen/",
        get=ORGANISATION_GET_ONLY,
        post=ORGANISATION_AREA_POST,
    ),
    Url(
        "efz:organisation_confirmation",
        "/de/organisation/{organisation}/fuehrungszeugnisse/{efz_application}/bestaetigung/",
        get=ORGANISATION_GET_ONLY,
        # Issued already in the world: asking again returns that letter, nothing new is written.
        post=answers(403, anonymous=LOGIN, members=404, org_admin=REFUSED),
    ),
    Url("letters:verify_form", "/de/nachweis/", get=answers(200), post=answers(405)),
    Url("letters:verify", "/de/nachweis/{letter_code}/", get=answers(200), post=answers(405)),
    Url(
        "letters:download",
        "/de/schreiben/{letter}/pdf/",
        get=answers(404, anonymous=LOGIN, volunteer=200, org_admin=200, coordinator=200),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "letters:revoke",
        "/de/schreiben/{letter}/widerrufen/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, org_admin=DONE, coordinator=DONE),
    ),
    Url(
        "letters:mine",
        "/de/mein-bereich/schreiben/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "letters:release_request",
        "/de/mein-bereich/schreiben/freistellung/",
        get=answers(200, anonymous=LOGIN),
        post=answers(200, anonymous=LOGIN),  # no source chosen: the form answers with errors
    ),
    Url(
        "letters:training_certificate (a booked, not yet attended seat)",
        "/de/mein-bereich/schreiben/teilnahme/{training_registration}/",
        get=answers(405, anonymous=LOGIN),
        post=answers(404, anonymous=LOGIN, volunteer=REFUSED),
    ),
    Url(
        "wagtail: eFZ records",
        "/admin/fuehrungszeugnisse/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: record an eFZ",
        "/admin/fuehrungszeugnisse/neu/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),  # form errors
    ),
    Url(
        "wagtail: delete an eFZ record",
        "/admin/fuehrungszeugnisse/{efz_record}/loeschen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
    ),
]

MATRIX = [
    # --- Organisation area ---------------------------------------------------------------------------
    Url(
        "organisation:register",
        "/de/organisation/registrieren/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(
            ("name", "Matrix e. V."),
            ("legal_form", "ev"),
            ("kommunen", "{verl}"),
            ("description", "Neu."),
            ("email", "matrix@example.org"),
            ("response_deadline_days", "3"),
        ),
    ),
    Url(
        "organisation:dashboard",
        "/de/organisation/",
        get=answers(403, anonymous=LOGIN, members=200),
        post=GET_ONLY_FOR_MEMBERS,
    ),
    Url(
        "organisation:detail",
        "/de/organisation/{organisation}/",
        get=answers(403, anonymous=LOGIN, org_admin=200, org_member=200, other_org_member=404),
        post=GET_ONLY_FOR_MEMBERS,
    ),
    Url(
        "organisation:edit",
        "/de/organisation/{organisation}/bearbeiten/",
        get=ORGANISATION_AREA_GET,
        post=ORGANISATION_AREA_POST,
        data=(
            ("name", "Matrix geändert"),
            ("legal_form", "ev"),
            ("kommunen", "{verl}"),
            ("description", "Geändert."),
            ("email", "neu@example.org"),
            ("response_deadline_days", "5"),
        ),
    ),
    Url(
        "organisation:members",
        "/de/organisation/{organisation}/mitglieder/",
        get=ORGANISATION_AREA_GET,
        post=GET_ONLY_FOR_MEMBERS,
    ),
    Url(
        "organisation:membership_role",
        "/de/organisation/{organisation}/mitglieder/{membership}/rolle/",
        get=GET_ONLY_FOR_MEMBERS,
        post=ORGANISATION_AREA_POST,
        data=(("role", "admin"),),
    ),
    Url(
        "organisation:membership_role (membership of another organisation)",
        "/de/organisation/{organisation}/mitglieder/{foreign_membership}/rolle/",
        get=GET_ONLY_FOR_MEMBERS,
        post=answers(403, anonymous=LOGIN, members=404),
        data=(("role", "admin"),),
    ),
    Url(
        "organisation:membership_remove",
        "/de/organisation/{organisation}/mitglieder/{membership}/entfernen/",
        get=GET_ONLY_FOR_MEMBERS,
        post=ORGANISATION_AREA_POST,
    ),
    Url(
        "organisation:membership_remove (membership of another organisation)",
        "/de/organisation/{organisation}/mitglieder/{foreign_membership}/entfernen/",
        get=GET_ONLY_FOR_MEMBERS,
        post=answers(403, anonymous=LOGIN, members=404),
    ),
    Url(
        "organisation:invite",
        "/de/organisation/{organisation}/einladen/",
        get=ORGANISATION_AREA_GET,
        post=ORGANISATION_AREA_POST,
        data=(("email", "matrix@example.org"), ("role", "member")),
    ),
    Url(
        "organisation:invitation_accept (invitation for someone else)",
        "/de/organisation/einladung/{token}/",
        get=answers(403, anonymous=200),
        post=answers(403, anonymous=LOGIN),
    ),
    # --- Public ----------------------------------------------------------------------------------------
    Url(
        "organisation_public (verified)",
        "/de/organisationen/{other_organisation_slug}/",
        get=answers(200),
        post=answers(405),
    ),
    Url(
        "organisation_public (pending)",
        "/de/organisationen/{organisation_slug}/",
        get=answers(404),
        post=answers(405),
    ),
    # --- Coordination in the Wagtail admin ----------------------------------------------------------
    Url(
        "wagtail: organisations",
        "/admin/koordination/organisationen/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: organisation details",
        "/admin/koordination/organisationen/{organisation}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=405),
    ),
    Url(
        "wagtail: verify organisation",
        "/admin/koordination/organisationen/{organisation}/freigeben/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
        data=(("note", "Geprüft."),),
    ),
    Url(
        "wagtail: reject organisation",
        "/admin/koordination/organisationen/{organisation}/ablehnen/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=404, coordinator=DONE),
        data=(("note", "Bitte ergänzen."),),
    ),
    Url(
        "wagtail: coordinator roles",
        "/admin/koordination/rollen/",
        get=ROLES_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=ADMIN_DENIED, coordinator=405),
    ),
    Url(
        "wagtail: assign coordinator role",
        "/admin/koordination/rollen/new/",
        get=ROLES_GET,
        post=ROLES_POST,
        data=(("email", "lena.volunteer@example.org"), ("kommunen", "{verl}")),
    ),
    Url(
        "wagtail: change coordinator role",
        "/admin/koordination/rollen/edit/{town_role}/",
        get=ROLES_GET,
        post=ROLES_POST,
        data=(("whole_district", "on"),),
    ),
    Url(
        "wagtail: end coordinator role",
        "/admin/koordination/rollen/delete/{town_role}/",
        get=ROLES_GET,
        post=ROLES_POST,
    ),
    Url(
        "wagtail: volunteers",
        "/admin/freiwillige/",
        get=answers(ADMIN_LOGIN, town_coordinator_other_town=200, coordinator=200),
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    Url(
        "wagtail: volunteer in Verl",
        "/admin/freiwillige/{verl_profile}/",
        get=WAGTAIL_GET,
        post=answers(ADMIN_LOGIN, town_coordinator_other_town=405, coordinator=405),
    ),
    # --- Mein Bereich: every signed-in person works on their own data only ------------------------------
    Url(
        "volunteer:dashboard",
        "/de/mein-bereich/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    Url(
        "volunteer:profile_step",
        "/de/mein-bereich/profil/place/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(("display_name", "Matrix"), ("postcode", "33415"), ("travel_radius_km", "10")),
    ),
    Url(
        "volunteer:consents",
        "/de/mein-bereich/einwilligungen/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(("kind", "newsletter"), ("action", "give")),
    ),
    Url(
        "volunteer:status_change",
        "/de/mein-bereich/status/",
        get=answers(405, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(("action", "pause"), ("paused_until", "{pause_day}")),
    ),
    Url(
        "volunteer:privacy",
        "/de/mein-bereich/meine-daten/",
        get=answers(200, anonymous=LOGIN),
        post=answers(405, anonymous=LOGIN),
    ),
    *NEED_ROWS,
    *EFZ_LETTER_ROWS,
    *TANDEM_ROWS,
    *TRAINING_ROWS,
    *RECOGNITION_ROWS,
]

CASES = [
    pytest.param(url, persona, method, id=f"{url.name} | {persona} | {method}")
    for url in MATRIX
    for persona in PERSONAS
    for method in ("GET", "POST")
]


# --- The world every case runs in ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Builds the personas and their organisations once for the module, inside a transaction that is
    rolled back at the end; every case runs in its own savepoint on top (pytest-django's `db`)."""
    from cms.demo import seed_pages
    from tests.conftest import _member, _organisation, with_totp
    from tests.factories import UserFactory
    from volunteering.demo import seed_roles
    from volunteering.services.organisations import invitation_token
    from volunteering.services.reference_data import district_load, taxonomy_load

    with django_db_blocker.unblock(), transaction.atomic():
        taxonomy_load()
        district_load()
        seed_roles(home=seed_pages())
        organisation = _organisation("Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl")
        other_organisation = _organisation(
            "Stadt Harsewinkel – Integrationsbüro", "stadt-harsewinkel", "Harsewinkel", status="verified"
        )
        org_admin = with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin"))
        org_member = _member(organisation, "mitglied@fluechtlingshilfe-verl.example", "member")
        other_org_member = _member(other_organisation, "mitglied@harsewinkel.example", "member")
        town_coordinator = with_totp(
            UserFactory(email="koordination-harsewinkel@example.org", is_staff=True, groups=["Koordination"])
        )
        town_role = CoordinatorRole.objects.create(user=town_coordinator, whole_district=False)
        town_role.kommunen.set(Kommune.objects.filter(name="Harsewinkel"))
        coordinator = with_totp(
            UserFactory(email="coordinator@example.org", is_staff=True, groups=["Koordination"])
        )
        CoordinatorRole.objects.create(user=coordinator, whole_district=True)
        invitation = OrganisationInvitation.objects.create(
            organisation=organisation,
            email="eingeladen@example.org",
            role=MembershipRole.ADMIN,
            invited_by=org_admin,
        )
        people = {
            "volunteer": UserFactory(email="lena.volunteer@example.org"),
            "org_admin": org_admin,
            "org_member": org_member,
            "other_org_member": other_org_member,
            "town_coordinator_other_town": town_coordinator,
            "coordinator": coordinator,
        }
        for person in people.values():  # every sign-up creates a profile
            VolunteerProfile.objects.create(user=person, kommune=Kommune.objects.get(name="Verl"))
        ids = {
            "organisation": organisation.pk,
            "organisation_slug": organisation.slug,
            "other_organisation": other_organisation.pk,
            "other_organisation_slug": other_organisation.slug,
            "membership": OrganisationMembership.objects.get(user=org_member).pk,
            "foreign_membership": OrganisationMembership.objects.get(user=other_org_member).pk,
            "other_org_member": other_org_member.pk,
            "token": invitation_token(invitation),
            "town_role": town_role.pk,
            "verl": Kommune.objects.get(name="Verl").pk,
            "verl_profile": VolunteerProfile.objects.filter(user=people["volunteer"]).get().pk,
            "pause_day": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        }
        ids.update(_need_world(organisation, other_organisation, people["volunteer"]))
        ids.update(_efz_world(organisation, people["volunteer"], org_admin))
        ids.update(_tandem_world(people["volunteer"], coordinator))
        ids.update(_training_world(people["volunteer"], trainer=org_member))
        ids.update(_recognition_world(people["volunteer"], organisation, other_organisation, org_member))
        yield people, ids
        transaction.set_rollback(True)


def _need_world(organisation, other_organisation, volunteer) -> dict:
    """A draft need of `organisation`, a published one of `other_organisation` the volunteer saved."""
    from tests.volunteering.needs_helpers import details
    from volunteering.services.needs import need_import

    draft = need_import(organisation=organisation, details=details(title="Entwurf in Verl"), publish=False)
    public = need_import(
        organisation=other_organisation,
        details=details(title="Öffentlich in Harsewinkel", town="Harsewinkel"),
    )
    SavedNeed.objects.create(user=volunteer, need=public)
    return {
        "need": draft.pk,
        "public_need": public.pk,
        "field": draft.handlungsfeld_id,
        "activity": draft.activity_type_id,
    }


def _tandem_world(volunteer, coordinator) -> dict:
    """A newcomer's request in Verl (contact data only coordinators may see) proposed to `volunteer`."""
    from tests.volunteering.tandems_world import make_request, make_volunteer
    from volunteering.services.tandems import tandem_propose

    make_volunteer(volunteer.email, user=volunteer)
    request = make_request(alias="Matrix-Neu", email="kontakt-neu@example.org", phone="0151 4711")
    tandem = tandem_propose(request=request, volunteer=volunteer, actor=coordinator)
    return {"tandem_request": request.pk, "tandem": tandem.pk, "coordinator_id": coordinator.pk}


def _training_world(volunteer, *, trainer) -> dict:
    """A bookable session in Verl where the volunteer holds a seat; a running one (its appointment has
    begun) that `trainer` leads and the volunteer attends."""
    from notifications import clock
    from tests.volunteering.trainings_world import make_qualification, make_session, make_training
    from volunteering.models import Registration
    from volunteering.services.trainings import training_book

    training = make_training(qualification=make_qualification())
    session = make_session(training, town="Verl", capacity=5)
    registration = training_book(session=session, user=volunteer)
    running = make_session(
        training, town="Verl", trainer=trainer, starts_in=-datetime.timedelta(hours=1), appointments=1
    )
    seat = Registration.objects.create(session=running, user=volunteer, status="booked")
    assert running.appointments.get().starts_at < clock.now()
    return {
        "training_session": session.pk,
        "training_registration": registration.pk,
        "running_session": running.pk,
        "running_registration": seat.pk,
        "running_appointment": running.appointments.get().pk,
    }


def _recognition_world(volunteer, organisation, other_organisation, member) -> dict:
    """An engagement of the volunteer with `organisation` (10 confirmed hours: a milestone with its pending
    thank-you; one submitted entry), one with `other_organisation` (a submitted entry), a nomination."""
    from tests.volunteering.needs_helpers import details
    from tests.volunteering.recognition_world import make_engagement
    from volunteering.models import EventInvitation, Milestone, RecognitionEvent, ThankYou
    from volunteering.services import recognition
    from volunteering.services.needs import need_import

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    start = yesterday - datetime.timedelta(days=30)
    # Drafts: an engagement needs no public listing, and `organisation` stays unverified.
    need = need_import(organisation=organisation, details=details(title="Lesepatenschaft"), publish=False)
    other_need = need_import(
        organisation=other_organisation,
        details=details(title="Begleitung", town="Harsewinkel"),
        publish=False,
    )
    engagement = make_engagement(volunteer, organisation, starts_on=start, need=need)
    foreign = make_engagement(volunteer, other_organisation, starts_on=start, need=other_need)
    line = recognition.HoursLine
    confirmed, submitted = recognition.hours_log(
        volunteer=volunteer, engagement=engagement, lines=[line(yesterday, 600), line(yesterday, 90)]
    )
    recognition.hours_confirm(actor=member, organisation=organisation, entry_ids=[confirmed.pk])
    (foreign_entry,) = recognition.hours_log(
        volunteer=volunteer, engagement=foreign, lines=[line(yesterday, 60)]
    )
    nomination = recognition.nomination_create(
        actor=member, volunteer=volunteer, organisation=organisation, text="Vorschlag aus der Matrix."
    )
    event = RecognitionEvent.objects.create(
        title="Ehrenamtsempfang",
        description="Mit Musik.",
        place="Rathaus",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    invitation = EventInvitation.objects.create(event=event, volunteer=volunteer)
    return {
        "recognition_event": event.pk,
        "event_invitation": invitation.pk,
        "engagement": engagement.pk,
        "foreign_engagement": foreign.pk,
        "hours_entry": submitted.pk,
        "foreign_hours_entry": foreign_entry.pk,
        "thank_you": ThankYou.objects.get(milestone__volunteer=volunteer).pk,
        "milestone": Milestone.objects.get(volunteer=volunteer).pk,
        "nomination": nomination.pk,
        "yesterday": yesterday.isoformat(),
    }


def _efz_world(organisation, volunteer, org_admin) -> dict:
    """An application of `volunteer` to a draft need of `organisation`, with an eFZ record and the
    organisation's confirmation letter."""
    from tests.volunteering.needs_helpers import details
    from volunteering.letters.codes import grouped
    from volunteering.models import Application, EfzRecord
    from volunteering.services.letters import efz_confirmation_issue
    from volunteering.services.needs import need_import

    need = need_import(organisation=organisation, details=details(title="Jugendtreff Verl"), publish=False)
    application = Application.objects.create(need=need, volunteer=volunteer, status="submitted")
    record = EfzRecord.objects.create(
        volunteer=volunteer,
        organisation=organisation,
        application=application,
        certificate_date=timezone.localdate(),
        relevant_entry=False,
        inspected_by="organisation",
        inspected_on=timezone.localdate(),
        recorded_by=org_admin,
    )
    letter = efz_confirmation_issue(application=application, actor=org_admin)
    return {
        "efz_application": application.pk,
        "efz_record": record.pk,
        "letter": letter.pk,
        "letter_code": grouped(letter.code),
        "today": timezone.localdate().isoformat(),
    }


def snapshot() -> dict:
    """Everything a request of the matrix could change, in comparable form."""
    from volunteering.models import EfzRecord, IssuedLetter

    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "towns": sorted(Organisation.kommunen.through.objects.values_list("organisation_id", "kommune_id")),
        "memberships": list(
            OrganisationMembership.objects.order_by("pk").values("pk", "organisation", "user", "role")
        ),
        "invitations": list(
            OrganisationInvitation.objects.order_by("pk").values("pk", "email", "role", "accepted_at")
        ),
        "roles": list(CoordinatorRole.objects.order_by("pk").values("pk", "user", "whole_district")),
        "role_towns": sorted(
            CoordinatorRole.kommunen.through.objects.values_list("coordinatorrole_id", "kommune_id")
        ),
        "profiles": list(VolunteerProfile.objects.order_by("pk").values()),
        "consents": list(Consent.objects.order_by("pk").values("pk", "user", "text", "withdrawn_at")),
        "accounts": list(
            User.objects.order_by("pk").values_list("pk", "is_staff", "is_superuser", "is_active")
        ),
        "groups": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "needs": list(Need.objects.order_by("pk").values()),
        "need_languages": sorted(Need.languages.through.objects.values_list("need_id", "language_id")),
        "saved_needs": sorted(SavedNeed.objects.values_list("user_id", "need_id")),
        "efz_records": list(
            EfzRecord.objects.order_by("pk").values_list("pk", "volunteer_id", "application_id")
        ),
        "letters": list(
            IssuedLetter.objects.order_by("pk").values_list("pk", "kind", "subject_id", "revoked_at")
        ),
        "tandem_requests": list(TandemRequest.objects.order_by("pk").values()),
        "tandems": list(Tandem.objects.order_by("pk").values()),
        "training_registrations": list(
            Registration.objects.order_by("pk").values_list("pk", "session_id", "user_id", "status")
        ),
        "attendances": list(
            Attendance.objects.order_by("pk").values_list("pk", "registration_id", "present")
        ),
        "recognition": [
            list(apps.get_model(label).objects.order_by("pk").values())
            for label in (
                "volunteering.HoursEntry",
                "volunteering.Milestone",
                "volunteering.ThankYou",
                "volunteering.RecognitionSettings",
                "volunteering.EngagementCertificate",
                "volunteering.StoryNomination",
                "volunteering.IssuedLetter",
                "volunteering.RecognitionEvent",
                "volunteering.EventInvitation",
            )
        ],
        "calendar_tokens": list(TrainingCalendarToken.objects.order_by("pk").values_list("user_id", "token")),
    }


def check_answer(response, expected) -> None:
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and "/konto/login/" in location, (response.status_code, location)
    elif expected == ADMIN_LOGIN:
        # The admin sends strangers to the one login of the site (allauth, with the second factor).
        assert response.status_code == 302 and location.startswith("/de/konto/login/?next=/admin/"), (
            response.status_code,
            location,
        )
    elif expected == ADMIN_DENIED:
        assert response.status_code == 302 and location == "/admin/", (response.status_code, location)
    elif expected in (DONE, REFUSED):
        assert response.status_code == 302, response.status_code
        assert "/login/" not in location and "/2fa/" not in location, location
    else:
        assert response.status_code == expected, (response.status_code, location)


@pytest.mark.parametrize("url, persona, method", CASES)
def test_permission_matrix(world, db, client, url, persona, method, django_capture_on_commit_callbacks):
    people, ids = world
    actor = people.get(persona)
    if actor is not None:
        client.force_login(actor)
    path = url.path.format(**ids)
    expected = (url.get if method == "GET" else url.post)[persona]
    data = {key: value.format(**ids) for key, value in (*MASS_ASSIGNMENT.items(), *url.data)}
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path) if method == "GET" else client.post(path, data)

    check_answer(response, expected)
    after = snapshot()
    if method == "GET" or expected != DONE:
        assert after == before, "a request that is not an allowed write changed data"
    else:
        # An allowed write changed something, and the mass-assignment keys did not take.
        assert after != before
        if actor is not None:
            actor.refresh_from_db()
            assert (actor.is_staff, actor.is_superuser) == next(
                (staff, superuser) for pk, staff, superuser, _active in before["accounts"] if pk == actor.pk
            )
        # The `organisation` key pointed at the other organisation: it and its members stay as they were.
        other = ids["other_organisation"]
        assert [row for row in after["organisations"] if row["id"] == other] == [
            row for row in before["organisations"] if row["id"] == other
        ]
        assert [m for m in after["memberships"] if m["organisation"] == other] == [
            m for m in before["memberships"] if m["organisation"] == other
        ]
        assert [n for n in after["needs"] if n["organisation_id"] == other] == [
            n for n in before["needs"] if n["organisation_id"] == other
        ]
        assert not any(n["status"] == "verified" for n in after["needs"])
        review = url.name.startswith("wagtail: verify") or url.name.startswith("wagtail: reject")
        if not review:
            assert not Organisation.objects.filter(
                pk=ids["organisation"], status=OrganisationStatus.VERIFIED
            ).exists()
            assert (
                not Organisation.objects.filter(status=OrganisationStatus.VERIFIED)
                .exclude(pk=ids["other_organisation"])
                .exists()
            )


def test_the_matrix_covers_every_organisation_url_persona_and_method():
    from config.access import URL_ACCESS

    names = {url.name.split(" ")[0] for url in MATRIX if not url.name.startswith("wagtail")}
    organisation_urls = {name for name in URL_ACCESS if name.startswith("organisation")}
    assert organisation_urls <= names, organisation_urls - names
    # Mein Bereich: the views that change or show the person's own data (export and erasure need a fresh
    # login and are tested in tests/volunteering/test_volunteer_area.py; the parents' link is signed).
    own_data = {
        "volunteer:dashboard",
        "volunteer:profile_step",
        "volunteer:consents",
        "volunteer:status_change",
    }
    assert own_data <= names
    assert len(CASES) == len(MATRIX) * len(PERSONAS) * 2
    assert len(CASES) >= 280
    print(
        f"\nPermission matrix: {len(CASES)} cases = {len(MATRIX)} URLs × {len(PERSONAS)} personas × GET/POST"
    )


def test_the_matrix_covers_every_need_url():
    from config.access import URL_ACCESS

    names = {url.name.split(" ")[0] for url in MATRIX}
    assert {name for name in URL_ACCESS if name.startswith("needs:")} <= names


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_newcomers_contact_data_is_shown_to_coordinators_of_the_town_only(world, db, client, persona):
    people, ids = world
    if people.get(persona):
        client.force_login(people[persona])
    paths = [
        "/de/mein-bereich/tandems/",
        f"/de/mein-bereich/tandems/{ids['tandem']}/",
        "/admin/tandems/anfragen/",
        f"/admin/tandems/anfragen/{ids['tandem_request']}/",
        f"/admin/tandems/{ids['tandem']}/",
        "/admin/tandems/",
    ]
    pages = "".join(client.get(path).content.decode() for path in paths)
    sees_contact = "kontakt-neu@example.org" in pages and "0151 4711" in pages
    assert sees_contact == (persona == "coordinator"), persona
    # The volunteer the tandem is proposed to sees the first name; nobody else but the town's coordinators.
    if persona not in ("volunteer", "coordinator"):
        assert "Matrix-Neu" not in pages
