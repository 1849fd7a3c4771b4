"""Canary sweep (QUALITY.md 4): every personal field holds a unique marker; each persona crawls every page
it can reach; no marker of another person appears unless that persona is meant to see it."""

import contextlib
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.conftest import with_totp
from tests.factories import UserFactory
from volunteering.models import (
    CoordinatorRole,
    Kommune,
    MembershipRole,
    Organisation,
    OrganisationMembership,
    ParentalConsent,
    VolunteerProfile,
)


def _markers(tag: str) -> dict[str, str]:
    return {
        "email": f"canary-{tag.lower()}@example.org",
        "first_name": f"CANARYFIRST{tag}",
        "last_name": f"CANARYLAST{tag}",
        "display_name": f"CANARYDISPLAY{tag}",
        "motivation": f"CANARYMOTIVE{tag}",
        "skill": f"CANARYSKILL{tag}",
        "parent": f"canary-parent-{tag.lower()}@example.org",
    }


def _person(tag: str, kommune: Kommune | None, **user_fields):
    markers = _markers(tag)
    user = UserFactory(
        email=markers["email"],
        first_name=markers["first_name"],
        last_name=markers["last_name"],
        **user_fields,
    )
    VolunteerProfile.objects.create(
        user=user,
        kommune=kommune,
        display_name=markers["display_name"],
        motivation=markers["motivation"],
        skills=[markers["skill"]],
    )
    ParentalConsent.objects.create(user=user, parent_email=markers["parent"])
    return user


@pytest.fixture
def cast(roles, reference_data):
    verl, guetersloh = Kommune.objects.get(name="Verl"), Kommune.objects.get(name="Gütersloh")
    people = {
        "volunteer_verl": _person("VV", verl),
        "volunteer_gt": _person("VG", guetersloh),
        "org_admin_verl": with_totp(_person("OA", verl)),
        "org_member_gt": _person("OG", guetersloh),
        "coordinator_verl": with_totp(_person("CV", verl, is_staff=True, groups=["Koordination"])),
        "coordinator_district": with_totp(_person("CD", None, is_staff=True, groups=["Koordination"])),
        "editor": with_totp(_person("ED", None, is_staff=True, groups=["Redaktion"])),
    }
    CoordinatorRole.objects.create(user=people["coordinator_verl"]).kommunen.set([verl])
    CoordinatorRole.objects.create(user=people["coordinator_district"], whole_district=True)
    org_verl = Organisation.objects.create(
        name="Canary Verl", slug="canary-verl", legal_form="ev", description="x", email="info@verl.example"
    )
    org_verl.kommunen.set([verl])
    org_gt = Organisation.objects.create(
        name="Canary GT",
        slug="canary-gt",
        legal_form="ev",
        description="x",
        email="info@gt.example",
        status="verified",
    )
    org_gt.kommunen.set([guetersloh])
    OrganisationMembership.objects.create(
        organisation=org_verl, user=people["org_admin_verl"], role=MembershipRole.ADMIN
    )
    OrganisationMembership.objects.create(
        organisation=org_gt, user=people["org_member_gt"], role=MembershipRole.MEMBER
    )
    return people, org_verl, org_gt


TAGS = {
    "volunteer_verl": "VV",
    "volunteer_gt": "VG",
    "org_admin_verl": "OA",
    "org_member_gt": "OG",
    "coordinator_verl": "CV",
    "coordinator_district": "CD",
    "editor": "ED",
}
# Who may see whose personal data, beyond their own. Coordinators see the volunteers of their towns;
# members of one organisation see each other on the member list.
ALLOWED = {
    "coordinator_verl": {"VV", "OA", "CV"},
    "coordinator_district": set(TAGS.values()),
}
# Markers a coordinator may see: profile data, not the parent's address.
NEVER_SHOWN_TO_OTHERS = {"parent"}


def _urls(people, org_verl, org_gt) -> list[str]:
    from tests.config.test_access_registry import ALL_PATTERNS

    urls = set()
    with translation.override("de"):
        for _route, name in ALL_PATTERNS:
            if not name or name.startswith(("wagtail", "account_confirm", "account_reset_password_from_key")):
                continue
            with contextlib.suppress(NoReverseMatch):
                urls.add(reverse(name))
        for organisation in (org_verl, org_gt):
            for name in ("detail", "edit", "members", "invite"):
                urls.add(reverse(f"organisation:{name}", args=[organisation.pk]))
            urls.add(reverse("organisation_public", args=[organisation.slug]))
    for profile in VolunteerProfile.objects.all():
        urls.add(f"/admin/freiwillige/{profile.pk}/")
    urls |= {"/admin/freiwillige/", "/admin/koordination/organisationen/", "/admin/users/", "/de/"}
    return sorted(url for url in urls if not url.startswith(("/django-admin/", "/de/konto/logout")))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(TAGS))
def test_no_persona_sees_anyone_elses_personal_data(client, site_tree, cast, persona):
    people, org_verl, org_gt = cast
    user = people[persona]
    client.force_login(user)
    own = TAGS[persona]
    allowed = {own} | ALLOWED.get(persona, set())
    foreign = {}
    for tag in TAGS.values():
        for field, marker in _markers(tag).items():
            if tag not in allowed or (tag != own and field in NEVER_SHOWN_TO_OTHERS):
                foreign[marker] = (tag, field)
    pattern = re.compile("|".join(re.escape(marker) for marker in foreign), re.IGNORECASE)

    lookup = {marker.lower(): where for marker, where in foreign.items()}
    seen_others = set()
    crawled, leaks = 0, []
    for url in _urls(people, org_verl, org_gt):
        response = client.get(url, follow=False)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            ("text/", "application/json")
        ):
            continue
        crawled += 1
        text = response.content.decode(errors="replace")
        for found in set(pattern.findall(text)):
            leaks.append((url, lookup[found.lower()]))
        seen_others |= {tag for tag in allowed - {own} if _markers(tag)["display_name"] in text}

    assert crawled >= 10
    assert leaks == [], f"{persona} saw foreign personal data: {leaks}"
    # The sweep has teeth: coordinators do see the volunteers they are responsible for.
    assert seen_others == allowed - {own}
