"""The application pages: applying, the volunteer's list, the organisation's inbox, CSV export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import (
    AnswerTemplate,
    Application,
    ApplicationStatus,
    Engagement,
    VolunteerProfile,
)
from volunteering.services.applications import application_accept, application_submit
from volunteering.views.applications import csv_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(organisation):
    return make_need(organisation, title="Sprachcafé Verl")


@pytest.fixture
def applicant(db):
    user = make_volunteer("amira@example.org", first_name="Amira", last_name="Haddad")
    VolunteerProfile.objects.create(user=user, display_name="Amira H.")
    return user


def test_a_volunteer_applies_and_sees_the_status(client, need, applicant, org_admin):
    client.force_login(applicant)
    page = client.get(f"/de/einsaetze/{need.pk}/bewerben/")
    assert page.status_code == 200 and "So geht es weiter" in page.content.decode()

    response = client.post(f"/de/einsaetze/{need.pk}/bewerben/", {"message": "Ich spreche Arabisch."})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/de/mein-bereich/bewerbungen/{application.pk}/"
    assert application.message == "Ich spreche Arabisch." and application.volunteer == applicant
    listing = client.get("/de/mein-bereich/bewerbungen/").content.decode()
    assert "Sprachcafé Verl" in listing and "eingegangen" in listing
    # A second visit of the form leads to the existing application.
    assert client.get(f"/de/einsaetze/{need.pk}/bewerben/")["Location"].endswith(f"/{application.pk}/")


def test_applying_for_an_unpublished_need_is_a_404(client, need, applicant):
    need.status = "draft"
    need.save()
    client.force_login(applicant)
    assert client.get(f"/de/einsaetze/{need.pk}/bewerben/").status_code == 404
    assert client.post(f"/de/einsaetze/{need.pk}/bewerben/", {"message": "x"}).status_code == 404
    assert not Application.objects.exists()


def test_a_refused_application_shows_the_reason_and_writes_nothing(client, need):
    need.min_age = 18
    need.save()
    young = make_volunteer(age=16)
    client.force_login(young)

    response = client.post(f"/de/einsaetze/{need.pk}/bewerben/", {"message": "Hallo"})

    assert response.status_code == 200 and "mindestens 18 Jahre" in response.content.decode()
    assert not Application.objects.exists()


def test_the_volunteer_withdraws_and_writes_in_the_thread(client, need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)
    client.force_login(applicant)

    client.post(f"/de/mein-bereich/bewerbungen/{application.pk}/nachricht/", {"body": "Noch eine Frage."})
    client.post(f"/de/mein-bereich/bewerbungen/{application.pk}/zurueckziehen/")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.messages.get().body == "Noch eine Frage."


def test_the_organisation_answers_accepts_and_only_then_sees_the_contact(client, need, applicant, org_member):
    application = application_submit(need=need, volunteer=applicant)
    client.force_login(org_member)
    base = f"/de/organisation/{need.organisation_id}/bewerbungen/{application.pk}/"

    before = client.get(base).content.decode()
    assert "Amira H." in before and "amira@example.org" not in before and "Haddad" not in before

    client.post(base + "kontakt/", {"body": "Kommen Sie Dienstag vorbei?"})
    client.post(base + "zusagen/", {"starts_on": "2026-12-01", "status": "declined", "organisation": "999"})

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    engagement = Engagement.objects.get()
    assert str(engagement.starts_on) == "2026-12-01" and engagement.organisation == need.organisation
    after = client.get(base).content.decode()
    assert "amira@example.org" in after
    engagements = client.get(f"/de/organisation/{need.organisation_id}/engagements/").content.decode()
    assert "Amira Haddad" in engagements and need.tasks in engagements


def test_the_volunteer_sees_the_engagement_with_the_organisations_contact(client, need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)
    application_accept(application=application, actor=org_admin)
    client.force_login(applicant)

    page = client.get(f"/de/mein-bereich/bewerbungen/{application.pk}/").content.decode()

    assert "Ihr Engagement" in page and need.organisation.email in page
    assert "zurückziehen" not in page.split("Verlauf")[0]


def test_the_organisation_declines_with_a_template_text(client, need, applicant, org_admin):
    application = application_submit(need=need, volunteer=applicant)
    client.force_login(org_admin)
    client.post(
        f"/de/organisation/{need.organisation_id}/textbausteine/",
        {"title": "Absage", "body": "Leider sind alle Plätze vergeben."},
    )
    template = AnswerTemplate.objects.get(organisation=need.organisation)
    detail = client.get(f"/de/organisation/{need.organisation_id}/bewerbungen/{application.pk}/")
    assert template.body in detail.content.decode()

    client.post(
        f"/de/organisation/{need.organisation_id}/bewerbungen/{application.pk}/absagen/",
        {"body": template.body},
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.messages.get().body == template.body


def test_answer_templates_are_edited_and_deleted_by_admins_only(client, need, org_admin, org_member):
    template = AnswerTemplate.objects.create(organisation=need.organisation, title="Hallo", body="Text")
    url = f"/de/organisation/{need.organisation_id}/textbausteine/{template.pk}/"
    client.force_login(org_member)
    assert client.get(url).status_code == 404
    assert client.post(url + "loeschen/").status_code == 404

    client.force_login(org_admin)
    client.post(url, {"title": "Willkommen", "body": "Neuer Text"})
    template.refresh_from_db()
    assert (template.title, template.body) == ("Willkommen", "Neuer Text")
    client.post(url + "loeschen/")
    assert not AnswerTemplate.objects.exists()


def test_the_inbox_counts_and_filters(client, need, org_admin, organisation):
    other_need = make_need(organisation, title="Begleitung zu Ämtern")
    submitted = application_submit(need=need, volunteer=make_volunteer(first_name="Erste"))
    old = application_submit(need=other_need, volunteer=make_volunteer(first_name="Zweite"))
    Application.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2025))
    accepted = application_submit(need=need, volunteer=make_volunteer(first_name="Dritte"))
    application_accept(application=accepted, actor=org_admin)
    client.force_login(org_admin)
    base = f"/de/organisation/{organisation.pk}/bewerbungen/"

    response = client.get(base)
    assert response.context["counts"]["submitted"] == 2
    assert response.context["counts"]["accepted"] == 1
    assert response.context["counts"]["overdue"] == 1

    def names(query):
        return {a.pk for a in client.get(base + query).context["page_obj"]}

    assert names("?status=accepted") == {accepted.pk}
    assert names(f"?need={other_need.pk}") == {old.pk}
    assert names("?overdue=on") == {old.pk}
    assert names("?status=nonsense&need=abc") == {submitted.pk, old.pk, accepted.pk}


def _inbox_queries(client, organisation, need, count: int) -> int:
    volunteers = [make_volunteer(first_name=f"P{i}") for i in range(count)]
    Application.objects.bulk_create(Application(need=need, volunteer=volunteer) for volunteer in volunteers)
    client.get(f"/de/organisation/{organisation.pk}/bewerbungen/")  # warm per-session caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/de/organisation/{organisation.pk}/bewerbungen/")
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_query_count_does_not_grow_with_the_applications(client, organisation, org_admin):
    client.force_login(org_admin)
    few_need = make_need(organisation, title="Wenige")
    few = _inbox_queries(client, organisation, few_need, 10)
    Application.objects.all().delete()
    many = _inbox_queries(client, organisation, make_need(organisation, title="Viele"), 1000)
    print(f"\nOrganisation inbox: {few} queries for 10 applications, {many} for 1,000")
    assert few == many


@pytest.mark.parametrize(
    "value, cell",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+49 5246", "'+49 5246"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Hallo = Welt", "Hallo = Welt"),
        ("", ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_the_csv_export_is_excel_ready_escaped_and_shows_email_only_after_acceptance(client, need, org_admin):
    waiting = make_volunteer("wartet@example.org", first_name="=cmd|' /C calc'!A0")
    accepted = make_volunteer("zugesagt@example.org", first_name="Zora")
    application_submit(need=need, volunteer=waiting, message="@Nachricht")
    application_accept(application=application_submit(need=need, volunteer=accepted), actor=org_admin)
    client.force_login(org_admin)

    response = client.get(f"/de/organisation/{need.organisation_id}/bewerbungen/export.csv")

    body = response.content
    assert response["Content-Type"].startswith("text/csv") and body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Eingang" and len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[2] == "'=cmd|' /C calc'!A0" and first[7] == "'@Nachricht" and first[6] == ""
    assert second[6] == "zugesagt@example.org"
    assert "wartet@example.org" not in body.decode("utf-8-sig")


def test_coordinators_see_the_escalated_applications_of_their_towns_only(
    client, need, org_admin, town_coordinator, town_coordinator_other_town
):
    from datetime import timedelta

    from django.utils import timezone

    late = application_submit(need=need, volunteer=make_volunteer())
    fresh = application_submit(need=need, volunteer=make_volunteer())
    answered = application_submit(need=need, volunteer=make_volunteer())
    long_ago = timezone.now() - timedelta(days=2 * need.organisation.response_deadline_days + 1)
    Application.objects.filter(pk__in=[late.pk, answered.pk]).update(created_at=long_ago)
    Application.objects.filter(pk=answered.pk).update(answered_at=timezone.now())
    url = "/admin/bewerbungen-ueberfaellig/"

    client.force_login(town_coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert [a.pk for a in response.context["page_obj"]] == [late.pk]
    assert need.title in response.content.decode() and fresh.volunteer.email not in response.content.decode()

    client.force_login(town_coordinator_other_town)
    assert list(client.get(url).context["page_obj"]) == []

    client.force_login(org_admin)
    assert client.get(url).status_code in (302, 403)
