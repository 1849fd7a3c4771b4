"""eFZ records on screen: the organisation area, Mein Bereich and the coordinators' admin. Foreign records
answer 404, every view of a record is audited, and no form offers an upload or a free-text field."""

import datetime

import pytest
from django.urls import reverse

from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import (
    Application,
    ApplicationStatus,
    AuditEntry,
    EfzRecord,
    IssuedLetter,
    Kommune,
    OrganisationMembership,
    VolunteerProfile,
)
from volunteering.services.efz import efz_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(reference_data):
    user = make_volunteer("jonas.applicant@example.org", first_name="Jonas", last_name="Beck")
    VolunteerProfile.objects.create(user=user, display_name="Jonas", kommune=Kommune.objects.get(name="Verl"))
    return user


@pytest.fixture
def application(organisation, applicant):
    need = make_need(organisation, title="Ferienfreizeit mit Kindern")
    return Application.objects.create(need=need, volunteer=applicant, status=ApplicationStatus.SUBMITTED)


@pytest.fixture
def record(application, org_admin):
    today = datetime.date.today()
    return efz_record(
        actor=org_admin,
        volunteer=application.volunteer,
        application=application,
        certificate_date=today - datetime.timedelta(days=10),
        relevant_entry=False,
        inspected_by="organisation",
        inspected_on=today,
    )


def test_an_organisation_admin_records_an_inspection_through_the_form(client, org_admin, application):
    client.force_login(org_admin)
    url = reverse("efz:organisation_record", args=[application.need.organisation_id, application.pk])
    page = client.get(url).content.decode()
    assert 'type="file"' not in page and "<textarea" not in page
    today = datetime.date.today().isoformat()
    response = client.post(
        url,
        {
            "certificate_date": today,
            "relevant_entry": "no",
            "inspected_by": "organisation",
            "inspected_on": today,
        },
    )
    assert response.status_code == 302
    record = EfzRecord.objects.get(application=application)
    assert record.recorded_by == org_admin and record.relevant_entry is False


def test_bad_input_changes_nothing_and_keeps_what_was_typed(client, org_admin, application):
    client.force_login(org_admin)
    url = reverse("efz:organisation_record", args=[application.need.organisation_id, application.pk])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url,
        {
            "certificate_date": future,
            "relevant_entry": "no",
            "inspected_by": "organisation",
            "inspected_on": future,
        },
    )
    assert response.status_code == 200
    assert "nicht in der Zukunft" in response.content.decode()
    assert future in response.content.decode()
    assert not EfzRecord.objects.exists()


def test_the_list_shows_the_status_and_audits_every_record_shown(client, org_admin, record):
    client.force_login(org_admin)
    response = client.get(reverse("efz:organisation_list", args=[record.organisation_id]))
    page = response.content.decode()
    assert "Jonas" in page and "relevanter Eintrag: nein" in page
    assert AuditEntry.objects.filter(actor=org_admin, action="efz.list", object_id=record.pk).count() == 1


def test_other_organisations_and_plain_members_get_404(
    client, record, application, org_member, other_org_member
):
    from tests.conftest import with_totp

    OrganisationMembership.objects.filter(user=other_org_member).update(role="admin")
    with_totp(other_org_member)  # an admin of another organisation, with the second factor
    organisation = record.organisation_id
    for user in (org_member, other_org_member):
        client.force_login(user)
        assert client.get(reverse("efz:organisation_list", args=[organisation])).status_code == 404
        assert (
            client.get(reverse("efz:organisation_record", args=[organisation, application.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("efz:organisation_not_started", args=[organisation, record.pk])).status_code
            == 404
        )
        assert (
            client.post(
                reverse("efz:organisation_confirmation", args=[organisation, application.pk])
            ).status_code
            == 404
        )
    # Their own organisation's URL with this record: 404 as well.
    other = OrganisationMembership.objects.get(user=other_org_member).organisation_id
    client.force_login(other_org_member)
    assert client.post(reverse("efz:organisation_not_started", args=[other, record.pk])).status_code == 404
    assert EfzRecord.objects.filter(pk=record.pk).exists()
    assert not IssuedLetter.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="efz.list").exists()


def test_nicht_begonnen_deletes_the_record(client, org_admin, record):
    client.force_login(org_admin)
    response = client.post(reverse("efz:organisation_not_started", args=[record.organisation_id, record.pk]))
    assert response.status_code == 302
    assert not EfzRecord.objects.exists()


def test_the_admin_issues_the_confirmation_letter_from_the_list(client, org_admin, application):
    client.force_login(org_admin)
    organisation = application.need.organisation_id
    response = client.post(reverse("efz:organisation_confirmation", args=[organisation, application.pk]))
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(kind="efz_confirmation", subject=application.volunteer)
    page = client.get(reverse("efz:organisation_list", args=[organisation])).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in page


def test_the_volunteer_sees_the_own_status_until_when_it_counts(client, applicant, record):
    client.force_login(applicant)
    page = client.get(reverse("efz:mine")).content.decode()
    assert f"{record.valid_until.year}" in page and "gültig" in page
    assert AuditEntry.objects.filter(actor=applicant, action="efz.view_own", object_id=record.pk).exists()


def test_the_volunteer_page_shows_nobody_elses_record(client, outsider, record):
    client.force_login(outsider)
    page = client.get(reverse("efz:mine")).content.decode()
    assert "Es ist keine Einsicht erfasst." in page


# --- Coordination (Wagtail admin) -------------------------------------------------------------------------
def test_a_town_coordinator_sees_records_of_their_towns_only(
    client, record, town_coordinator, town_coordinator_other_town
):
    client.force_login(town_coordinator)
    page = client.get(reverse("coordination_efz")).content.decode()
    assert "Jonas" in page
    assert AuditEntry.objects.filter(actor=town_coordinator, action="efz.list", object_id=record.pk).exists()
    client.force_login(town_coordinator_other_town)
    page = client.get(reverse("coordination_efz")).content.decode()
    assert "Jonas" not in page
    assert client.post(reverse("coordination_efz_delete", args=[record.pk])).status_code == 404
    assert EfzRecord.objects.filter(pk=record.pk).exists()


def test_a_coordinator_records_a_kommune_inspection_for_a_volunteer_of_their_town(
    client, applicant, town_coordinator, town_coordinator_other_town
):
    today = datetime.date.today().isoformat()
    data = {
        "email": applicant.email,
        "certificate_date": today,
        "relevant_entry": "no",
        "inspected_by": "kommune",
        "kommune": Kommune.objects.get(name="Harsewinkel").pk,
        "inspected_on": today,
    }
    client.force_login(town_coordinator_other_town)
    response = client.post(reverse("coordination_efz_new"), data)
    assert response.status_code == 200 and not EfzRecord.objects.exists()
    client.force_login(town_coordinator)
    data["kommune"] = Kommune.objects.get(name="Verl").pk
    response = client.post(reverse("coordination_efz_new"), data)
    assert response.status_code == 302
    record = EfzRecord.objects.get()
    assert record.organisation is None and record.kommune.name == "Verl"
