"""After erasure, a full database dump holds none of the person's marker strings (QUALITY.md 30)."""

import shutil
import subprocess

import pytest
from django.db import connection

from scripts.services import find_pg_bin
from tests.factories import UserFactory
from volunteering.models import (
    Consent,
    ConsentText,
    Language,
    ParentalConsent,
    ProfileLanguage,
    VolunteerProfile,
)
from volunteering.privacy import person_erase, person_export

MARKERS = {
    "email": "marker-mail-4711@example.org",
    "first_name": "MARKERVORNAME4711",
    "last_name": "MARKERNACHNAME4711",
    "display_name": "MARKERANZEIGE4711",
    "motivation": "MARKERMOTIVATION4711",
    "skill": "MARKERSKILL4711",
    "parent_email": "marker-eltern-4711@example.org",
}


def _dump() -> str:
    settings = connection.settings_dict
    binary = shutil.which("pg_dump") or str(find_pg_bin() / "pg_dump")
    result = subprocess.run(
        [
            binary,
            "-h",
            settings["HOST"],
            "-p",
            str(settings["PORT"]),
            "-U",
            settings["USER"],
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_erased_person_leaves_no_trace_in_a_database_dump(reference_data):
    from django.core.management import call_command

    call_command("migrate", "volunteering", "0002", verbosity=0)
    call_command("migrate", verbosity=0)  # every app: cms migrations depend on volunteering
    person = UserFactory(
        email=MARKERS["email"], first_name=MARKERS["first_name"], last_name=MARKERS["last_name"]
    )
    other = UserFactory(email="bleibt@example.org", first_name="BLEIBT")
    profile = VolunteerProfile.objects.create(
        user=person,
        display_name=MARKERS["display_name"],
        motivation=MARKERS["motivation"],
        skills=[MARKERS["skill"]],
    )
    ProfileLanguage.objects.create(profile=profile, language=Language.objects.get(code="ar"), level=7)
    ParentalConsent.objects.create(user=person, parent_email=MARKERS["parent_email"])
    Consent.objects.create(user=person, text=ConsentText.objects.get(kind="terms"))
    VolunteerProfile.objects.create(user=other, display_name="BLEIBT")

    before = _dump()
    exported = str(person_export(person))
    assert all(marker in before for marker in MARKERS.values())
    assert all(marker in exported for marker in MARKERS.values())

    person_erase(person)

    after = _dump()
    assert [marker for marker in MARKERS.values() if marker in after] == []
    assert "bleibt@example.org" in after
