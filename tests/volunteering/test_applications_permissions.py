"""Permission matrix of the application URLs (QUALITY.md 3 and 5), like tests/test_permission_matrix.py.

Every application URL × every persona × GET and POST. The rules the rows encode:

- Signed-out visitors are sent to log in and change nothing.
- The volunteer's pages show the person's own applications only: another volunteer, and every member of
  the organisation, get 404 on them ("volunteers never see other volunteers' applications").
- The organisation's pages answer 403 to people outside any organisation (the coarse rule of
  config/access.py), 404 to members of another organisation, and 404 for an application, engagement or
  answer template of another organisation reached through this organisation's address.
- A POST that is not allowed leaves every row as it was; an allowed one ignores extra keys.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from tests.test_permission_matrix import DONE, LOGIN, MASS_ASSIGNMENT, check_answer
from volunteering.models import (
    AnswerTemplate,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    Engagement,
    Need,
    Organisation,
    User,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "org_admin",
    "org_member",
    "other_org_member",
    "coordinator",
)
MEMBERS = ("org_admin", "org_member", "other_org_member")
NON_MEMBERS = ("volunteer", "other_volunteer", "coordinator")


def answers(default=None, **by_persona) -> dict[str, object]:
    table = dict.fromkeys(PERSONAS, default)
    for key, answer in by_persona.items():
        group = {"members": MEMBERS, "non_members": NON_MEMBERS}.get(key, (key,))
        for persona in group:
            table[persona] = answer
    return table


@dataclass(frozen=True)
class Url:
    name: str
    path: str
    get: dict
    post: dict
    data: tuple = ()


OWN_GET = answers(404, anonymous=LOGIN, volunteer=200)
OWN_POST = answers(404, anonymous=LOGIN, volunteer=DONE)
SIGNED_IN_405 = answers(405, anonymous=LOGIN)
ORG_GET = answers(403, anonymous=LOGIN, members=404, org_admin=200, org_member=200)
ORG_POST = answers(403, anonymous=LOGIN, members=404, org_admin=DONE, org_member=DONE)
ORG_FOREIGN = answers(403, anonymous=LOGIN, members=404)
ORG_ONLY_GET = answers(403, anonymous=LOGIN, members=405)
ADMIN_GET = answers(403, anonymous=LOGIN, members=404, org_admin=200)
ADMIN_POST = answers(403, anonymous=LOGIN, members=404, org_admin=DONE)
ORG = "/de/organisation/{organisation}"

MATRIX = [
    Url(
        "application:apply",
        "/de/einsaetze/{open_need}/bewerben/",
        get=answers(200, anonymous=LOGIN),
        post=answers(DONE, anonymous=LOGIN),
        data=(("message", "Ich möchte helfen."),),
    ),
    Url(
        "application:apply (draft need)",
        "/de/einsaetze/{draft_need}/bewerben/",
        answers(404, anonymous=LOGIN),
        answers(404, anonymous=LOGIN),
        (("message", "Hallo"),),
    ),
    Url("application:mine", "/de/mein-bereich/bewerbungen/", answers(200, anonymous=LOGIN), SIGNED_IN_405),
    Url("application:mine_detail", "/de/mein-bereich/bewerbungen/{application}/", OWN_GET, SIGNED_IN_405),
    Url(
        "application:mine_detail (another volunteer's)",
        "/de/mein-bereich/bewerbungen/{other_application}/",
        answers(404, anonymous=LOGIN, other_volunteer=200),
        SIGNED_IN_405,
    ),
    Url(
        "application:mine_message",
        "/de/mein-bereich/bewerbungen/{application}/nachricht/",
        SIGNED_IN_405,
        OWN_POST,
        (("body", "Eine Frage."),),
    ),
    Url(
        "application:withdraw",
        "/de/mein-bereich/bewerbungen/{application}/zurueckziehen/",
        SIGNED_IN_405,
        OWN_POST,
    ),
    Url("application:inbox", ORG + "/bewerbungen/", ORG_GET, ORG_ONLY_GET),
    Url("application:export", ORG + "/bewerbungen/export.csv", ORG_GET, ORG_ONLY_GET),
    Url("application:detail", ORG + "/bewerbungen/{application}/", ORG_GET, ORG_ONLY_GET),
    Url(
        "application:detail (application of another organisation)",
        ORG + "/bewerbungen/{foreign_application}/",
        ORG_FOREIGN,
        ORG_ONLY_GET,
    ),
    Url(
        "application:contact",
        ORG + "/bewerbungen/{application}/kontakt/",
        ORG_ONLY_GET,
        ORG_POST,
        (("body", "Wann passt es Ihnen?"),),
    ),
    Url(
        "application:contact (application of another organisation)",
        ORG + "/bewerbungen/{foreign_application}/kontakt/",
        ORG_ONLY_GET,
        ORG_FOREIGN,
        (("body", "Hallo"),),
    ),
    Url("application:accept", ORG + "/bewerbungen/{application}/zusagen/", ORG_ONLY_GET, ORG_POST),
    Url(
        "application:accept (application of another organisation)",
        ORG + "/bewerbungen/{foreign_application}/zusagen/",
        ORG_ONLY_GET,
        ORG_FOREIGN,
    ),
    Url("application:decline", ORG + "/bewerbungen/{application}/absagen/", ORG_ONLY_GET, ORG_POST),
    Url(
        "application:decline (application of another organisation)",
        ORG + "/bewerbungen/{foreign_application}/absagen/",
        ORG_ONLY_GET,
        ORG_FOREIGN,
    ),
    Url(
        "application:message",
        ORG + "/bewerbungen/{application}/nachricht/",
        ORG_ONLY_GET,
        ORG_POST,
        (("body", "Danke!"),),
    ),
    Url(
        "application:message (application of another organisation)",
        ORG + "/bewerbungen/{foreign_application}/nachricht/",
        ORG_ONLY_GET,
        ORG_FOREIGN,
        (("body", "Danke!"),),
    ),
    Url("application:engagements", ORG + "/engagements/", ORG_GET, ORG_ONLY_GET),
    Url(
        "application:templates",
        ORG + "/textbausteine/",
        ADMIN_GET,
        ADMIN_POST,
        (("title", "Zusage"), ("body", "Wir freuen uns.")),
    ),
    Url(
        "application:template_edit",
        ORG + "/textbausteine/{template}/",
        ADMIN_GET,
        ADMIN_POST,
        (("title", "Neu"), ("body", "Neuer Text.")),
    ),
    Url(
        "application:template_edit (template of another organisation)",
        ORG + "/textbausteine/{foreign_template}/",
        ORG_FOREIGN,
        ORG_FOREIGN,
        (("title", "Neu"), ("body", "Neuer Text.")),
    ),
    Url("application:template_delete", ORG + "/textbausteine/{template}/loeschen/", ORG_ONLY_GET, ADMIN_POST),
    Url(
        "application:template_delete (template of another organisation)",
        ORG + "/textbausteine/{foreign_template}/loeschen/",
        ORG_ONLY_GET,
        ORG_FOREIGN,
    ),
]

CASES = [
    pytest.param(url, persona, method, id=f"{url.name} | {persona} | {method}")
    for url in MATRIX
    for persona in PERSONAS
    for method in ("GET", "POST")
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from cms.demo import seed_pages
    from tests.conftest import _member, _organisation, with_totp
    from tests.factories import UserFactory
    from tests.volunteering.applications_world import make_need
    from volunteering.demo import seed_roles
    from volunteering.models import CoordinatorRole
    from volunteering.services.applications import application_submit
    from volunteering.services.reference_data import district_load, taxonomy_load

    year = timezone.localdate().year - 30
    with django_db_blocker.unblock(), transaction.atomic():
        taxonomy_load()
        district_load()
        seed_roles(home=seed_pages())
        organisation = _organisation("Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl")
        other_organisation = _organisation(
            "Stadt Harsewinkel – Integrationsbüro", "stadt-harsewinkel", "Harsewinkel", status="verified"
        )
        people = {
            "volunteer": UserFactory(email="lena.volunteer@example.org"),
            "other_volunteer": UserFactory(email="other.volunteer@example.org"),
            "org_admin": with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin")),
            "org_member": _member(organisation, "mitglied@fluechtlingshilfe-verl.example", "member"),
            "other_org_member": _member(other_organisation, "mitglied@harsewinkel.example", "member"),
            "coordinator": with_totp(
                UserFactory(email="coordinator@example.org", is_staff=True, groups=["Koordination"])
            ),
        }
        CoordinatorRole.objects.create(user=people["coordinator"], whole_district=True)
        User.objects.filter(pk__in=[p.pk for p in people.values()]).update(birth_year=year)
        for person in people.values():
            person.refresh_from_db()
        need = make_need(organisation, volunteers_wanted=5)
        open_need = make_need(organisation, title="Sprachcafé", volunteers_wanted=5)
        draft_need = make_need(organisation, title="Entwurf", status="draft")
        foreign_need = make_need(other_organisation, title="Begleitung")
        application = application_submit(need=need, volunteer=people["volunteer"])
        other_application = application_submit(need=need, volunteer=people["other_volunteer"])
        foreign_application = application_submit(need=foreign_need, volunteer=people["other_volunteer"])
        template = AnswerTemplate.objects.create(organisation=organisation, title="Absage", body="Leider.")
        foreign_template = AnswerTemplate.objects.create(
            organisation=other_organisation, title="Fremd", body="Fremd."
        )
        ids = {
            "organisation": organisation.pk,
            "other_organisation": other_organisation.pk,
            "other_org_member": people["other_org_member"].pk,
            "open_need": open_need.pk,
            "draft_need": draft_need.pk,
            "application": application.pk,
            "other_application": other_application.pk,
            "foreign_application": foreign_application.pk,
            "template": template.pk,
            "foreign_template": foreign_template.pk,
        }
        yield people, ids
        transaction.set_rollback(True)


def snapshot() -> dict:
    return {
        "applications": list(
            Application.objects.order_by("pk").values(
                "pk", "need", "volunteer", "status", "message", "answered_at", "decided_at"
            )
        ),
        "events": ApplicationEvent.objects.count(),
        "messages": list(ApplicationMessage.objects.order_by("pk").values("pk", "application", "body")),
        "engagements": list(Engagement.objects.order_by("pk").values()),
        "templates": list(AnswerTemplate.objects.order_by("pk").values()),
        "needs": list(Need.objects.order_by("pk").values("pk", "status", "organisation")),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "accounts": list(User.objects.order_by("pk").values_list("pk", "is_staff", "is_superuser")),
    }


@pytest.mark.parametrize("url, persona, method", CASES)
def test_application_permission_matrix(
    world, db, client, url, persona, method, django_capture_on_commit_callbacks
):
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
        return
    assert after != before
    # The extra keys did not take: no account became staff, the other organisation and its rows stayed,
    # and no application took a status from the request.
    assert after["accounts"] == before["accounts"]
    assert after["organisations"] == before["organisations"]
    foreign = ids["foreign_application"]
    assert [a for a in after["applications"] if a["pk"] == foreign] == [
        a for a in before["applications"] if a["pk"] == foreign
    ]
    assert [t for t in after["templates"] if t["organisation_id"] == ids["other_organisation"]] == [
        t for t in before["templates"] if t["organisation_id"] == ids["other_organisation"]
    ]
    assert not any(a["status"] == "verified" for a in after["applications"])


def test_the_matrix_covers_every_application_url():
    from config.access import URL_ACCESS

    names = {url.name.split(" ")[0] for url in MATRIX}
    assert {name for name in URL_ACCESS if name.startswith("application:")} <= names
    print(f"\nApplication permission matrix: {len(CASES)} cases = {len(MATRIX)} URLs × {len(PERSONAS)} × 2")
