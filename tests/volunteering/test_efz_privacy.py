"""Export and erasure of eFZ records and letters (Art. 15/17/20): the person's own, nothing of others."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import Application, EfzRecord, IssuedLetter
from volunteering.privacy import person_erase, person_export
from volunteering.services.efz import efz_record
from volunteering.services.letters import efz_confirmation_issue, letter_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organisation, org_admin):
    need = make_need(organisation, title="Jugendtreff")
    people = []
    for email in ("eins@example.org", "zwei@example.org"):
        person = make_volunteer(email, first_name=email.split("@")[0].title(), last_name="Muster")
        application = Application.objects.create(need=need, volunteer=person, status="submitted")
        efz_record(
            actor=org_admin,
            volunteer=person,
            application=application,
            certificate_date=datetime.date.today(),
            relevant_entry=False,
            inspected_by="organisation",
            inspected_on=datetime.date.today(),
        )
        efz_confirmation_issue(application=application, actor=org_admin)
        people.append(person)
    return people


def test_the_export_holds_the_persons_records_and_letters_only(world, org_admin):
    first, _second = world
    data = person_export(first)
    dumped = json.dumps(data, cls=DjangoJSONEncoder)
    assert len(data["volunteering.EfzRecord"]) == 1
    assert data["volunteering.IssuedLetter"][0]["stated"]["name"] == "Eins Muster"
    assert "Zwei" not in dumped and "zwei@example.org" not in dumped
    assert org_admin.email not in dumped  # who recorded or issued them is left out


def test_erasure_removes_records_and_letters_and_the_code_no_longer_verifies(world):
    first, second = world
    code = IssuedLetter.objects.get(subject=first).code
    person_erase(first)
    assert not EfzRecord.objects.filter(volunteer_id=first.pk).exists()
    assert not IssuedLetter.objects.filter(code=code).exists()
    assert letter_verify(code).state == "not_found"
    assert EfzRecord.objects.filter(volunteer=second).count() == 1
    assert IssuedLetter.objects.filter(subject=second).count() == 1
