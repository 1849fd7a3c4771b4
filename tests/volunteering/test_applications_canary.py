"""Canary check of the application pages (QUALITY.md 4): every personal field carries a marker; each persona
opens every application page; no foreign marker appears, and an organisation sees an applicant's contact
details only after accepting."""

import re

import pytest

from tests.conftest import _member, _organisation, with_totp
from tests.test_canary_sweep import _markers, _person
from tests.volunteering.applications_world import make_need
from volunteering.models import Application, Kommune, User
from volunteering.services.applications import application_accept, application_submit, message_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data, site_tree):
    verl, guetersloh = Kommune.objects.get(name="Verl"), Kommune.objects.get(name="Gütersloh")
    org_verl = _organisation("Canary Verl", "canary-verl", "Verl", status="verified")
    org_gt = _organisation("Canary GT", "canary-gt", "Gütersloh", status="verified")
    people = {
        "VV": _person("VV", verl),
        "VG": _person("VG", guetersloh),
        "VA": _person("VA", verl),  # accepted by Verl
    }
    User.objects.filter(pk__in=[p.pk for p in people.values()]).update(birth_year=1990)
    for person in people.values():
        person.refresh_from_db()
    people["OA"] = with_totp(_member(org_verl, "canary-oa@example.org", "admin"))
    people["OG"] = _member(org_gt, "canary-og@example.org", "member")
    need_verl, need_gt = make_need(org_verl, volunteers_wanted=5), make_need(org_gt, volunteers_wanted=5)
    for tag, need in (("VV", need_verl), ("VG", need_gt), ("VA", need_verl)):
        application = application_submit(need=need, volunteer=people[tag], message=f"CANARYMSG{tag}")
        message_post(application=application, author=people[tag], body=f"CANARYTHREAD{tag}")
    accepted = Application.objects.get(volunteer=people["VA"])
    application_accept(application=accepted, actor=people["OA"])
    return people, org_verl, org_gt


def _pages(org_verl, org_gt) -> list[str]:
    urls = ["/de/mein-bereich/bewerbungen/"]
    for application in Application.objects.all():
        urls.append(f"/de/mein-bereich/bewerbungen/{application.pk}/")
        organisation = application.need.organisation_id
        urls.append(f"/de/organisation/{organisation}/bewerbungen/{application.pk}/")
    for organisation in (org_verl, org_gt):
        for suffix in (
            "bewerbungen/",
            "bewerbungen/export.csv",
            "engagements/",
            "bewerbungen/?status=accepted",
        ):
            urls.append(f"/de/organisation/{organisation.pk}/{suffix}")
    return urls


# What each persona may see of the applicants, beyond its own data. The organisation of Verl sees the
# messages and display names of those who applied to it; e-mail and full name only of the accepted one.
NAME_AND_MESSAGES = ("display_name", "first_name", "msg", "thread")
SEES = {
    "OA": {"VV": NAME_AND_MESSAGES, "VA": (*NAME_AND_MESSAGES, "email", "last_name")},
    "OG": {"VG": NAME_AND_MESSAGES},
}


@pytest.mark.parametrize("persona", ["VV", "VG", "VA", "OA", "OG"])
def test_no_persona_sees_foreign_applicant_data(client, world, persona):
    people, org_verl, org_gt = world
    client.force_login(people[persona])
    foreign = {}
    for tag in ("VV", "VG", "VA"):
        if tag == persona:
            continue
        markers = {**_markers(tag), "msg": f"CANARYMSG{tag}", "thread": f"CANARYTHREAD{tag}"}
        for field, marker in markers.items():
            if field not in SEES.get(persona, {}).get(tag, ()):
                foreign[marker] = (tag, field)
    pattern = re.compile("|".join(re.escape(m) for m in foreign), re.IGNORECASE)
    lookup = {marker.lower(): where for marker, where in foreign.items()}
    leaks, crawled, seen = [], 0, set()
    for url in _pages(org_verl, org_gt):
        response = client.get(url)
        if response.status_code != 200:
            continue
        crawled += 1
        text = response.content.decode("utf-8-sig", errors="replace")
        leaks += [(url, lookup[m.lower()]) for m in set(pattern.findall(text))]
        seen |= {tag for tag in SEES.get(persona, {}) if f"CANARYMSG{tag}" in text}

    assert crawled >= 2
    assert leaks == [], leaks
    assert seen == set(SEES.get(persona, {}))  # the check has teeth: the organisation does see its applicants
