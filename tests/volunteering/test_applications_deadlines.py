"""The deadline path with a real Celery worker on real Redis and PostgreSQL (DESIGN.md: reminders are rows).

Applications are submitted with the engine's clock moved back, so that their reminder (at the deadline)
and escalation (at twice the deadline) are already due when the worker sweeps: the organisation is
reminded, the town's coordinator is alerted, and an application answered in time alerts nobody.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import clock
from notifications.mailbox import mailbox_list
from notifications.models import Notification
from tests.notifications.conftest import start_worker, wait_for  # noqa: F401 - the fixture is used
from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import Application
from volunteering.selectors.applications import escalated_for_coordinator
from volunteering.services.applications import application_contact, application_submit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def _submitted(need, days_ago: float) -> Application:
    moved = timezone.now() - timedelta(days=days_ago)
    with clock.frozen(moved):
        application = application_submit(need=need, volunteer=make_volunteer())
    # The row's own timestamp follows the moved clock too (the coordinators' list reads it).
    Application.objects.filter(pk=application.pk).update(created_at=moved)
    application.refresh_from_db()
    return application


def _rows(kind: str, application: Application):
    return Notification.objects.filter(kind=kind, refs__application=application.pk, channel="email")


def test_the_worker_reminds_at_the_deadline_escalates_at_twice_it_and_an_answer_stops_both(
    start_worker,  # noqa: F811
    organisation,
    org_admin,
    town_coordinator,
    coordinator,
):
    organisation.response_deadline_days = 3
    organisation.save()
    need = make_need(organisation, volunteers_wanted=5)
    worker = start_worker()
    assert wait_for(lambda: "ready" in worker.output()), worker.output()

    past_deadline = _submitted(need, days_ago=4)  # reminder due a day ago, escalation in two days
    past_twice = _submitted(need, days_ago=7)  # both due
    answered = _submitted(need, days_ago=7)  # both would be due, but the organisation answers now
    application_contact(application=answered, actor=org_admin, message="Entschuldigung, wir melden uns!")

    def settled() -> bool:
        return (
            _rows("application.reminder", past_deadline).get().status == "sent"
            and _rows("application.reminder", past_twice).get().status == "sent"
            and _rows("application.escalated", past_twice).get().status == "sent"
        )

    assert wait_for(settled, timeout=60), worker.output()

    # At the deadline: a reminder to the organisation; the escalation still waits for its time.
    assert _rows("application.reminder", past_deadline).get().recipient == org_admin
    assert _rows("application.escalated", past_deadline).get().status == "pending"
    # At twice the deadline: the coordinator of the need's town (Verl), not the district-wide one.
    escalation = _rows("application.escalated", past_twice).get()
    assert escalation.recipient == town_coordinator
    assert not Notification.objects.filter(kind="application.escalated", recipient=coordinator).exists()
    # Answering cancelled both, and the worker sent neither.
    assert set(
        Notification.objects.filter(
            kind__in=["application.reminder", "application.escalated"], refs__application=answered.pk
        ).values_list("status", flat=True)
    ) == {"cancelled"}

    mails = mailbox_list()  # (long subjects come back folded, hence strip())
    reminders = [m for m in mails if m.subject.strip().startswith("Erinnerung: Bewerbung für")]
    escalations = [m for m in mails if m.subject.strip().startswith("Unbeantwortete Bewerbung bei")]
    assert [m.to for m in reminders] == [org_admin.email] * 2
    assert [m.to for m in escalations] == [town_coordinator.email]
    assert f"/de/organisation/{organisation.pk}/bewerbungen/" in reminders[0].text
    assert "/admin/bewerbungen-ueberfaellig/" in escalations[0].text
    # The coordinator sees the escalated application of the town in the admin list, and only that one.
    assert list(escalated_for_coordinator(town_coordinator)) == [past_twice]
