"""Recognition pages: logging hours (formset without JavaScript), the organisation's bulk decisions (foreign
entries → 404), thanks editing, the Engagementnachweis and the hours confirmation as PDFs."""

import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications import clock
from notifications.models import Notification
from tests.volunteering.recognition_world import make_engagement
from volunteering.models import (
    EngagementCertificate,
    HoursEntry,
    HoursStatus,
    IssuedLetter,
    Kommune,
    Milestone,
    ThankYou,
    VolunteerProfile,
)
from volunteering.services import recognition as services
from volunteering.services.recognition import HoursLine

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = clock.now().astimezone(BERLIN).date()


@pytest.fixture
def engagement(volunteer, organisation, org_member):
    return make_engagement(volunteer, organisation, starts_on=TODAY - timedelta(days=800))


def _formset(rows, prefix="stunden"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, (day, hours, note) in enumerate(rows):
        data[f"{prefix}-{index}-worked_on"] = day
        data[f"{prefix}-{index}-hours"] = hours
        data[f"{prefix}-{index}-note"] = note
    return data


def _log(engagement, *hours, day=None):
    day = day or TODAY - timedelta(days=3)
    return services.hours_log(
        volunteer=engagement.volunteer,
        engagement=engagement,
        lines=[HoursLine(worked_on=day, minutes=int(h * 60)) for h in hours],
    )


# --- The volunteer ----------------------------------------------------------------------------------
def test_the_volunteer_logs_several_entries_and_empty_rows_stay_empty(client, engagement):
    client.force_login(engagement.volunteer)
    day = (TODAY - timedelta(days=2)).isoformat()
    response = client.post(
        reverse("recognition:hours_log", args=[engagement.pk]),
        _formset([(day, "2,5", "Lesen"), (day, "1", ""), ("", "", "")]),
    )
    assert response.status_code == 302
    assert sorted(HoursEntry.objects.values_list("minutes", flat=True)) == [60, 150]


def test_invalid_rows_keep_what_was_typed_and_save_nothing(client, engagement):
    client.force_login(engagement.volunteer)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("recognition:hours_log", args=[engagement.pk]),
        _formset([(TODAY.isoformat(), "2", "Gut gelaufen"), (tomorrow, "1", "")]),
    )
    assert response.status_code == 200
    assert "Gut gelaufen" in response.content.decode()
    assert "erst nach dem Einsatz" in response.content.decode()
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("hours", ["0", "25", "abc", "-1"])
def test_bad_durations_are_refused(client, engagement, hours):
    client.force_login(engagement.volunteer)
    response = client.post(
        reverse("recognition:hours_log", args=[engagement.pk]), _formset([(TODAY.isoformat(), hours, "")])
    )
    assert response.status_code == 200
    assert not HoursEntry.objects.exists()


def test_nobody_opens_someone_elses_engagement(client, engagement, outsider):
    client.force_login(outsider)
    assert client.get(reverse("recognition:hours_log", args=[engagement.pk])).status_code == 404


def test_the_overview_shows_totals_milestones_and_the_card_estimate(client, engagement, org_member):
    VolunteerProfile.objects.create(user=engagement.volunteer, kommune=Kommune.objects.get(name="Gütersloh"))
    entries = _log(engagement, 8, 8, 7)
    services.hours_confirm(
        actor=org_member, organisation=engagement.organisation, entry_ids=[e.pk for e in entries]
    )
    client.force_login(engagement.volunteer)
    page = client.get(reverse("recognition:overview")).content.decode()
    assert "10 Stunden" in page  # the milestone badge
    assert "Noch 377 Stunden bis zur Ehrenamtskarte NRW" in page  # 2 × 200 h in Gütersloh, 23 h confirmed
    assert "Flüchtlingshilfe Verl" in page
    assert "Stundenbestätigung von" in page


def test_a_town_that_does_not_issue_the_card_says_so(client, engagement):
    VolunteerProfile.objects.create(user=engagement.volunteer, kommune=Kommune.objects.get(name="Langenberg"))
    client.force_login(engagement.volunteer)
    page = client.get(reverse("recognition:overview")).content.decode()
    assert "gibt die Ehrenamtskarte NRW im Moment nicht aus" in page


def test_badges_are_private_until_the_volunteer_shows_them(client, engagement, org_member):
    entries = _log(engagement, 10)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entries[0].pk])
    milestone = Milestone.objects.get()
    client.force_login(engagement.volunteer)
    client.post(
        reverse("recognition:settings"),
        {
            "allowance_kind": "none",
            "allowance_eur_per_year": "0",
            "years_before_platform": "0",
            "public_badges": "on",
        },
    )
    slug = engagement.volunteer.recognition_settings.public_slug
    public = reverse("recognition:public_badges", args=[slug])
    client.logout()
    assert "10 Stunden" not in client.get(public).content.decode()
    client.force_login(engagement.volunteer)
    client.post(reverse("recognition:milestone_visibility", args=[milestone.pk]), {"public": "1"})
    client.logout()
    assert "10 Stunden" in client.get(public).content.decode()


def test_the_volunteer_cannot_change_someone_elses_milestone(client, engagement, org_member, outsider):
    entries = _log(engagement, 10)
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entries[0].pk])
    client.force_login(outsider)
    milestone = Milestone.objects.get()
    response = client.post(reverse("recognition:milestone_visibility", args=[milestone.pk]), {"public": "1"})
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.show_publicly is False


# --- The organisation ---------------------------------------------------------------------------------
def test_members_confirm_in_bulk(client, engagement, org_member):
    entries = _log(engagement, 2, 3)
    client.force_login(org_member)
    url = reverse("recognition:org_hours", args=[engagement.organisation_id])
    assert "Hausaufgabenhilfe" in client.get(url).content.decode()
    response = client.post(url, {"entries": [e.pk for e in entries], "action": "confirm"})
    assert response.status_code == 302
    assert set(HoursEntry.objects.values_list("status", flat=True)) == {HoursStatus.CONFIRMED}


def test_a_rejection_without_reason_changes_nothing(client, engagement, org_member):
    entry = _log(engagement, 2)[0]
    client.force_login(org_member)
    url = reverse("recognition:org_hours", args=[engagement.organisation_id])
    response = client.post(url, {"entries": [entry.pk], "action": "reject", "reason": ""})
    assert response.status_code == 200
    assert HoursEntry.objects.get().status == HoursStatus.SUBMITTED


def test_a_foreign_entry_answers_404_and_changes_nothing(
    client, engagement, other_organisation, other_org_member
):
    entry = _log(engagement, 2)[0]
    client.force_login(other_org_member)
    own_url = reverse("recognition:org_hours", args=[other_organisation.pk])
    assert client.post(own_url, {"entries": [entry.pk], "action": "confirm"}).status_code == 404
    foreign_url = reverse("recognition:org_hours", args=[engagement.organisation_id])
    assert client.get(foreign_url).status_code == 404
    assert client.post(foreign_url, {"entries": [entry.pk], "action": "confirm"}).status_code == 404
    assert HoursEntry.objects.get().status == HoursStatus.SUBMITTED


def test_attendance_credits_are_not_offered_for_confirmation(client, engagement, org_member, volunteer):
    services.credit_attendance(
        volunteer, source="taster", source_id=1, on_date=TODAY, hours=2, organisation=engagement.organisation
    )
    client.force_login(org_member)
    page = client.get(reverse("recognition:org_hours", args=[engagement.organisation_id])).content.decode()
    assert "Im Moment warten keine Stunden" in page


def test_the_organisation_edits_and_sends_the_thanks(client, engagement, org_member):
    entry = _log(engagement, 10)[0]
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entry.pk])
    thank_you = ThankYou.objects.get()
    client.force_login(org_member)
    url = reverse("recognition:org_thanks_edit", args=[engagement.organisation_id, thank_you.pk])
    assert "Stunden Ihrer Zeit geschenkt" in client.get(url).content.decode()  # the default text to edit
    response = client.post(url, {"text": "Zehn Stunden – danke, Lena!", "signature": "Anna", "send_now": "1"})
    assert response.status_code == 302
    thank_you.refresh_from_db()
    assert thank_you.status == "sent"
    assert thank_you.text == "Zehn Stunden – danke, Lena!"
    assert Notification.objects.filter(
        kind="recognition.thanks", status="pending", due_at__lte=clock.now()
    ).exists()


def test_other_organisations_do_not_see_the_thanks(client, engagement, org_member, other_org_member):
    entry = _log(engagement, 10)[0]
    services.hours_confirm(actor=org_member, organisation=engagement.organisation, entry_ids=[entry.pk])
    client.force_login(other_org_member)
    url = reverse("recognition:org_thanks_edit", args=[engagement.organisation_id, ThankYou.objects.get().pk])
    assert client.get(url).status_code == 404


# --- PDFs -----------------------------------------------------------------------------------------------
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@needs_pdftotext
def test_the_engagementnachweis_pdf_states_the_required_fields(client, engagement, org_member, tmp_path):
    entries = _log(engagement, 3, 4)
    services.hours_confirm(
        actor=org_member, organisation=engagement.organisation, entry_ids=[e.pk for e in entries]
    )
    client.force_login(org_member)
    url = reverse("recognition:org_certificate", args=[engagement.organisation_id, engagement.pk])
    response = client.post(
        url,
        {
            "area": "Hausaufgabenhilfe",
            "period_from": "2024-01-01",
            "period_to": TODAY.isoformat(),
            "scope": "etwa 3 Stunden pro Woche",
            "description": "Begleitet Kinder aus geflüchteten Familien bei den Hausaufgaben.",
            "tasks": "Lesen üben, Mathe erklären",
            "competencies": ["teamwork", "educational"],
            "thanks": "Wir danken von Herzen.",
        },
    )
    assert response.status_code == 302
    certificate = EngagementCertificate.objects.get()
    letter = IssuedLetter.objects.get(pk=certificate.letter_id)
    client.force_login(engagement.volunteer)
    assert "Engagementnachweis" in client.get(reverse("recognition:overview")).content.decode()
    pdf = client.get(reverse("letters:download", args=[letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(b"".join(pdf), tmp_path).split())
    for expected in [
        "Engagementnachweis",
        "Flüchtlingshilfe Verl e. V.",
        engagement.volunteer.get_full_name(),
        "Tätigkeitsbereich Hausaufgabenhilfe",
        "1. Januar 2024",
        "etwa 3 Stunden pro Woche",
        "Begleitet Kinder aus geflüchteten Familien",
        "Lesen üben, Mathe erklären",
        "Teamfähigkeit",
        "Pädagogisches Geschick",
        "Wir danken von Herzen.",
        "7 Stunden",
        letter.display_code,
    ]:
        assert expected in text, expected
    verify = client.get(reverse("letters:verify", args=[letter.display_code]))
    assert "Hausaufgabenhilfe" in verify.content.decode()


def test_the_engagementnachweis_is_written_only_by_the_own_organisation(client, engagement, other_org_member):
    client.force_login(other_org_member)
    url = reverse("recognition:org_certificate", args=[engagement.organisation_id, engagement.pk])
    assert client.get(url).status_code == 404


@needs_pdftotext
def test_the_hours_confirmation_pdf_states_hours_per_year_and_allowance(
    client, engagement, org_member, tmp_path
):
    VolunteerProfile.objects.create(user=engagement.volunteer, kommune=Kommune.objects.get(name="Gütersloh"))
    older = _log(engagement, 5, day=TODAY - timedelta(days=500))
    recent = _log(engagement, 8, 4)
    services.hours_confirm(
        actor=org_member, organisation=engagement.organisation, entry_ids=[e.pk for e in older + recent]
    )
    client.force_login(engagement.volunteer)
    response = client.post(reverse("recognition:hours_confirmation", args=[engagement.organisation_id]))
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(kind="ehrenamtskarte_hours")
    again = client.post(reverse("recognition:hours_confirmation", args=[engagement.organisation_id]))
    assert again["Location"] == response["Location"]  # the same facts: the same letter
    assert IssuedLetter.objects.filter(kind="ehrenamtskarte_hours").count() == 1
    text = " ".join(_pdf_text(b"".join(client.get(response["Location"])), tmp_path).split())
    for expected in [
        "Bestätigung der ehrenamtlichen Stunden",
        "Ehrenamtskarte NRW",
        engagement.volunteer.get_full_name(),
        "Flüchtlingshilfe Verl e. V.",
        "Hausaufgabenhilfe",
        "17 Stunden",  # in the two prior years Gütersloh requires
        ": 12 Stunden",
        ": 5 Stunden",
        "Keine pauschale Aufwandsentschädigung",
        "Unterschrift",
        letter.display_code,
    ]:
        assert expected in text, expected


def test_no_hours_confirmation_without_confirmed_hours(client, engagement):
    _log(engagement, 5)
    client.force_login(engagement.volunteer)
    response = client.post(reverse("recognition:hours_confirmation", args=[engagement.organisation_id]))
    assert response.status_code == 302
    assert not IssuedLetter.objects.exists()


def test_no_hours_confirmation_for_an_organisation_without_own_hours(client, volunteer, other_organisation):
    client.force_login(volunteer)
    response = client.post(reverse("recognition:hours_confirmation", args=[other_organisation.pk]))
    assert response.status_code == 404


def test_daily_years_job_is_scheduled_at_night():
    from config.celery import app

    entry = app.conf.beat_schedule["recognition-milestones"]
    assert entry["task"] == "volunteering.tasks.recognition_milestones"


def test_the_years_task_checks_every_volunteer(volunteer, organisation):
    from volunteering.tasks import recognition_milestones

    make_engagement(volunteer, organisation, starts_on=date(2020, 1, 1))
    with clock.frozen(datetime(2026, 1, 2, 4, 0, tzinfo=BERLIN)):
        assert recognition_milestones() == 3


def test_the_overview_works_for_a_new_account_without_profile_or_hours(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("recognition:overview")).content.decode()
    assert "Noch keine bestätigten Stunden." in page
    assert "Tragen Sie Ihre Postleitzahl im Profil ein" in page
    assert "Noch 400 Stunden bis zur Ehrenamtskarte NRW" in page  # two prior years when no town is known
